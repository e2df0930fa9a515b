"""`make grade`: the stages in order (see autograder/grade.py for the command line)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading.collect import (
    DEFAULT_REGEXP,
    Attempt,
    collect_zip,
    import_roster,
    write_attempts,
)
from autograder.grading.common import (
    FAILED,
    ROOT,
    SUBMISSION_TIMEOUT_S,
    Settings,
    _now,
    _use_venv_tools,
    check_db_url,
    expected_notebooks,
    file_sha,
    load_config,
    load_state,
    run_nbgrader,
    save_state,
    submitted_students,
)
from autograder.grading.execute import GradebookLock, default_workers, patch_gradebook, run_workers
from autograder.grading.report import (
    export_grades,
    mark_for_review,
    print_summary,
    shard_filter,
    summarize,
    write_reports,
)
from autograder.grading.triage import triage_and_scan
from autograder.grading.verdict import record_zero, runtime_flags, set_flagged


def ensure_assignment(settings: Settings, force: bool) -> None:
    """Put the assignment (its notebooks and grade cells) into the gradebook when it changed."""
    course = Path(settings.course)
    state = Path(settings.report) / "state" / "_assignment.json"
    source = course / settings.source_dir / settings.assignment
    if not source.is_dir():
        raise SystemExit(f"no assignment {settings.assignment!r}: {source} does not exist")
    digest = hashlib.sha256(b"".join(file_sha(p).encode() for p in sorted(source.glob("*.ipynb")))).hexdigest()
    known = json.loads(state.read_text()) if state.exists() else {}
    if not force and known.get("sha256") == digest and known.get("db_url") == settings.db_url:
        return
    release = Path(settings.scratch) / "release"
    run_nbgrader(course, "generate_assignment", settings.assignment, "--force",
                 f"--CourseDirectory.release_directory={release}", db_url=settings.db_url)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"sha256": digest, "db_url": settings.db_url}))


def grade(args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    _use_venv_tools()
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own ORM noise
    course = Path(args.course).resolve()
    sandbox_mode = require_sandbox(args.allow_unsandboxed)
    config = load_config(course, args.db_url)
    db_url = config.CourseDirectory.db_url
    check_db_url(db_url)
    course_id = config.CourseDirectory.course_id or "default_course"
    source_dir = config.CourseDirectory.source_directory or "source"
    report = Path(args.report or course / "build" / "grading" / args.assignment).resolve()
    # kernels' temp and Jupyter runtime folders: outside the course, which kernels cannot write
    scratch = Path(tempfile.mkdtemp(prefix=f"grading-{args.assignment}-"))
    settings = Settings(str(course), args.assignment, db_url, course_id, source_dir, str(report),
                        str(scratch), engine=args.engine, timeout=args.timeout,
                        worker_memory_mb=args.worker_memory_mb)
    lock = GradebookLock(db_url)
    patch_gradebook(lock)
    if lock.path is not None:  # workers and nbgrader CLIs take the same lock (see the config)
        os.environ[GradebookLock.ENV] = str(lock.path)
    else:
        os.environ.pop(GradebookLock.ENV, None)
    from autograder.grading.isolation import sweep_cgroups

    sweep_cgroups()  # a killed earlier run may have left sandboxes behind
    try:
        return _grade(args, settings, started, sandbox_mode)
    finally:
        sweep_cgroups()
        shutil.rmtree(scratch, ignore_errors=True)


def require_sandbox(allow_unsandboxed: bool) -> str:
    """Refuse to grade without bubblewrap unless the instructor said so; the mode, in words."""
    from autograder.grading.isolation import check_bwrap

    if allow_unsandboxed:
        os.environ["COURSE_ALLOW_UNSANDBOXED"] = "1"
        mode = "NONE (--allow-unsandboxed: kernels run with the in-kernel guard only)"
        print(f"WARNING: grading kernels are not sandboxed: {mode}", file=sys.stderr)
        return mode
    problem = check_bwrap()
    if problem:
        raise SystemExit(f"cannot sandbox the grading kernels: {problem}.\n"
                         "Install bubblewrap, or grade without a sandbox on the in-kernel guard alone with "
                         "--allow-unsandboxed (make grade ... ARGS=--allow-unsandboxed); the summary records it.")
    os.environ.pop("COURSE_ALLOW_UNSANDBOXED", None)
    return "bubblewrap"


def _grade(args: argparse.Namespace, settings: Settings, started: float, sandbox_mode: str = "bubblewrap") -> dict:
    course, report, source_dir = Path(settings.course), Path(settings.report), settings.source_dir
    db_url = settings.db_url
    log = print if not args.quiet else (lambda *a, **k: None)

    log(f"== {args.assignment}: gradebook {db_url}")
    ensure_assignment(settings, args.force)
    roster: list[str] = []
    roster_path = Path(args.roster) if args.roster else None
    if roster_path is not None:
        roster = import_roster(settings, roster_path)
        log(f"roster: {len(roster)} students from {roster_path}")
    attempts: list[Attempt] = []
    ignored: list[str] = []
    if args.submissions:
        attempts, ignored = collect_zip(settings, Path(args.submissions), args.regexp)
        log(f"collected {len({a.student for a in attempts})} students, {len(attempts)} attempts "
            f"({sum(not a.chosen for a in attempts)} older kept); {len(ignored)} files not collected")
        write_attempts(report, attempts)
    elif args.exchange:
        run_nbgrader(course, "collect", args.assignment, "--update", db_url=db_url)
    expected = expected_notebooks(course, args.assignment, source_dir)
    renamed = {a.student: a.renamed_from for a in attempts if a.chosen and a.renamed_from}

    students = submitted_students(settings)
    if args.students:
        wanted = set(args.students.split(","))
        students = [s for s in students if s in wanted]
    students = shard_filter(students, args.shard)
    states: dict[str, dict] = {}
    tasks = []
    for sid in students:
        folder = course / "submitted" / sid / args.assignment
        tri, flags = triage_and_scan(folder, expected, course / source_dir / args.assignment)
        previous = load_state(settings, sid)
        notes = list(tri.notes)
        if sid in renamed:
            notes.append(f"submitted as {renamed[sid]!r}, collected as {expected[0]}")
        state = {"sha256": tri.sha256, "status": tri.status, "notes": notes, "flags": flags}
        if tri.status in ("unreadable", "missing"):
            if args.force or previous.get("sha256") != tri.sha256 or previous.get("status") != tri.status:
                record_zero(settings, sid, expected, "; ".join(tri.notes))
            state.update(seconds=0.0, graded_at=_now())
            save_state(settings, sid, state)
            states[sid] = state
            continue
        unchanged = previous.get("sha256") == tri.sha256 and previous.get("status") not in (None, "pending")
        if unchanged and not args.force:
            previous["skipped"] = True
            states[sid] = previous
            continue
        state["status"] = "pending"
        save_state(settings, sid, state)  # a killed run leaves 'pending': regraded with --force
        states[sid] = state
        tasks.append({"student": sid, "force": True, "feedback": not args.no_feedback})
    if args.refresh_feedback:
        for sid, st in states.items():
            if st.get("skipped") and st.get("status") in ("graded", "repaired"):
                tasks.append({"student": sid, "force": False, "feedback": True, "refresh": True})

    log(f"grading {len(tasks)} submissions on {args.workers} {args.engine} workers "
        f"({len(students) - len(tasks)} unchanged or unreadable); limit {args.timeout:g} s each")
    errors: list[str] = []

    def finish(task: dict, res: dict) -> None:
        """Record one result as soon as it arrives: a killed run loses only what was running."""
        sid = task["student"]
        state = states[sid]
        if task.get("refresh"):
            return
        state["seconds"] = res.get("seconds")
        state["lock_wait_s"] = res.get("lock_wait_s")
        state["graded_at"] = _now()
        if res.get("ok"):
            repaired = any("not UTF-8" in n or "re-encoded" in n for n in state["notes"])
            state["status"] = "repaired" if repaired else "graded"
            for name in expected:
                state["flags"] += runtime_flags(course / "autograded" / sid / args.assignment / name)
            if res.get("feedback_error"):
                state["notes"].append("feedback failed: " + res["feedback_error"].strip().splitlines()[-1][:200])
        else:
            why = "timeout" if res.get("timeout") else "error"
            state["status"] = why
            last = (res.get("log") or "").strip().splitlines()[-1:] or ["unknown"]
            state["notes"].append(f"{why}: {last[0][:200]}")
            errors.append(f"{sid}: {last[0][:160]}")
            record_zero(settings, sid, expected,
                        "Grading stopped after the time limit." if why == "timeout"
                        else "The grader failed on this notebook.")
        if state["flags"] or state["status"] in FAILED:
            set_flagged(settings, sid, True)
        save_state(settings, sid, state)

    t0 = time.perf_counter()
    if tasks:
        run_workers(settings, tasks, args.workers, progress=not args.quiet, on_result=finish)
    grading_s = time.perf_counter() - t0

    export_grades(settings, report / "grades.csv")
    # the summary covers the whole class (this machine's shard), not just this run's students
    everyone = dict(states)
    for sid in shard_filter(submitted_students(settings), args.shard):
        if sid not in everyone and (old := load_state(settings, sid)):
            everyone[sid] = old
    rows = summarize(settings, shard_filter(roster, args.shard), everyone)
    mark_for_review(report / "grades.csv", rows)
    extra = {"report": str(report), "sandbox": sandbox_mode, "scratch": settings.scratch, "ignored_files": ignored, "errors": errors,
             "grading_seconds": round(grading_s, 1), "graded": sum(not t.get("refresh") for t in tasks),
             "workers": args.workers, "engine": args.engine,
             "total_seconds": round(time.perf_counter() - started, 1)}
    summary = write_reports(settings, rows, extra)
    if not args.quiet:
        print_summary(summary)
        print(f"graded {len(tasks)} in {grading_s:.0f} s; total {extra['total_seconds']:.0f} s")
    return summary


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder.grade", description=__doc__.split("\n")[0])
    p.add_argument("assignment", help="assignment id, e.g. 01_tensors")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--submissions", help="LMS download (.zip) to collect with zip_collect")
    src.add_argument("--exchange", action="store_true", help="collect from nbgrader's exchange")
    default_roster = ROOT / "autograder" / "roster.csv"
    p.add_argument("--roster", default=str(default_roster) if default_roster.exists() else None,
                   help="CSV id,first_name,last_name,email (default autograder/roster.csv if present)")
    p.add_argument("--no-roster", dest="roster", action="store_const", const=None)
    p.add_argument("--course", default=str(ROOT), help="course directory (holds nbgrader_config.py)")
    p.add_argument("--db-url", help="gradebook URL (default: the config's; e.g. postgresql+psycopg2://...)")
    p.add_argument("--workers", type=int, default=default_workers(), help="parallel graders (default: cores)")
    p.add_argument("--timeout", type=float, default=SUBMISSION_TIMEOUT_S,
                   help="wall-clock seconds per submission (per-cell limits come from the config)")
    p.add_argument("--engine", choices=["api", "cli"], default="api",
                   help="api: long-lived NbGraderAPI workers (faster); cli: one nbgrader process each")
    p.add_argument("--force", action="store_true", help="regrade every submission, changed or not")
    p.add_argument("--students", help="comma-separated student ids to grade (default: all)")
    p.add_argument("--shard", help="K/N: grade only this machine's share (shared PostgreSQL gradebook)")
    p.add_argument("--regexp", default=DEFAULT_REGEXP, help="LMS file-name regexp (student_id, timestamp, file_id)")
    p.add_argument("--no-feedback", action="store_true", help="skip generate_feedback")
    p.add_argument("--refresh-feedback", action="store_true",
                   help="also regenerate feedback of unchanged submissions (after manual grading)")
    p.add_argument("--worker-memory-mb", type=int, default=8192, help="address-space cap per worker")
    p.add_argument("--report", help="report folder (default build/grading/<assignment>)")
    p.add_argument("--allow-unsandboxed", action="store_true",
                   help="grade without bubblewrap (in-kernel guard only); printed and recorded in the summary")
    p.add_argument("--quiet", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    grade(args)
    return 0
