"""The README's measured figures are rendered from bench/figures.json, which bench/readme_figures.py
re-measures: no figure is typed by hand, and every notebook has been measured."""

from __future__ import annotations

import json

from conftest import ROOT

from autograder import figures
from autograder.exercises import list_assignments


def test_the_readme_table_is_the_rendering_of_the_recorded_measurements():
    section = figures.readme_section((ROOT / "README.md").read_text(encoding="utf-8"))
    assert section is not None, "README.md lost its figures markers"
    assert section == figures.render(figures.load_record()), (
        "README.md's measured figures differ from bench/figures.json: re-measure with "
        "`.venv/bin/python bench/readme_figures.py` (never edit the table by hand)")


def test_every_notebook_has_been_measured_with_every_result():
    record = figures.load_record()
    for path in list_assignments(ROOT):
        name = path.parent.name
        entry = record.get("notebooks", {}).get(name)
        assert entry, f"{name} has never been measured: run `bench/readme_figures.py {name[:2]}`"
        for key in ("default_s", "graded_s", "sandbox_s", "sandbox_marks"):
            assert key in entry, f"{name}: no {key} recorded: run `bench/readme_figures.py {name[:2]}`"
        marks = entry["sandbox_marks"].split("/")
        assert marks[0] == marks[1], f"{name}: the solution got {entry['sandbox_marks']} in the sandbox"
        assert entry["default_s"] <= entry["budget_s"] and entry["graded_s"] <= entry["graded_budget_s"], (
            f"{name} ran over its budget when last measured: {entry}")
        for label, _ in figures.RESULTS.get(name, ("", []))[1]:
            assert isinstance(entry.get("results", {}).get(label), float), f"{name}: no recorded {label!r}"


def test_recorded_results_become_claims_and_the_values_cell_reads_them():
    record = {"notebooks": {"06_lstm_packing": {"results": {"64 tokens, naive output[:, -1]": 0.5}}}}
    claims = figures.result_claims("06_lstm_packing", record)
    assert [c["expr"] for c in claims] == [f"abs((naive_acc) - 0.5) <= {figures.RESULT_TOLERANCE}"]
    assert eval(claims[0]["expr"], {"naive_acc": 0.52}) and not eval(claims[0]["expr"], {"naive_acc": 0.6})
    printed = []
    namespace = {"naive_acc": 0.25, "print": printed.append}
    exec(figures.values_cell("06_lstm_packing"), namespace)
    values = json.loads(printed[0][len(figures.VALUES_MARKER):])
    assert values["64 tokens, naive output[:, -1]"] == 0.25
    assert values["64 tokens, packed"].startswith("NameError")
