"""The claims check (autograder.claims): Markdown claims are evaluated after the run, a false claim
or a missing name fails with its cell and values, and numbers with no claim are listed."""

from __future__ import annotations

import json

from autograder import claims


def _nb(cells: list[tuple[str, str]]) -> dict:
    out = []
    for i, (kind, src) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": src}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        out.append(cell)
    return {"cells": out, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                       "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


SYNTHETIC = _nb([
    ("code", "acc = 0.42\nres = {'naive': 0.3}\nimport numpy as np\nscores = np.array([0.1, 0.2])"),
    ("markdown", "Accuracy is 0.42. <!-- claim: 0.40 <= acc <= 0.45 -->\n"
                 "The naive model wins. <!-- claim: res['naive'] > acc -->"),
    ("markdown", "It took 3 s. <!-- claim: seconds < 10 -->\n\nSome bare figure: 0.89 and 44%."),
    ("markdown", "Numpy bools count. <!-- claim: scores.mean() < 0.2 --> <!-- claim: abs(acc) -->\n"
                 "Comprehensions too. <!-- claim: all(v < 1 for v in scores) and np.ndim(scores) == 1 -->"),
    ("code", "acc = 0.43  # the claim sees the final value"),
])


def test_find_claims_reads_expression_cell_and_sentence():
    found = claims.find_claims(SYNTHETIC)
    assert [c["expr"] for c in found] == ["0.40 <= acc <= 0.45", "res['naive'] > acc", "seconds < 10",
                                          "scores.mean() < 0.2", "abs(acc)",
                                          "all(v < 1 for v in scores) and np.ndim(scores) == 1"]
    assert [c["cell"] for c in found] == [1, 1, 2, 3, 3, 3]
    assert found[1]["after"] == "The naive model wins."
    assert claims.syntax_errors([{"expr": "acc <", "cell": 7}])[0].startswith("cell 7:")


def test_unguarded_numbers_skip_paragraphs_with_a_claim_and_code():
    nb = _nb([("markdown", "Guarded 0.42 here. <!-- claim: True -->\n\nBare 0.89, 44% and 25 s; "
                           "`0.5` in code, v2.13.0, $0.75$ and 70/15/15 are not numbers to guard.")])
    numbers = [n["number"] for n in claims.unguarded_numbers(nb)]
    assert numbers == ["0.89", "44%", "25 s"], numbers


def test_true_claims_pass_false_and_missing_names_fail(tmp_path):
    path = tmp_path / "nb" / "nb.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(SYNTHETIC))
    res, found, failed = claims.execute_with_claims(path, tmp_path / "out", html=False, timeout=60)
    assert res["error"] is None, res["error"]
    assert len(found) == 6
    text = "\n".join(failed)
    assert len(failed) == 3, text
    assert "claim `res['naive'] > acc` is False;" in text and "res = {'naive': 0.3}" in text and "acc = 0.43" in text
    assert "cell 1 (id c1)" in text and 'after "The naive model wins."' in text
    assert "claim `seconds < 10` NameError: name 'seconds' is not defined" in text
    assert "claim `abs(acc)` evaluates to float 0.43, not a bool" in text
    assert "0.40 <= acc" not in text and "scores.mean()" not in text and "all(v < 1" not in text


def test_a_check_cell_that_never_ran_fails():
    assert claims.failures(None, [{"expr": "True"}]) == ["the claims check cell did not run: 1 claim(s) unchecked"]
    assert claims.failures(None, []) == []
