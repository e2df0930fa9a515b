"""Every assignment: committed clean, student version fresh, metadata sound, points as the README
states, the solution runs top to bottom, and the exercises' tests catch their mistakes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from autograder import build
from autograder.exercises import list_assignments, load_assignment

SOLUTIONS = list_assignments(ROOT, "solutions")
NAMES = [p.parent.name for p in SOLUTIONS]


def test_there_are_assignments_and_each_has_a_student_version_and_catalogue():
    assert SOLUTIONS, "no solutions/NN_topic/NN_topic.ipynb found"
    for name in NAMES:
        assert (ROOT / "notebooks" / name / f"{name}.ipynb").exists(), f"run `make notebooks` for {name}"
        assert (ROOT / "tests" / "mistakes" / f"{name}.py").exists(), f"{name} has no mistakes catalogue"
    extra = {p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir()} - set(NAMES)
    assert not extra, f"notebooks/ has folders with no source in solutions/: {extra}"


def test_nothing_but_the_notebook_sits_in_an_assignment_folder():
    for name in NAMES:
        files = {p.name for p in (ROOT / "solutions" / name).iterdir()} - {".ipynb_checkpoints"}
        assert files == {f"{name}.ipynb"}, f"solutions/{name} also holds {files - {f'{name}.ipynb'}}: nbgrader would release it"


@pytest.mark.parametrize("tree", ["solutions", "notebooks"])
def test_notebooks_are_committed_clean(tree):
    dirty = [p.parent.name for p in list_assignments(ROOT, tree) if build.clean_file(p, write=False)]
    assert not dirty, f"{tree}: {dirty} carry outputs, execution counts or extra metadata; run `make notebooks`"


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_matches_a_fresh_generation(name, tmp_path):
    fresh = build.generate(name, out_root=tmp_path)
    committed = ROOT / "notebooks" / name / f"{name}.ipynb"
    assert fresh.read_text() == committed.read_text(), (
        f"notebooks/{name} differs from what nbgrader generates from solutions/{name}: run `make notebooks`"
    )


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_carries_no_claims(name):
    """Claims check the instructor's run; the release strips them (autograder.preprocessors.StripClaims)."""
    text = (ROOT / "notebooks" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "claim:" not in text, f"notebooks/{name} still shows `<!-- claim: ... -->` comments to students"


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_sound(name):
    a = load_assignment(ROOT / "solutions" / name / f"{name}.ipynb")
    nb = json.loads(a.path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in a.cells if "nbgrader" in c.get("metadata", {})]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate grade ids: {dupes}"
    assert a.setup_cells, "no cell tagged 'setup'"
    assert len(a.exercises) >= 1
    for ex in a.exercises.values():
        src = a.source(ex.cell_index)
        assert "### BEGIN SOLUTION" in src and '"""' in src, f"{ex.name}: needs a docstring and a solution region"
        assert ex.test_ids, f"exercise {ex.name} has no test cell"
        for tid in ex.test_ids:
            meta = a.cells[a.tests[tid]]["metadata"]["nbgrader"]
            assert meta.get("locked") and meta.get("points", 0) > 0, f"{tid} must be locked and worth points"
            assert a.source(a.tests[tid]).lstrip().startswith("#"), f"{tid}: start with a comment saying what it checks"
    for qid in a.manual:
        src = a.source(next(i for i, c in enumerate(a.cells)
                            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == qid))
        assert "Rubric" in src, f"manual question {qid} has no rubric in the source"


def _readme_rows() -> dict[str, tuple[int, float, float]]:
    rows = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        m = re.match(r"^\|\s*\d\d\s*\|\s*`(\d\d_[a-z0-9_]+)`[^|]*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), float(m.group(3)), float(m.group(4)))
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_visible_test_code_is_under_a_quarter_of_the_student_notebook(name):
    """What a student scrolls through is the lesson, not the tests: references and repetitive
    checks live in hidden tests and in `course.checks`."""
    from autograder.exercises import WRAP, visible_test_share

    tests, total = visible_test_share(ROOT / "notebooks" / name / f"{name}.ipynb")
    assert tests < total / 4, (
        f"{name}: visible test cells hold {tests} of the student notebook's {total} non-blank code lines "
        f"(counted wrapped at {WRAP} characters) "
        f"({100 * tests / total:.1f}%, the limit is 25%): move references and edge cases into hidden tests "
        "or shared checkers"
    )


@pytest.mark.parametrize("name", NAMES)
def test_points_match_the_readme(name):
    a = load_assignment(ROOT / "solutions" / name / f"{name}.ipynb")
    rows = _readme_rows()
    assert name in rows, f"README's points table has no row for `{name}`"
    assert rows[name] == (len(a.exercises), a.auto_points, a.manual_points), (
        f"README says (exercises, auto, manual) = {rows[name]}, the notebook has "
        f"{(len(a.exercises), a.auto_points, a.manual_points)}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_mistakes_catalogue(name):
    """Reference passes all, the stub fails all, every mistake fails at least one test."""
    result = subprocess.run(
        [sys.executable, "-m", "autograder.mistakes",
         f"solutions/{name}/{name}.ipynb", "--stub", f"notebooks/{name}/{name}.ipynb",
         "--catalogue", f"tests/mistakes/{name}.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    problems = list(report["problems"])
    for ex, entry in report["exercises"].items():
        for tid, err in entry["reference"].items():
            if err is not None:
                problems.append(f"{ex}: reference fails {tid}: {err}")
        for tid, err in entry.get("stub", {}).items():
            if err is None:
                problems.append(f"{ex}: the student stub passes {tid}")
        if len(entry["mistakes"]) < 5:
            problems.append(f"{ex}: only {len(entry['mistakes'])} catalogued mistakes (need 5)")
        for mname, res in entry["mistakes"].items():
            if "<catalogue>" in res:  # an error message is truthy: it must not count as caught
                problems.append(f"{ex}: mistake '{mname}' {res['<catalogue>']}")
            elif not any(res.values()):
                problems.append(f"{ex}: mistake '{mname}' passes every test")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_solution_executes_top_to_bottom(name, tmp_path):
    """Runs top to bottom, and every `<!-- claim: ... -->` in its Markdown holds at the end, as do
    the results the README records for it (bench/figures.json, within figures.RESULT_TOLERANCE)."""
    from autograder import claims, figures

    res, found, false = claims.execute_with_claims(ROOT / "solutions" / name / f"{name}.ipynb", tmp_path,
                                                   extra=figures.result_claims(name), html=False)
    assert res["error"] is None, f"{name} failed after {res['seconds']} s: {res['error']}"
    print(f"{name}: {res['seconds']} s, {res['figures']} figures, {len(found)} claims")
    assert not false, f"{name}: {len(false)} of {len(found)} claims do not hold:\n" + "\n".join(false)


@pytest.mark.parametrize("name", NAMES)
def test_claims_parse_and_numbers_without_claims_are_listed(name):
    """Every claim is a Python expression; numbers in Markdown with no claim in their paragraph
    are printed as a warning list (`python -m autograder.claims list`), not failed."""
    from autograder import claims

    nb = json.loads((ROOT / "solutions" / name / f"{name}.ipynb").read_text(encoding="utf-8"))
    found = claims.find_claims(nb)
    assert not claims.syntax_errors(found), "\n".join(claims.syntax_errors(found))
    loose = claims.unguarded_numbers(nb)
    print(f"{name}: {len(found)} claims, {len(loose)} numbers with no claim")
    for n in loose:
        print(f"  cell {n['cell']}: {n['number']!r} in \"{n['context']}\"")
