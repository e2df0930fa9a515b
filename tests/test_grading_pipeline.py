"""The instructor's grading pipeline (autograder/grade.py), end to end and in pieces.

The slow part grades one LMS download holding every hostile and broken submission of
autograder/hostile.py in ONE class run with two workers, checks each case's outcome, then
re-runs the pipeline (nothing regraded; a half-written submission regraded; --force) on the
same course. A tiny synthetic assignment covers the nbgrader exchange and the CLI engine, and
a real PostgreSQL server (started here when its binaries exist) the shared gradebook.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, once_per_run
from nbformat.notebooknode import from_dict

from autograder import flags, grade, hostile, sandbox
from autograder.preprocessors import ResilientExecute, ScrubHiddenTestEchoes
from autograder.sample_class import make_course, write_course_config

# one xdist worker takes the whole module (the hostile class is graded once per run anyway)
pytestmark = pytest.mark.xdist_group("grading_pipeline")
NAME = "01_tensors"
HAVE_01 = (ROOT / "solutions" / NAME / f"{NAME}.ipynb").exists() and (ROOT / "notebooks" / NAME).exists()
CASES = {c.student: c for c in hostile.build_cases(NAME)} if HAVE_01 else {}
# Test cells get 10 s (the infinite loops hit it), set-up and other cells the default 120 s.
GRADING_ENV = {"COURSE_TEST_TIMEOUT": "10", "COURSE_PROBE_TIMEOUT": "3", "COURSE_MEMORY_LIMIT_MB": "3072"}


# --- the pieces (fast) -------------------------------------------------------------------------
def test_timestamps_from_lms_names_become_nbgrader_utc():
    assert grade.normalize_timestamp("2026-11-20T09-15-00") == "2026-11-20 09:15:00 UTC"
    assert grade.normalize_timestamp("20261120_091500Z") == "2026-11-20 09:15:00 UTC"
    with pytest.raises(ValueError):
        grade.normalize_timestamp("2026-11-20")


def test_lms_names_parse_and_one_wrong_name_is_forgiven(tmp_path):
    d = tmp_path / "x"
    d.mkdir()
    names = ["s1_2026-11-20T09-00-00_01_tensors.ipynb", "s_2_2026-11-20T09-00-00_01_tensors (1).ipynb",
             "s3_2026-11-20T09-00-00_Untitled.ipynb", "s3_2026-11-20T09-00-00_01_tensors.ipynb",
             "README.txt", "..._2026-11-20T09-00-00_01_tensors.ipynb", "nodate_01_tensors.ipynb"]
    for n in names:
        (d / n).write_text("{}")
    parsed = {n: grade.parse_download(str(d / n), grade.DEFAULT_REGEXP, ["01_tensors.ipynb"]) for n in names}
    assert parsed[names[0]].student == "s1" and parsed[names[0]].timestamp == "2026-11-20 09:00:00 UTC"
    assert parsed[names[1]].student == "s_2" and parsed[names[1]].renamed_from == "01_tensors (1).ipynb"
    assert parsed[names[2]] is None, "a misnamed notebook next to the right one is not collected"
    assert parsed[names[3]].file_id == "01_tensors.ipynb"
    assert parsed[names[4]] is None and parsed[names[5]] is None and parsed[names[6]] is None


def test_newest_attempt_is_chosen_and_older_ones_listed(tmp_path):
    for stamp in ("2026-11-20T09-00-00", "2026-11-21T09-00-00", "2026-11-19T09-00-00"):
        (tmp_path / f"ada_{stamp}_01_tensors.ipynb").write_text("{}")
    (tmp_path / "junk.txt").write_text("")
    attempts, ignored = grade.scan_downloads(tmp_path, grade.DEFAULT_REGEXP, ["01_tensors.ipynb"])
    assert [a.timestamp[:10] for a in attempts if a.chosen] == ["2026-11-21"]
    assert len(attempts) == 3 and ignored == ["junk.txt"]


@pytest.mark.parametrize("raw, how", [
    (b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "utf-8"),
    ('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "café"}], "metadata": {}, '
     '"nbformat": 4, "nbformat_minor": 5}'.encode("cp1252"), "cp1252"),
    ('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'.encode("utf-16"), "a BOM-detected encoding"),
])
def test_notebooks_in_other_encodings_are_read(raw, how):
    nb, got = grade.read_notebook_bytes(raw)
    assert nb is not None and got == how


@pytest.mark.parametrize("raw, why", [(b'{"cells": [', "not valid JSON"), (b'{"a": 1}', "not a notebook"),
                                      (b"\xff\xfe\x00garbage", "not valid JSON")])
def test_unreadable_notebooks_say_why(raw, why):
    nb, got = grade.read_notebook_bytes(raw)
    assert nb is None and why in got


def test_triage_repairs_sets_aside_and_reports_missing(tmp_path):
    folder = tmp_path / "submitted" / "s1" / "a"
    folder.mkdir(parents=True)
    body = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "Zoë"}], "metadata": {},
            "nbformat": 4, "nbformat_minor": 5}
    (folder / "a.ipynb").write_bytes(json.dumps(body, ensure_ascii=False).encode("cp1252"))
    (folder / "checks.py").write_text("def check_close(*a, **k): pass")
    (folder / "timestamp.txt").write_text("2026-11-20 09:00:00 UTC")
    tri = grade.triage_submission(folder, ["a.ipynb"])
    assert tri.status == "repaired"
    assert json.loads((folder / "a.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"] == "Zoë"
    assert (folder / ".original-a.ipynb").read_bytes().decode("cp1252")
    assert not (folder / "checks.py").exists() and (folder / ".extra" / "checks.py").exists()
    again = grade.triage_submission(folder, ["a.ipynb"])
    assert again.status == "repaired" and again.sha256 == grade.triage_submission(folder, ["a.ipynb"]).sha256
    (folder / "a.ipynb").unlink()
    assert grade.triage_submission(folder, ["a.ipynb"]).status == "missing"


@pytest.mark.parametrize("kind", ["text", "truncated", "corrupt member"])
def test_a_broken_download_is_refused_before_anything_is_kept(tmp_path, kind):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("s1_2026-11-20T09-00-00_a.ipynb", "x" * 5000)
    raw = good.read_bytes()
    bad = tmp_path / "lms.zip"
    if kind == "text":
        bad.write_text("<html>session expired</html>")
    elif kind == "truncated":
        bad.write_bytes(raw[: len(raw) // 2])
    else:  # flip a byte of the compressed member: the central directory is intact
        body = bytearray(raw)
        body[60] ^= 0xFF
        bad.write_bytes(bytes(body))
    assert grade.zip_problem(good) == ""
    course = tmp_path / "course"
    settings = grade.Settings(str(course), "a", f"sqlite:///{tmp_path / 'gb.db'}", "c", "solutions",
                              str(tmp_path / "report"), str(tmp_path / "scratch"))
    with pytest.raises(SystemExit) as err:
        grade.collect_zip(settings, bad, grade.DEFAULT_REGEXP)
    assert "zip file" in str(err.value) and "download the submissions" in str(err.value)
    assert not (course / "downloaded").exists(), "a refused download must not be archived"


def test_a_missing_or_unreadable_roster_says_what_to_do(tmp_path):
    with pytest.raises(SystemExit, match="no roster file"):
        grade.import_roster(None, tmp_path / "class.csv")
    (tmp_path / "class.csv").write_bytes(b"id,first_name\n\xff\xfe,Zo\xeb\n")
    with pytest.raises(SystemExit, match="not a UTF-8 CSV"):
        grade.import_roster(None, tmp_path / "class.csv")


def test_gradebook_lock_is_reentrant_and_excludes_other_processes(tmp_path):
    lock = grade.GradebookLock(f"sqlite:///{tmp_path / 'gb.db'}", path=str(tmp_path / 'gb.lock'))
    probe = ("import fcntl, sys\nf = open(sys.argv[1], 'a+')\n"
             "try:\n    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n    print('free')\n"
             "except BlockingIOError:\n    print('held')")

    def other() -> str:
        return subprocess.run([sys.executable, "-c", probe, str(lock.path)], capture_output=True,
                              text=True).stdout.strip()

    with lock.held():
        with lock.held():
            assert other() == "held"
        assert other() == "held"
    assert other() == "free"
    assert grade.GradebookLock("postgresql://u@h/db").path is None


def test_shards_partition_the_class():
    students = [f"s{i}" for i in range(50)]
    parts = [grade.shard_filter(students, f"{k}/3") for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(students) and all(parts)


def test_test_cells_keep_their_value_and_print_the_token():
    wrapped = ResilientExecute.wrap_test("x = 1\nf(x,\n  2)", "TOKEN", "prelude()")
    assert wrapped.split("\n")[0] == "prelude()"
    assert "_grader_value = (f(x,\n  2))" in wrapped and wrapped.endswith("print('NEKOT'[::-1])\n_grader_value")
    assert "TOKEN" not in wrapped, "an echo of the source must not show the token"
    assert ResilientExecute.wrap_test("for i in []:\n    pass", "T").endswith("print('T'[::-1])")
    assert ResilientExecute.wrap_test("1.5;", "T").endswith("_grader_value;")
    assert ResilientExecute.wrap_test("def broken(:", "T") == "def broken(:"


def test_sandbox_rules(tmp_path, monkeypatch):
    course = tmp_path / "course"
    cwd = course / "autograded" / "s1" / "a"
    cwd.mkdir(parents=True)
    monkeypatch.setenv(sandbox.ENV_DENY, str(ROOT))
    monkeypatch.setenv(sandbox.ENV_ALLOW, str(ROOT / "course"))
    monkeypatch.setenv(sandbox.ENV_SECRET, str(tmp_path / "runtime"))
    rules = sandbox.rules_for(str(cwd))
    assert rules.can_read(str(cwd / "x.txt")) and rules.can_write(str(cwd / "x.txt"))
    assert not rules.can_read(str(course / "gradebook.db"))
    assert not rules.can_read(str(course / "autograded" / "s2" / "a" / "a.ipynb"))
    assert not rules.can_read(str(ROOT / "solutions" / "x.ipynb"))
    assert rules.can_read(str(ROOT / "course" / "checks.py"))
    assert not rules.can_write(str(ROOT / "course" / "checks.py"))
    assert not rules.can_read(str(tmp_path / "runtime" / "kernel-1.json"))
    assert rules.can_read("/usr/lib/os-release") and not rules.can_write("/usr/lib/x.pth")


def test_static_flags_for_hostile_code():
    src = {
        "get_ipython().events.register('pre_run_cell', print)": "get_ipython",
        "import builtins\nbuiltins.exec = print": "rebinds builtins.exec",
        "open('../../../gradebook.db').read()": "touches files outside its folder",
        "import ctypes": "imports ctypes",
        "exec('x = 1')": "dynamic code",
        "f.__code__ = g.__code__": "rebinds f.__code__",
        "import sys\nsys.modules['course.checks'] = fake": "replaces a module in sys.modules",
    }
    for code, expected in src.items():
        assert any(expected in f for f in flags.scan_source(code)), (code, flags.scan_source(code))
    assert flags.scan_source("x = torch.zeros(3)\nwith open('out.txt', 'w') as fh:\n    fh.write('a')") == []


def _nb(cells: list[dict]) -> dict:
    for c in cells:
        c.setdefault("metadata", {})
        if c["cell_type"] == "code":
            c.setdefault("outputs", [])
            c.setdefault("execution_count", None)
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _grade_meta(gid: str, points: float = 1, **kw) -> dict:
    meta = {"grade": True, "solution": False, "locked": True, "task": False, "points": points,
            "grade_id": gid, "schema_version": 3}
    meta.update(kw)
    return {"nbgrader": meta}


def test_tampering_with_test_cells_is_flagged(tmp_path):
    ref = _nb([{"cell_type": "code", "source": "def f(): pass", "metadata": {"nbgrader": {
                "grade": False, "solution": True, "grade_id": "f", "locked": False}}},
               {"cell_type": "code", "source": "assert f() is None\n### BEGIN HIDDEN TESTS\nassert 1\n"
                "### END HIDDEN TESTS", "metadata": _grade_meta("test_f")},
               {"cell_type": "code", "source": "assert True", "metadata": _grade_meta("test_f_more", 2)}])
    (tmp_path / "ref.ipynb").write_text(json.dumps(ref))
    student = json.loads(json.dumps(ref))
    student["cells"][1]["source"] = "assert f() is None"  # the release view: hidden part gone
    (tmp_path / "same.ipynb").write_text(json.dumps(student))
    assert flags.scan_tampering(tmp_path / "same.ipynb", tmp_path / "ref.ipynb") == []
    student["cells"][1]["source"] = "pass"
    student["cells"][1]["metadata"]["tags"] = ["skip-execution"]
    student["cells"][2]["metadata"]["nbgrader"]["points"] = 100
    student["cells"][1], student["cells"][2] = student["cells"][2], student["cells"][1]
    (tmp_path / "bad.ipynb").write_text(json.dumps(student))
    got = " | ".join(flags.scan_tampering(tmp_path / "bad.ipynb", tmp_path / "ref.ipynb"))
    for expected in ("test cell test_f edited", "tagged skip-execution", "points of test_f_more changed",
                     "reordered"):
        assert expected in got, got
    del student["cells"][2]
    (tmp_path / "del.ipynb").write_text(json.dumps(student))
    assert "test cell test_f deleted" in " ".join(flags.scan_tampering(tmp_path / "del.ipynb", tmp_path / "ref.ipynb"))


def test_feedback_outputs_that_echo_hidden_tests_are_removed():
    hidden = "_checks.check_close(secret_function(3), 9.0, name='secret')"
    nb = from_dict(_nb([
        {"cell_type": "code", "source": f"visible()\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS",
         "metadata": _grade_meta("test_x"),
         "outputs": [{"output_type": "stream", "name": "stdout", "text": f"echo: {hidden}\n"},
                     {"output_type": "stream", "name": "stdout", "text": "all fine\n"}]},
        {"cell_type": "code", "source": "x = 1\n### BEGIN HIDDEN TESTS\ncopied()\n### END HIDDEN TESTS", "outputs": [
            {"output_type": "execute_result", "execution_count": 1, "metadata": {},
             "data": {"text/plain": f"'{hidden}'"}}]},
    ]))
    out, _ = ScrubHiddenTestEchoes().preprocess(nb, {})
    text = json.dumps(out)
    assert hidden not in text.replace(f"### BEGIN HIDDEN TESTS\\n{hidden}", "")
    assert "all fine" in text and "repeated hidden test code" in text
    assert out.cells[1].source == "x = 1", "hidden regions in a student's cell are dropped"


# --- one kernel, every way to crash it (slow) ----------------------------------------------------
@pytest.mark.slow
def test_kernel_crashes_hangs_floods_and_the_guard(tmp_path, monkeypatch):
    import nbformat

    course = tmp_path / "course"
    cwd = course / "autograded" / "s1" / "a"
    cwd.mkdir(parents=True)
    (course / "gradebook.db").write_text("secret")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv(sandbox.ENV_DENY, str(ROOT))
    monkeypatch.setenv(sandbox.ENV_ALLOW, os.pathsep.join([str(ROOT / "course"), sys.prefix]))
    monkeypatch.setenv("COURSE_MEMORY_LIMIT_MB", "3072")
    cells = [
        ("import os, signal, sys\nx = 41", None),
        ("x += 1\nos._exit(3)", "KernelDied"),
        ("print('after the crash', x)", "after the crash 41"),
        ("signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass", "KernelUnresponsive"),
        ("print('after the hang', x)", "after the hang 41"),
        ("for _ in range(100):\n    print('y' * 50_000)", "output cut"),
        ("open('../../../gradebook.db').read()", "PermissionError"),
        ("import subprocess\nsubprocess.run(['true'])", "PermissionError"),
        ("import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))", "PermissionError"),
        ("blob = bytearray(4 * 2**30)", "KernelRestarted"),
        ("import builtins\nbuiltins.abs = lambda v: 0", None),
        ("print('abs is back:', abs(-2))", "abs is back: 2"),
        ("import torch\nprint(torch.ones(2).sum().item())", "2.0"),
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c, _ in cells])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ep = ResilientExecute(timeout=8, interrupt_on_timeout=True, kernel_name="python3", probe_timeout=3,
                          max_output_bytes=200_000, extra_arguments=[f"--IPKernelApp.exec_lines={sandbox.exec_line()}"])
    ep.allow_errors = True
    ep.preprocess(nb, {"metadata": {"path": str(cwd)}})
    for cell, (_, expected) in zip(nb.cells, cells, strict=True):
        text = json.dumps(cell.outputs)
        if expected:
            assert expected in text, (cell.source, text[:500])
    assert sum(len(json.dumps(o)) for o in nb.cells[5].outputs) < 400_000


# --- the hostile class: one LMS download, one run, two workers (slow) -----------------------------
def _run(course: Path, *extra: str) -> dict:
    args = grade.build_parser().parse_args([NAME, "--course", str(course), "--workers", "2", "--quiet",
                                            "--timeout", "400", *extra])
    return grade.grade(args)


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory):
    """Grade the whole hostile suite once per test run, even when xdist runs this module's tests
    on several workers, then re-run the pipeline."""
    if not HAVE_01:
        pytest.skip(f"solutions/{NAME} or notebooks/{NAME} is not there yet")
    return once_per_run(tmp_path_factory, "hostile", lambda base: _grade_hostile_class(base / "course"))


def _grade_hostile_class(course: Path) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GRADING_ENV.items():
            mp.setenv(key, value)
        make_course(course, NAME)
        cases = list(CASES.values())
        lms = hostile.write_lms_zip(cases, course.parent / "lms.zip")
        roster = hostile.write_roster(cases, course.parent / "roster.csv")
        started = time.perf_counter()
        first = _run(course, "--submissions", str(lms), "--roster", str(roster))
        first_s = time.perf_counter() - started
        # a run killed while grading 'complete': its folder half-written, its state pending
        state = course / "build" / "grading" / NAME / "state" / "complete.json"
        st = json.loads(state.read_text())
        state.write_text(json.dumps({**st, "status": "pending"}))
        (course / "autograded" / "complete" / NAME / f"{NAME}.ipynb").unlink()
        second = _run(course, "--submissions", str(lms), "--roster", str(roster))
        third = _run(course, "--roster", str(roster), "--force", "--students", "stub,partial")
        time.sleep(1)  # give a killed sandbox's processes a moment to be reaped
        leftovers = _grading_processes(*(r.get("scratch", "") for r in (first, second, third)))
    return {"course": str(course), "first": first, "second": second, "third": third,
            "first_s": first_s, "leftovers": leftovers}


def _grading_processes(*markers: str) -> list[str]:
    """Our workers and kernels still alive, and any process anywhere (a double-forked daemon is
    nobody's child) whose command line names one of the runs' scratch folders."""
    import psutil

    me = psutil.Process()
    found = [" ".join(p.cmdline()[:4]) for p in me.children(recursive=True)
             if any("ipykernel" in part or "_api_worker_main" in part for part in p.cmdline())]
    for proc in psutil.process_iter():
        try:
            line = " ".join(proc.cmdline())
        except psutil.Error:
            continue
        if any(m and m in line for m in markers) and proc.pid != me.pid:
            found.append(f"{proc.pid}: {line[:120]}")
    return found


def _rows(summary: dict) -> dict[str, dict]:
    return {r["student"]: r for r in summary["students"]}


def _lost(row: dict) -> set[str]:
    return {e for e, (got, out_of) in row["per_exercise"].items() if got < out_of}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(CASES))
def test_hostile_case_has_its_expected_outcome(hostile_run, student):
    case = CASES[student]
    exp = case.expect
    row = _rows(hostile_run["first"])[student]
    everything = set(row["per_exercise"])
    assert row["status"] == exp.status, (row["status"], row["notes"])
    want_lost = everything if exp.lost == "all" else set() if exp.lost == "none" else set(exp.lost)
    lost = _lost(row)
    if exp.exact:
        assert lost == want_lost, f"{case.what}: expected to lose {sorted(want_lost)}, lost {sorted(lost)}"
    else:
        assert want_lost <= lost, f"{case.what}: expected to lose at least {sorted(want_lost)}, lost {sorted(lost)}"
    if exp.lost == "none":
        assert row["score"] == row["max_auto"] > 0
    joined_flags, joined_notes = " | ".join(row["flags"]), " | ".join(row["notes"])
    for f in exp.flags:
        assert f in joined_flags, f"{student}: no flag containing {f!r} in {row['flags']}"
    for n in exp.notes:
        assert n in joined_notes, f"{student}: no note containing {n!r} in {row['notes']}"
    assert row["on_roster"] == exp.on_roster
    if exp.status != "no submission":
        fb = Path(hostile_run["course"]) / "feedback" / student / NAME / f"{NAME}.html"
        assert fb.exists(), f"no feedback for {student}"
        assert fb.stat().st_size < exp.max_feedback_kb * 1024
        page = fb.read_text(encoding="utf-8")
        for text in exp.feedback_lacks:
            assert text not in page, f"{student}: {text!r} survived into the feedback page"
        for text in exp.feedback_has:
            assert text in page, f"{student}: {text!r} is missing from the feedback page"


@pytest.mark.slow
def test_honest_submissions_have_no_flags(hostile_run):
    rows = _rows(hostile_run["first"])
    for student in ("complete", "stub", "partial", "mistake", "two_attempts", "extra_notebook", "visible_message"):
        assert rows[student]["flags"] == [], (student, rows[student]["flags"])


@pytest.mark.slow
def test_feedback_never_contains_hidden_tests(hostile_run):
    from autograder.sample_class import hidden_test_lines

    hidden = hidden_test_lines(NAME)
    assert hidden, "notebook 01 has hidden tests to look for"
    for fb in (Path(hostile_run["course"]) / "feedback").glob(f"*/{NAME}/*.html"):
        text = html.unescape(fb.read_text(encoding="utf-8"))
        leaked = [line for line in hidden if line in text]
        assert not leaked and "BEGIN HIDDEN TESTS" not in text, f"{fb.parent.parent.name}: {leaked[:2]}"


@pytest.mark.slow
def test_every_download_is_kept_and_accounted_for(hostile_run):
    course = Path(hostile_run["course"])
    report = course / "build" / "grading" / NAME
    with open(report / "attempts.csv") as fh:
        attempts = list(csv.DictReader(fh))
    two = [a for a in attempts if a["student"] == "two_attempts"]
    assert len(two) == 2 and [a["chosen"] for a in sorted(two, key=lambda a: a["timestamp"])] == ["False", "True"]
    assert all(Path(a["file"]).exists() for a in attempts), "older attempts stay in downloaded/<A>/extracted"
    assert len(list((course / "downloaded" / NAME / "archive").iterdir())) == 1, "the same zip is archived once"
    ignored = " ".join(hostile_run["first"]["ignored_files"])
    for name in hostile.UNMATCHED + [f"missing_notebook_{hostile.STAMP}_{NAME}.txt"]:
        assert name in ignored
    assert (course / "submitted" / "non_utf8" / NAME / f".original-{NAME}.ipynb").exists()


@pytest.mark.slow
def test_grades_csv_summary_and_gradebook_flags(hostile_run):
    course = Path(hostile_run["course"])
    report = course / "build" / "grading" / NAME
    with open(report / "grades.csv") as fh:
        exported = {r["student_id"] for r in csv.DictReader(fh)}
    assert set(CASES) <= exported
    with open(report / "summary.csv") as fh:
        assert {r["student"] for r in csv.DictReader(fh)} == set(CASES)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "pytorch-nlp") as gb:
        flagged = {s: gb.find_submission_notebook(NAME, NAME, s).flagged for s in ("complete", "hijack_exec", "malformed_json")}
    assert flagged == {"complete": False, "hijack_exec": True, "malformed_json": True}


@pytest.mark.slow
def test_no_kernel_or_worker_outlives_the_run(hostile_run):
    assert hostile_run["leftovers"] == []


@pytest.mark.slow
def test_the_sandbox_kept_files_outside_the_submission_unchanged(hostile_run):
    course = Path(hostile_run["course"])
    assert hostile_run["first"]["sandbox"] == "bubblewrap"
    for path in (Path("/dev/shm") / hostile.SHM_MARK, course.parent / hostile.OUTSIDE_MARK,
                 course / hostile.OUTSIDE_MARK, Path("/tmp") / hostile.OUTSIDE_MARK):
        assert not path.exists(), f"a submission wrote {path}"
    fill = [p for p in course.rglob("fill.bin")]
    assert not fill, f"the 2 GiB written by disk_fill reached {fill}"
    feedback = course / "feedback" / "disk_fill"
    assert sum(p.stat().st_size for p in feedback.rglob("*") if p.is_file()) < 5 * 2**20
    launchers = [p for p in course.rglob("ipykernel_launcher.py")]
    assert not launchers, f"a planted launcher was kept: {launchers}"


@pytest.mark.slow
def test_hostile_zip_members_are_refused_one_by_one(hostile_run):
    course = Path(hostile_run["course"])
    ignored = " | ".join(hostile_run["first"]["ignored_files"])
    assert "dotdot_member" in ignored and "'..'" in ignored
    assert "longer than 255 bytes" in ignored
    assert "zip_bomb" in ignored and "uncompressed" in ignored
    assert not list(course.parent.glob("dotdot_member*")) and not list(course.glob("downloaded/dotdot*"))
    rows = _rows(hostile_run["first"])
    honest = [s for s in ("complete", "two_attempts", "wrong_name") if rows[s]["score"] == rows[s]["max_auto"]]
    assert len(honest) == 3, "honest students in the same download are graded in full"


@pytest.mark.slow
def test_grades_csv_marks_flagged_students_for_review(hostile_run):
    report = Path(hostile_run["course"]) / "build" / "grading" / NAME
    with open(report / "grades.csv") as fh:
        review = {r["student_id"]: (r["needs_review"], r["review_reasons"]) for r in csv.DictReader(fh)}
    assert review["complete"] == ("no", "")
    for student in ("hijack_exec", "frame_reader", "displayhook_stub", "malformed_json", "history_leak"):
        assert review[student][0] == "yes" and review[student][1], student


@pytest.mark.slow
def test_rerun_regrades_only_what_changed_or_was_cut_short(hostile_run):
    second, third = hostile_run["second"], hostile_run["third"]
    assert second["graded"] == 1, "only the submission left 'pending' by a killed run is regraded"
    assert third["graded"] == 2, "--force --students regrades exactly those students"
    first = _rows(hostile_run["first"])
    for summary in (second, third):
        rows = _rows(summary)
        assert set(rows) == set(first), "the summary always covers the whole class"
        for student in ("complete", "stub", "partial", "hijack_exec"):
            assert rows[student]["score"] == first[student]["score"], student
    assert (Path(hostile_run["course"]) / "autograded" / "complete" / NAME / f"{NAME}.ipynb").exists()


# --- a tiny synthetic assignment: the exchange, the CLI engine, PostgreSQL (slow) -----------------
TINY = "00_tiny"


def _tiny_course(course: Path, extra_config: str = "") -> Path:
    meta = lambda **kw: {"nbgrader": {"grade": False, "solution": False, "locked": False, "task": False,  # noqa: E731
                                      "schema_version": 3, **kw}}
    cells = [
        {"cell_type": "code", "source": "import math", "metadata": {"tags": ["setup"]}},
        {"cell_type": "code", "source": "def double(x: list[int]) -> list[int]:\n    \"\"\"Each item twice.\"\"\"\n"
         "    ### BEGIN SOLUTION\n    return [v * 2 for v in x]\n    ### END SOLUTION",
         "metadata": meta(solution=True, grade_id="double")},
        {"cell_type": "code", "source": "# double doubles\nassert double([1, 2]) == [2, 4], 'expected [2, 4]'",
         "metadata": meta(grade=True, locked=True, points=1, grade_id="test_double")},
        {"cell_type": "code", "source": "# hidden\n### BEGIN HIDDEN TESTS\nassert double([3]) == [6], 'one item'\n"
         "### END HIDDEN TESTS", "metadata": meta(grade=True, locked=True, points=2, grade_id="test_double_hidden")},
    ]
    nb = _nb(cells)
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (course / "solutions" / TINY).mkdir(parents=True)
    (course / "solutions" / TINY / f"{TINY}.ipynb").write_text(json.dumps(nb))
    write_course_config(course, extra_config)
    return course


def _tiny_submission(course: Path, correct: bool) -> dict:
    """What a student hands in: hidden tests gone, the answer right or wrong."""
    nb = json.loads((course / "solutions" / TINY / f"{TINY}.ipynb").read_text())
    body = "return [v * 2 for v in x]" if correct else "return x"
    nb["cells"][1]["source"] = ("def double(x: list[int]) -> list[int]:\n    \"\"\"Each item twice.\"\"\"\n"
                                f"    {body}")
    nb["cells"][3]["source"] = "# hidden\n"
    return nb


def _tiny_run(course: Path, *extra: str) -> dict:
    args = grade.build_parser().parse_args([TINY, "--course", str(course), "--quiet", "--no-roster", *extra])
    return grade.grade(args)


@pytest.mark.slow
def test_exchange_collect_and_the_cli_engine(tmp_path):
    exchange = tmp_path / "exchange"
    course = _tiny_course(tmp_path / "course", f"c.Exchange.root = {str(exchange)!r}\n")
    inbound = exchange / "pytorch-nlp" / "inbound"
    for student, correct in (("ex_right", True), ("ex_wrong", False)):
        folder = inbound / f"{student}+{TINY}+2026-11-20 09:00:00.000000 UTC+abc"
        folder.mkdir(parents=True)
        (folder / f"{TINY}.ipynb").write_text(json.dumps(_tiny_submission(course, correct)))
        (folder / "timestamp.txt").write_text("2026-11-20 09:00:00.000000 UTC")
    summary = _tiny_run(course, "--exchange", "--engine", "cli", "--workers", "2")
    rows = _rows(summary)
    assert rows["ex_right"]["score"] == 3 and rows["ex_wrong"]["score"] == 0
    assert (course / "feedback" / "ex_right" / TINY / f"{TINY}.html").exists()
    fb = (course / "feedback" / "ex_wrong" / TINY / f"{TINY}.html").read_text()
    assert "double([3])" not in fb, "the hidden test's code is not in the feedback"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres(tmp_path):
    """A throw-away PostgreSQL server on 127.0.0.1, run as an unprivileged user."""
    bindir = next((Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None) \
        if Path("/usr/lib/postgresql").exists() else None
    initdb = shutil.which("initdb") or (str(bindir / "initdb") if bindir else None)
    pg_ctl = shutil.which("pg_ctl") or (str(bindir / "pg_ctl") if bindir else None)
    if not initdb or not pg_ctl or not Path(initdb).exists():
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    pytest.importorskip("psycopg2", reason="psycopg2-binary is not installed")
    data = tmp_path / "pgdata"
    prefix: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        runuser = shutil.which("runuser")
        if not runuser:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
        tmp_path.chmod(0o755)
        for parent in tmp_path.parents:
            if parent == Path("/"):
                break
            with contextlib.suppress(PermissionError):
                parent.chmod(parent.stat().st_mode | 0o011)
        data.mkdir()
        shutil.chown(data, "nobody")
        prefix = [runuser, "-u", "nobody", "--"]
    port = _free_port()
    subprocess.run([*prefix, initdb, "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    log = tmp_path / "pg.log"
    log.touch()
    if prefix:
        shutil.chown(log, "nobody")
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o",
                    f"-p {port} -h 127.0.0.1 -k {data}", "start"], check=True, capture_output=True)
    try:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=port, user="grader", dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute("CREATE DATABASE gradebook")
        conn.close()
        yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)


@pytest.mark.slow
def test_postgresql_gradebook_with_parallel_workers(tmp_path, postgres):
    course = _tiny_course(tmp_path / "course")
    lms = tmp_path / "lms.zip"
    with zipfile.ZipFile(lms, "w") as z:
        for i in range(6):
            z.writestr(f"pg{i}_2026-11-20T09-00-00_{TINY}.ipynb", json.dumps(_tiny_submission(course, i % 2 == 0)))
    summary = _tiny_run(course, "--submissions", str(lms), "--db-url", postgres, "--workers", "2")
    rows = _rows(summary)
    assert [rows[f"pg{i}"]["score"] for i in range(6)] == [3, 0, 3, 0, 3, 0]
    from nbgrader.api import Gradebook

    with Gradebook(postgres, "pytorch-nlp") as gb:
        assert len(gb.students) == 6
        assert gb.find_submission(TINY, "pg0").score == 3
    assert not (course / "gradebook.db").exists(), "the sqlite gradebook was not used"
