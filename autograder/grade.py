"""`make grade`: from an LMS download (or nbgrader's exchange) to grades, feedback and a summary.

    python -m autograder.grade ASSIGNMENT [--submissions LMS.zip | --exchange] [--roster CSV]
        [--workers N] [--timeout S] [--engine api|cli] [--force] [--students a,b] [--shard K/N]

Steps, each safe to re-run:
  1. the assignment enters the gradebook (``generate_assignment``, release written to scratch);
  2. the roster (CSV: id,first_name,last_name,email) is imported;
  3. collect: the LMS zip is archived under ``downloaded/<A>/archive/`` (every download is kept)
     and ``nbgrader zip_collect`` turns it into ``submitted/`` (newest attempt wins); or
     ``nbgrader collect --update`` reads the exchange;
  4. triage: each submission is read; non-UTF-8 notebooks are re-encoded (original kept beside
     it as a dotfile), unreadable or missing notebooks score zero, stray files are set aside;
  5. autograde + feedback in parallel worker processes (one per core by default), each
     submission under a wall-clock limit on top of nbgrader's per-cell limits; submissions
     already graded and unchanged are skipped unless ``--force``;
  6. grades are exported to CSV and a summary per student and per exercise is printed and
     written to ``build/grading/<A>/`` (summary.csv, exercises.csv, summary.json, logs/).

LMS file names (default ``--regexp``): ``<student_id>_<timestamp>_<notebook>.ipynb`` anywhere in
the zip, with the timestamp as ``YYYY-MM-DDTHH-MM-SS`` (``T``, ``_``, space or nothing between
date and time; ``-``, ``:`` or nothing inside; optional ``Z``), always UTC, e.g.
``s1234567_2026-11-20T09-15-00_01_tensors.ipynb``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGEXP = (
    r"(?:.*/)?(?P<student_id>[A-Za-z0-9][\w.@+-]*?)_"
    r"(?P<timestamp>\d{4}-?\d\d-?\d\d(?:[T_ ]?)\d\d[-:]?\d\d[-:]?\d\d(?:Z|UTC)?)_"
    r"(?P<file_id>[^/]+)$"
)
SUBMISSION_TIMEOUT_S = 900
FAILED = ("unreadable", "missing", "timeout", "error")


# --- LMS file names -----------------------------------------------------------------------
def normalize_timestamp(text: str) -> str:
    """``2026-11-20T09-15-00Z`` (and variants) -> ``2026-11-20 09:15:00 UTC`` for nbgrader."""
    digits = re.sub(r"\D", "", text)
    if len(digits) != 14:
        raise ValueError(f"timestamp {text!r} does not have 14 digits (YYYYMMDDhhmmss)")
    stamp = dt.datetime.strptime(digits, "%Y%m%d%H%M%S")
    return stamp.strftime("%Y-%m-%d %H:%M:%S UTC")


def expected_notebooks(course: Path, assignment: str, source_dir: str = "solutions") -> list[str]:
    folder = course / source_dir / assignment
    return sorted(p.name for p in folder.glob("*.ipynb"))


@dataclass
class Attempt:
    path: str
    student: str
    timestamp: str
    file_id: str
    renamed_from: str = ""
    chosen: bool = False


def parse_download(path: str, regexp: str, expected: list[str]) -> Attempt | None:
    """One file of an LMS download as an attempt, or None when its name does not fit.

    A notebook with the wrong name (``01_tensors (1).ipynb``, ``Untitled.ipynb``) counts as the
    assignment's notebook when the assignment has one notebook and the same attempt (student
    and timestamp) holds no correctly named one.
    """
    if not path.endswith(".ipynb"):
        return None
    m = re.match(regexp, path)
    if not m:
        return None
    info = m.groupdict()
    try:
        stamp = normalize_timestamp(info.get("timestamp") or "")
    except ValueError:
        return None
    attempt = Attempt(path, info["student_id"], stamp, info["file_id"])
    if attempt.file_id in expected:
        return attempt
    if len(expected) != 1:
        return None
    folder = os.path.dirname(path)
    for sibling in os.listdir(folder or "."):
        other = re.match(regexp, os.path.join(folder, sibling))
        if other and other["student_id"] == attempt.student and other["file_id"] in expected:
            with contextlib.suppress(ValueError):
                if normalize_timestamp(other["timestamp"]) == stamp:
                    return None
    attempt.renamed_from, attempt.file_id = attempt.file_id, expected[0]
    return attempt


class LmsCollector(FileNameCollectorPlugin):
    """zip_collect plugin: our LMS file names, normalised timestamps, forgiving notebook names."""

    named_regexp = Unicode(DEFAULT_REGEXP).tag(config=True)

    def collect(self, submitted_file: str) -> dict | None:
        coursedir = self.parent.coursedir
        expected = expected_notebooks(
            Path(coursedir.root), coursedir.assignment_id, coursedir.source_directory)
        try:
            attempt = parse_download(submitted_file, self.named_regexp, expected)
        except Exception as err:  # noqa: BLE001 - one odd name never stops the collection
            self.log.warning("Skipping %s: %s", submitted_file, err)
            return None
        if attempt is None:
            self.log.warning("Skipping %s: its name does not fit %s", submitted_file, self.named_regexp)
            return None
        if attempt.renamed_from:
            self.log.warning("Collecting %s as %s", attempt.renamed_from, attempt.file_id)
        return {"student_id": attempt.student, "timestamp": attempt.timestamp,
                "file_id": attempt.file_id}


def scan_downloads(extracted: Path, regexp: str, expected: list[str]) -> tuple[list[Attempt], list[str]]:
    """Every attempt found in an extracted download (newest per student marked chosen), and
    the files that were not collected."""
    attempts, ignored = [], []
    for path in sorted(str(p) for p in extracted.rglob("*") if p.is_file()):
        attempt = parse_download(path, regexp, expected)
        if attempt is None:
            ignored.append(os.path.relpath(path, extracted))
        else:
            attempts.append(attempt)
    newest: dict[tuple[str, str], Attempt] = {}
    for a in attempts:  # same order and tie-break as zip_collect: later wins on equal stamps
        key = (a.student, a.file_id)
        if key not in newest or a.timestamp >= newest[key].timestamp:
            newest[key] = a
    for a in newest.values():
        a.chosen = True
    return attempts, ignored


# --- the course and its gradebook -----------------------------------------------------------
@dataclass
class Settings:
    course: str
    assignment: str
    db_url: str
    course_id: str
    source_dir: str
    report: str
    scratch: str
    engine: str = "api"
    timeout: float = SUBMISSION_TIMEOUT_S
    worker_memory_mb: int = 8192


def check_db_url(db_url: str) -> None:
    """SQLAlchemy 2.1 reads ``postgresql://`` as psycopg 3; the pinned driver is psycopg2."""
    import importlib.util

    if db_url.startswith("postgresql://") and importlib.util.find_spec("psycopg") is None:
        raise SystemExit(f"gradebook URL {db_url!r}: write postgresql+psycopg2://... "
                         "(the environment pins psycopg2-binary; plain postgresql:// means psycopg 3)")


def load_config(course: Path, db_url: str | None = None):
    """The course's nbgrader config (the API does not read nbgrader_config.py by itself)."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


def sqlite_path(db_url: str) -> Path | None:
    if db_url.startswith("sqlite:///"):
        return Path(db_url[len("sqlite:///"):].split("?", 1)[0])
    return None


class GradebookLock:
    """One writer at a time across our processes for a sqlite gradebook (re-entrant).

    nbgrader opens and closes the gradebook many times per submission; parallel workers
    would otherwise race for sqlite's file lock. A server database (PostgreSQL) needs none.
    """

    ENV = "COURSE_GRADEBOOK_LOCK"  # tells worker processes (and nbgrader CLIs) which file to lock

    def __init__(self, db_url: str, wait_s: float = 300.0, path: str | None = None):
        db = sqlite_path(db_url)
        self.path = Path(path) if path else lock_path_for(db) if db else None
        self.wait_s = wait_s
        self.depth = 0
        self.fh = None
        self.waited_s = 0.0  # time spent waiting for other processes (reported by workers)

    def acquire(self) -> None:
        self.depth += 1
        if self.path is None or self.depth > 1:
            return
        self.fh = open(self.path, "a+")  # noqa: SIM115 - held until release()
        started = time.monotonic()
        deadline = started + self.wait_s
        try:
            while True:
                try:
                    fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:  # never deadlock: sqlite's own lock remains
                        return
                    time.sleep(0.02)
        finally:
            self.waited_s += time.monotonic() - started

    def release(self) -> None:
        self.depth = max(0, self.depth - 1)
        if self.depth == 0 and self.fh is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()


def lock_path_for(db: Path) -> Path:
    """One lock file per sqlite gradebook, in the system temp folder (not in the repository)."""
    digest = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"course-gradebook-{digest}.lock"


def patch_gradebook(lock: GradebookLock) -> None:
    """Make every nbgrader Gradebook in this process hold ``lock`` while it is open.

    Patches once per process; a later call only swaps the lock (two lock objects on one file
    in one process would block each other)."""
    from nbgrader import api

    previous = getattr(api.Gradebook, "_course_lock", None)
    api.Gradebook._course_lock = lock
    if previous is not None:
        return
    original_init, original_close = api.Gradebook.__init__, api.Gradebook.close

    def __init__(self, *args, **kwargs):
        held = api.Gradebook._course_lock
        held.acquire()
        try:
            original_init(self, *args, **kwargs)
        except BaseException:
            held.release()
            raise
        self._course_held = held

    def close(self):
        try:
            original_close(self)
        finally:
            held = self.__dict__.pop("_course_held", None)
            if held is not None:
                held.release()

    api.Gradebook.__init__, api.Gradebook.close = __init__, close
    # sqlite waits for a busy database instead of failing at once (belt and braces)
    original_engine = api.create_engine

    def create_engine(url, *args, **kwargs):
        if str(url).startswith("sqlite"):
            kwargs.setdefault("connect_args", {}).setdefault("timeout", 60)
        return original_engine(url, *args, **kwargs)

    api.create_engine = create_engine


@contextlib.contextmanager
def gradebook(settings: Settings) -> Iterator:
    from nbgrader.api import Gradebook

    with Gradebook(settings.db_url, settings.course_id) as gb:
        yield gb


# --- workers ---------------------------------------------------------------------------------
def _pythonpath() -> str:
    """PYTHONPATH for child processes: the repository first, so they import ``autograder``."""
    return os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def _worker_env(settings: Settings, slot: int) -> dict[str, str]:
    """Per-worker Jupyter runtime and temp folders, so one kernel cannot see another's."""
    scratch = Path(settings.scratch)
    runtime = scratch / "runtime" / f"w{slot}"
    tmp = scratch / "tmp" / f"w{slot}"
    for folder in (runtime, tmp):
        folder.mkdir(parents=True, exist_ok=True)
    from autograder import sandbox

    secret = os.pathsep.join(filter(None, [os.environ.get(sandbox.ENV_SECRET), str(scratch / "runtime"),
                                           settings.report]))
    return {"JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(tmp), sandbox.ENV_SECRET: secret,
            "PYTHONPATH": _pythonpath()}


def _limit_worker_memory(mb: int) -> None:
    import resource

    if mb > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))


def _api_worker_main(fd: int, settings_dict: dict, slot: int, log_path: str) -> None:
    """Entry point of a worker process: ``fd`` is its end of the socket pair."""
    from multiprocessing.connection import Connection

    os.set_inheritable(fd, False)  # grading kernels must not get the pipe
    _api_worker(Connection(fd), settings_dict, slot, log_path)


def _api_worker(conn, settings_dict: dict, slot: int, log_path: str) -> None:
    """Long-lived worker: nbgrader's Python API, one submission per message."""
    settings = Settings(**settings_dict)
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.environ.update(_worker_env(settings, slot))
    _limit_worker_memory(settings.worker_memory_mb)
    os.chdir(settings.course)
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    from nbgrader.apps import NbGraderAPI

    config = load_config(Path(settings.course), settings.db_url)  # it patches the Gradebook (lock)
    api = NbGraderAPI(config=config)
    conn.send({"ready": True})
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        result = {"student": task["student"]}
        started = time.perf_counter()
        from nbgrader.api import Gradebook

        lock = getattr(Gradebook, "_course_lock", None)
        waited = lock.waited_s if lock else 0.0
        try:
            res = api.autograde(settings.assignment, task["student"], force=task["force"], create=True)
            result["autograde_s"] = round(time.perf_counter() - started, 2)
            result["ok"] = bool(res.get("success"))
            result["log"] = (res.get("error") or res.get("log") or "")[-3000:]
            if result["ok"] and task.get("feedback", True):
                t0 = time.perf_counter()
                fb = api.generate_feedback(settings.assignment, task["student"], force=True)
                result["feedback_s"] = round(time.perf_counter() - t0, 2)
                if not fb.get("success"):
                    result["feedback_error"] = (fb.get("error") or fb.get("log") or "")[-2000:]
        except Exception:  # noqa: BLE001 - reported, the worker lives on
            result.update(ok=False, log=traceback.format_exc()[-3000:])
        result["seconds"] = round(time.perf_counter() - started, 2)
        result["lock_wait_s"] = round((lock.waited_s if lock else 0.0) - waited, 3)
        conn.send(result)


def _kill_tree(pid: int) -> None:
    """Kill a process and all its descendants (grading kernels start their own sessions)."""
    try:
        import psutil

        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
    except Exception:  # noqa: BLE001 - already gone
        procs = []
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.kill()
    with contextlib.suppress(Exception):
        import psutil

        psutil.wait_procs(procs, timeout=10)


class ApiSlot:
    """A long-lived worker process (``_api_worker``) fed one submission at a time over a pipe.

    Started as a plain subprocess, not through multiprocessing's spawn, so that whatever
    script imported this module is not re-run in the worker.
    """

    def __init__(self, settings: Settings, slot: int, log_path: Path):
        self.settings, self.slot, self.log_path = settings, slot, log_path
        self.proc: subprocess.Popen | None = None
        self.conn = None
        self.task = None
        self.started = 0.0

    def _spawn(self) -> None:
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        code = ("import json, sys; from autograder.grade import _api_worker_main; "
                "_api_worker_main(int(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4])")
        env = {**os.environ, "PYTHONPATH": _pythonpath()}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno()), json.dumps(asdict(self.settings)),
             str(self.slot), str(self.log_path)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())

    def start(self, task: dict) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self._spawn()
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def poll(self) -> dict | None:
        """The finished task's result, a failure when the worker died, or None if still busy."""
        try:
            while self.conn.poll():
                msg = self.conn.recv()
                if msg.get("ready"):
                    self.started = time.monotonic()  # the clock starts once nbgrader is loaded
                    continue
                self.task = None
                return msg
        except (EOFError, OSError):
            pass
        if self.proc.poll() is not None:
            return self._fail(f"the grading worker died (exit code {self.proc.returncode}); "
                              f"see {self.log_path}")
        return None

    def _fail(self, why: str) -> dict:
        student = self.task["student"]
        seconds = round(time.monotonic() - self.started, 2)
        self.stop(kill=True)
        return {"student": student, "ok": False, "crashed": True, "log": why, "seconds": seconds}

    def kill_for_timeout(self) -> dict:
        return {**self._fail(f"grading took longer than {self.settings.timeout:g} s; stopped"),
                "timeout": True}

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if not kill and self.proc.poll() is None:
            with contextlib.suppress(Exception):
                self.conn.send(None)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
        if self.proc.poll() is None:
            _kill_tree(self.proc.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()
        self.proc, self.conn, self.task = None, None, None


class CliSlot:
    """One ``nbgrader autograde --student X`` (then ``generate_feedback``) subprocess at a time."""

    def __init__(self, settings: Settings, slot: int, log_path: Path):
        self.settings, self.slot, self.log_path = settings, slot, log_path
        self.proc = None
        self.task = None
        self.started = 0.0

    def start(self, task: dict) -> None:
        exe = Path(sys.executable).parent / "nbgrader"
        a, s = self.settings.assignment, task["student"]
        db = f"--CourseDirectory.db_url={self.settings.db_url}"
        steps = [[str(exe), "autograde", a, "--student", s, db] + (["--force"] if task["force"] else [])]
        if task.get("feedback", True):
            steps.append([str(exe), "generate_feedback", a, "--student", s, "--force", db])
        script = " && ".join(" ".join(_quote(x) for x in step) for step in steps)
        env = {**os.environ, **_worker_env(self.settings, self.slot)}
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        mb = self.settings.worker_memory_mb
        self.proc = subprocess.Popen(
            ["bash", "-c", script], cwd=self.settings.course, env=env, stdout=log,
            stderr=subprocess.STDOUT, preexec_fn=lambda: _limit_worker_memory(mb))
        log.close()
        self.task, self.started = task, time.monotonic()

    def poll(self) -> dict | None:
        if self.proc is None or self.proc.poll() is None:
            return None
        seconds = round(time.monotonic() - self.started, 2)
        ok = self.proc.returncode == 0
        result = {"student": self.task["student"], "ok": ok, "seconds": seconds,
                  "log": "" if ok else _tail(self.log_path, 3000)}
        self.proc, self.task = None, None
        return result

    def kill_for_timeout(self) -> dict:
        student = self.task["student"]
        _kill_tree(self.proc.pid)
        self.proc.wait()
        self.proc, self.task = None, None
        return {"student": student, "ok": False, "timeout": True, "crashed": True,
                "seconds": round(time.monotonic() - self.started, 2),
                "log": f"grading took longer than {self.settings.timeout:g} s; stopped"}

    def stop(self, kill: bool = False) -> None:
        if self.proc is not None and self.proc.poll() is None:
            _kill_tree(self.proc.pid)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _tail(path: Path, n: int) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


def run_workers(settings: Settings, tasks: list[dict], workers: int, progress: bool = True,
                on_result: Callable[[dict, dict], None] | None = None) -> dict[str, dict]:
    """Grade ``tasks`` on ``workers`` slots with a wall-clock limit each; results by student.

    ``on_result(task, result)`` runs in this process as each submission finishes."""
    logs = Path(settings.report) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    slot_class = ApiSlot if settings.engine == "api" else CliSlot
    slots = [slot_class(settings, i, logs / f"worker-{i}.log") for i in range(max(1, workers))]
    pending = list(tasks)
    results: dict[str, dict] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), desc=f"grading {settings.assignment}", unit="sub",
                   file=sys.stderr, dynamic_ncols=True)
    try:
        while pending or any(s.task for s in slots):
            for slot in slots:
                if slot.task is None and pending:
                    slot.start(pending.pop(0))
                if slot.task is None:
                    continue
                task = slot.task
                result = slot.poll()
                if result is None and time.monotonic() - slot.started > settings.timeout:
                    result = slot.kill_for_timeout()
                if result is not None:
                    results[result["student"]] = result
                    if on_result is not None:
                        on_result(task, result)
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix_str(f"{result['student']} {result['seconds']:.0f}s")
            time.sleep(0.05)
    finally:
        for slot in slots:
            slot.stop()
        if bar is not None:
            bar.close()
    return results


# --- triage ------------------------------------------------------------------------------------
@dataclass
class Triage:
    status: str = "ok"  # ok | repaired | unreadable | missing
    notes: list[str] = field(default_factory=list)
    sha256: str = ""


def read_notebook_bytes(raw: bytes) -> tuple[dict | None, str]:
    """Parse a notebook file; (notebook, how) where how says which encoding it needed."""
    import warnings

    import nbformat

    warnings.filterwarnings("ignore", module="nbformat")
    attempts = [("utf-8", lambda: json.loads(raw.decode("utf-8"))),
                ("a BOM-detected encoding", lambda: json.loads(raw)),
                ("cp1252", lambda: json.loads(raw.decode("cp1252"))),
                ("latin-1", lambda: json.loads(raw.decode("latin-1")))]
    error = ""
    for how, parse in attempts:
        try:
            data = parse()
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            error = error or f"{type(err).__name__}: {str(err)[:120]}"
            continue
        except (RecursionError, MemoryError, ValueError) as err:  # nested 100,000 deep & co.
            error = error or f"{type(err).__name__}: {str(err)[:120]}"
            continue
        try:
            if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
                raise ValueError("no list of cells")
            problem = metadata_problem(data)
            if problem:
                raise ValueError(problem)
            nbformat.reads(json.dumps(data), as_version=4)
        except Exception as err:  # noqa: BLE001 - any way of not being a notebook
            return None, f"not a notebook ({type(err).__name__}: {str(err)[:120]})"
        return data, how
    return None, f"not valid JSON ({error})"


MAX_JSON_DEPTH = 64


def _depth(value, limit: int) -> int:
    """Nesting depth of JSON data, iteratively, stopping past ``limit``."""
    stack, best = [(value, 1)], 0
    while stack:
        item, d = stack.pop()
        best = max(best, d)
        if best > limit:
            return best
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return best


def metadata_problem(nb: dict) -> str:
    """Why the notebook's structure cannot be trusted by nbgrader, or "" (never raises)."""
    if _depth(nb, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
    for i, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or not isinstance(cell.get("metadata", {}), dict):
            return f"cell {i} is not a cell"
        nbg = cell.get("metadata", {}).get("nbgrader")
        if nbg is None:
            continue
        if not isinstance(nbg, dict):
            return f"cell {i}: nbgrader metadata is not a mapping"
        if "points" in nbg and (isinstance(nbg["points"], bool) or not isinstance(nbg["points"], (int, float))):
            return f"cell {i}: nbgrader points {str(nbg['points'])[:20]!r} is not a number"
        if "grade_id" in nbg and not isinstance(nbg["grade_id"], str):
            return f"cell {i}: nbgrader grade_id is not a string"
        for key in ("grade", "solution", "locked", "task"):
            if key in nbg and not isinstance(nbg[key], bool):
                return f"cell {i}: nbgrader {key} is not true or false"
    return ""


def triage_submission(folder: Path, expected: list[str]) -> Triage:
    """Make ``submitted/<student>/<A>/`` gradable, or say why it is not (nothing is deleted)."""
    tri = Triage()
    digest = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        path = folder / name
        if name in expected or name == "timestamp.txt" or name.startswith("."):
            continue
        aside = folder / ".extra"
        aside.mkdir(exist_ok=True)
        shutil.move(str(path), str(aside / name))
        tri.notes.append(f"set aside extra file {name!r} (not used for grading)")
    found = 0
    for name in expected:
        path = folder / name
        if not path.exists():
            continue
        found += 1
        raw = path.read_bytes()
        original = folder / f".original-{name}"
        # the hash is of what the student sent, so a repaired file does not look changed
        digest.update(name.encode() + b"\0" + (original.read_bytes() if original.exists() else raw))
        nb, how = read_notebook_bytes(raw)
        if nb is None:
            tri.status = "unreadable"
            tri.notes.append(f"{name}: {how}")
        elif how != "utf-8":
            if not original.exists():
                original.write_bytes(raw)
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
            tri.status = "repaired" if tri.status == "ok" else tri.status
            tri.notes.append(f"{name}: not UTF-8, read as {how} (original kept as .original-{name})")
        elif (folder / f".original-{name}").exists():
            tri.status = "repaired" if tri.status == "ok" else tri.status
            tri.notes.append(f"{name}: re-encoded to UTF-8 earlier (original kept as .original-{name})")
    if found == 0:
        tri.status = "missing"
        tri.notes.append(f"no {' or '.join(expected)} in the submission")
    elif found < len(expected):
        tri.notes.append("some notebooks are missing; they score zero")
    ts = folder / "timestamp.txt"
    digest.update(ts.read_bytes() if ts.exists() else b"")
    tri.sha256 = digest.hexdigest()
    return tri


# --- the pipeline ------------------------------------------------------------------------------
def run_nbgrader(course: Path, *args: str, db_url: str | None = None,
                 check: bool = True) -> subprocess.CompletedProcess:
    from autograder.build import nbgrader

    extra = [f"--CourseDirectory.db_url={db_url}"] if db_url else []
    result = nbgrader(*args, *extra, cwd=course, check=False)
    if check and result.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def import_roster(settings: Settings, roster: Path) -> list[str]:
    """Add or update every student of a CSV roster (id,first_name,last_name,email)."""
    if not roster.is_file():
        raise SystemExit(f"no roster file {roster}: give ROSTER=path/to/class.csv "
                         "(id,first_name,last_name,email) or --no-roster")
    try:
        with open(roster, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as err:
        raise SystemExit(f"{roster} is not a UTF-8 CSV file ({err}); export the roster as CSV UTF-8") from None
    if rows and "id" not in rows[0]:
        raise SystemExit(f"{roster}: the roster needs an 'id' column (id,first_name,last_name,email)")
    ids = []
    with gradebook(settings) as gb:
        for row in rows:
            sid = (row.get("id") or "").strip()
            if not sid:
                continue
            fields = {k: (row.get(k) or "").strip() or None for k in ("first_name", "last_name", "email")}
            gb.update_or_create_student(sid, **fields)
            ids.append(sid)
    return ids


def zip_problem(archive: Path) -> str:
    """Why ``archive`` is not a usable zip file, or "" when it is one."""
    import zipfile

    if not zipfile.is_zipfile(archive):
        return "is not a zip file"
    try:
        with zipfile.ZipFile(archive) as z:
            bad = z.testzip()
    except Exception as err:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError...: all mean damaged
        return f"is a damaged zip file ({type(err).__name__}: {err})"
    return f"is a damaged zip file (member {bad!r} fails its CRC check)" if bad else ""


def collect_zip(settings: Settings, archive: Path, regexp: str) -> tuple[list[Attempt], list[str]]:
    """Archive the LMS download (kept for good) and run nbgrader's zip_collect over all of them."""
    course = Path(settings.course)
    if not archive.exists():
        raise SystemExit(f"no such file: {archive}")
    problem = zip_problem(archive)
    if problem:  # checked before archiving: a bad file kept there would break every later run
        raise SystemExit(f"{archive} {problem}; download the submissions from the LMS again "
                         "(nothing was collected or changed)")
    downloads = course / "downloaded" / settings.assignment
    store = downloads / "archive"
    store.mkdir(parents=True, exist_ok=True)
    digest = file_sha(archive)[:10]
    if not any(p.stem.endswith(digest) for p in store.iterdir()):
        shutil.copy2(archive, store / f"{archive.stem}-{digest}{archive.suffix}")
    run_nbgrader(course, "zip_collect", settings.assignment, "--force",
                 "--collector=autograder.grade.LmsCollector",
                 "--extractor=autograder.grading.collect.SafeExtractor",
                 f"--LmsCollector.named_regexp={regexp}", db_url=settings.db_url)
    expected = expected_notebooks(course, settings.assignment, settings.source_dir)
    from autograder.grading.collect import read_report

    attempts, ignored = scan_downloads(downloads / "extracted", regexp, expected)
    refused = [f"{r.get('member', '?')[:80]!r} in {r.get('archive', '?')}: not extracted ({r.get('why', '')})"
               for r in read_report(downloads)]
    return attempts, refused + ignored


def submitted_students(settings: Settings) -> list[str]:
    base = Path(settings.course) / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / settings.assignment).is_dir())


def load_state(settings: Settings, student: str) -> dict:
    path = Path(settings.report) / "state" / f"{student}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def save_state(settings: Settings, student: str, state: dict) -> None:
    path = Path(settings.report) / "state" / f"{student}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.replace(path)


def record_zero(settings: Settings, student: str, notebooks: list[str], why: str) -> None:
    """A submission nbgrader could not grade scores zero, flagged for the instructor."""
    course = Path(settings.course)
    ts_file = course / "submitted" / student / settings.assignment / "timestamp.txt"
    kwargs = {}
    if ts_file.exists():
        from nbgrader.utils import parse_utc

        with contextlib.suppress(ValueError):
            kwargs["timestamp"] = parse_utc(ts_file.read_text().strip())
    with gradebook(settings) as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(settings.assignment, student, **kwargs)
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.auto_score is None:
                    grade.auto_score = 0.0
                grade.needs_manual_grade = False
            nb.flagged = True
        gb.db.commit()
    for name in notebooks:
        path = course / "feedback" / student / settings.assignment / name.replace(".ipynb", ".html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Feedback</title></head><body>"
            f"<h1>{html.escape(settings.assignment)}: your submission could not be graded</h1>"
            f"<p>{html.escape(why)}</p><p>It scores zero for now; your instructor has been told "
            "and will look at it.</p></body></html>", encoding="utf-8")


def set_flagged(settings: Settings, student: str, flagged: bool) -> None:
    with gradebook(settings) as gb:
        try:
            sub = gb.find_submission(settings.assignment, student)
        except Exception:  # noqa: BLE001 - no submission, nothing to flag
            return
        for nb in sub.notebooks:
            nb.flagged = flagged or bool(nb.flagged)
        gb.db.commit()


KERNEL_EVENTS = {
    "KernelDied": "kernel died in cell {i}",
    "KernelUnresponsive": "kernel hung (ignored the interrupt) in cell {i}",
    "CellTimeoutError": "timeout in cell {i}",
    "KernelRestarted": "kernel restarted after running out of memory in cell {i}",
    "GradingIntegrityError": "test cell {i} did not run to its end",
}


def runtime_flags(autograded_nb: Path) -> list[str]:
    """What happened while the notebook ran: crashes, timeouts, refusals by the sandbox, cuts."""
    try:
        nb = json.loads(autograded_nb.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    flags = []
    for i, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                ename, evalue = out.get("ename", ""), str(out.get("evalue", ""))
                if ename in KERNEL_EVENTS:
                    flags.append(KERNEL_EVENTS[ename].format(i=i))
                elif ename == "PermissionError" and "not allowed while grading" in evalue:
                    flags.append(f"cell {i}: sandbox refused {evalue.split(': ', 1)[-1][:90]}")
                elif ename == "MemoryError":
                    flags.append(f"cell {i}: ran out of memory")
            elif out.get("output_type") == "stream" and "[grader: output cut" in str(out.get("text", "")):
                flags.append(f"cell {i}: output cut")
    return sorted(set(flags), key=flags.index)


# --- summary -----------------------------------------------------------------------------------
@dataclass
class StudentRow:
    student: str
    on_roster: bool
    status: str
    score: float = 0.0
    max_auto: float = 0.0
    manual_score: float = 0.0  # manually graded answers, graded so far
    manual_pending: float = 0.0  # their points still waiting for a grader
    per_exercise: dict[str, list[float]] = field(default_factory=dict)
    failed_tests: list[str] = field(default_factory=list)
    seconds: float | None = None
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def summarize(settings: Settings, roster: list[str], states: dict[str, dict]) -> list[StudentRow]:
    from autograder.exercises import exercise_for_test, load_assignment

    course = Path(settings.course)
    notebooks = expected_notebooks(course, settings.assignment, settings.source_dir)
    points: dict[str, float] = {}
    for name in notebooks:
        info = load_assignment(course / settings.source_dir / settings.assignment / name)
        points.update({n: ex.points for n, ex in info.exercises.items()})
    names = list(points)
    students = sorted(set(roster) | set(states))
    rows = []
    with gradebook(settings) as gb:
        for sid in students:
            state = states.get(sid, {})
            row = StudentRow(sid, sid in roster, state.get("status", "no submission"),
                             seconds=state.get("seconds"), flags=list(state.get("flags", [])),
                             notes=list(state.get("notes", [])))
            row.per_exercise = {n: [0.0, points[n]] for n in names}
            row.max_auto = sum(points.values())
            try:
                sub = gb.find_submission(settings.assignment, sid)
            except Exception:  # noqa: BLE001 - no submission: zero of every point
                sub = None
            if sub is not None:
                row.max_auto = 0.0
                row.per_exercise = {n: [0.0, 0.0] for n in names}
            for nb in sub.notebooks if sub else []:
                for grade in nb.grades:
                    max_score, score = float(grade.max_score), float(grade.score or 0.0)
                    owner = exercise_for_test(grade.name, names)
                    if owner is None:  # a manually graded answer
                        if grade.auto_score is None and grade.manual_score is None:
                            row.manual_pending += max_score
                        else:
                            row.manual_score += score
                        continue
                    row.score += score
                    row.max_auto += max_score
                    row.per_exercise[owner][0] += score
                    row.per_exercise[owner][1] += max_score
                    if score < max_score:
                        row.failed_tests.append(grade.name)
            if not row.on_roster and sid in states:
                row.flags.insert(0, "not on the roster")
            rows.append(row)
    return rows


def write_reports(settings: Settings, rows: list[StudentRow], extra: dict) -> dict:
    report = Path(settings.report)
    report.mkdir(parents=True, exist_ok=True)
    exercises = list(rows[0].per_exercise) if rows else []
    with open(report / "summary.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "on_roster", "status", "score", "max_auto", "manual_score", "manual_pending",
                    *exercises, "failed_tests", "seconds", "flags", "notes"])
        for r in rows:
            w.writerow([r.student, r.on_roster, r.status, f"{r.score:g}", f"{r.max_auto:g}",
                        f"{r.manual_score:g}", f"{r.manual_pending:g}", *(f"{r.per_exercise[e][0]:g}" for e in exercises),
                        " ".join(r.failed_tests), "" if r.seconds is None else r.seconds,
                        "; ".join(r.flags), "; ".join(r.notes)])
    per_ex = []
    graded = [r for r in rows if r.status != "no submission"]
    for e in exercises:
        points = [r.per_exercise[e][0] for r in graded]
        out_of = max((r.per_exercise[e][1] for r in rows), default=0.0)
        per_ex.append({"exercise": e, "points": out_of,
                       "mean": round(sum(points) / len(points), 2) if points else 0.0,
                       "full": sum(1 for p in points if p >= out_of > 0),
                       "zero": sum(1 for p in points if p == 0)})
    with open(report / "exercises.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["exercise", "points", "mean", "full", "zero"])
        w.writeheader()
        w.writerows(per_ex)
    summary = {"assignment": settings.assignment, "students": [asdict(r) for r in rows],
               "exercises": per_ex, **extra}
    (report / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def print_summary(summary: dict, out=sys.stdout) -> None:
    rows = summary["students"]
    if not rows:
        print("no students", file=out)
        return
    ex = [e["exercise"] for e in summary["exercises"]]
    width = max(8, *(len(r["student"]) for r in rows))
    print(f"\n{summary['assignment']}: autograded points per student; manual = graded (+ still to grade)",
          file=out)
    head = f"{'student':<{width}} {'status':<13} {'score':>9} {'manual':>8} {'time':>6}  failed tests / flags"
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in rows:
        score = f"{r['score']:g}/{r['max_auto']:g}"
        secs = "" if r["seconds"] is None else f"{r['seconds']:.0f}s"
        tail = ", ".join(t.replace("test_", "") for t in r["failed_tests"][:6])
        if len(r["failed_tests"]) > 6:
            tail += f", +{len(r['failed_tests']) - 6}"
        flags = "; ".join(r["flags"][:3]) + (f"; +{len(r['flags']) - 3}" if len(r["flags"]) > 3 else "")
        manual = f"{r['manual_score']:g}" + (f"+{r['manual_pending']:g}" if r["manual_pending"] else "")
        print(f"{r['student']:<{width}} {r['status']:<13} {score:>9} {manual:>8} {secs:>6}  "
              f"{tail}{' | ' if tail and flags else ''}{flags}", file=out)
    w = max(len(e) for e in ex) if ex else 8
    print(f"\n{'exercise':<{w}} {'points':>6} {'mean':>6} {'full':>5} {'zero':>5}", file=out)
    for e in summary["exercises"]:
        print(f"{e['exercise']:<{w}} {e['points']:>6g} {e['mean']:>6g} {e['full']:>5} {e['zero']:>5}", file=out)
    review = [r["student"] for r in rows if r["flags"] or r["status"] in FAILED]
    if review:
        print(f"\nmarked for review in grades.csv ({len(review)}): " + ", ".join(review[:30]), file=out)
    print(f"sandbox: {summary.get('sandbox', 'bubblewrap')}", file=out)
    for key in ("ignored_files", "errors"):
        if summary.get(key):
            print(f"\n{key.replace('_', ' ')}: " + "; ".join(summary[key][:20]), file=out)
    print(f"\nreports: {summary.get('report', '')}", file=out)


def review_reasons(row: StudentRow) -> list[str]:
    """Why a person should look at this grade before it counts (empty: nothing to look at)."""
    reasons = list(row.flags)
    if row.status in FAILED:
        reasons.insert(0, f"status {row.status}")
    return reasons


def mark_for_review(csv_path: Path, rows: list[StudentRow]) -> None:
    """Add ``needs_review`` and ``review_reasons`` columns to nbgrader's grades.csv."""
    reasons = {r.student: review_reasons(r) for r in rows}
    with open(csv_path, newline="") as fh:
        table = list(csv.reader(fh))
    if not table:
        return
    head = table[0]
    sid = head.index("student_id") if "student_id" in head else None
    out = [head + ["needs_review", "review_reasons"]]
    for line in table[1:]:
        why = reasons.get(line[sid], []) if sid is not None and sid < len(line) else []
        out.append(line + ["yes" if why else "no", "; ".join(why)[:2000]])
    with open(csv_path, "w", newline="") as fh:
        csv.writer(fh).writerows(out)


def export_grades(settings: Settings, dest: Path) -> None:
    from nbgrader.plugins import CsvExportPlugin

    with gradebook(settings) as gb:
        CsvExportPlugin(to=str(dest)).export(gb)


def shard_filter(students: list[str], shard: str | None) -> list[str]:
    if not shard:
        return students
    k, n = (int(x) for x in shard.split("/"))
    if not 1 <= k <= n:
        raise SystemExit(f"--shard {shard}: expected K/N with 1 <= K <= N")
    return [s for s in students if int(hashlib.sha256(s.encode()).hexdigest(), 16) % n == k - 1]


def _use_venv_tools() -> None:
    """nbgrader runs ``alembic`` (and we run ``nbgrader``) from the interpreter's bin folder."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, [bin_dir, os.environ.get("PATH")]))


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


def triage_and_scan(folder: Path, expected: list[str], source: Path) -> tuple[Triage, list[str]]:
    """Triage one submission and scan it; whatever it holds, a failure stays with it."""
    try:
        tri = triage_submission(folder, expected)
    except Exception as err:  # noqa: BLE001 - RecursionError, odd names, I/O: this student only
        return Triage("unreadable", [f"could not be read ({type(err).__name__}: {str(err)[:160]})"]), []
    flags: list[str] = []
    if tri.status not in ("ok", "repaired"):
        return tri, flags
    for name in expected:
        if not (folder / name).exists():
            continue
        try:
            found = _scan(folder / name, source / name)
        except Exception as err:  # noqa: BLE001 - the scan must not stop the class
            found = [f"could not be scanned ({type(err).__name__}); review by hand"]
        flags += [f"{name}: {f}" if len(expected) > 1 else f for f in found]
    return tri, flags


def _scan(path: Path, source: Path) -> list[str]:
    """Static flags: rebinding, IPython internals, file access, and changed test cells."""
    from autograder.flags import scan_notebook, scan_tampering
    from autograder.grading.policy import check_notebook, given_sources

    student = json.loads(path.read_text(encoding="utf-8"))
    given = given_sources(json.loads(source.read_text(encoding="utf-8"))) if source.exists() else set()
    policy = [str(v) for v in check_notebook(student, given)]
    return policy + scan_notebook(path) + scan_tampering(path, source)


def write_attempts(report: Path, attempts: list[Attempt]) -> None:
    report.mkdir(parents=True, exist_ok=True)
    with open(report / "attempts.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "timestamp", "file", "collected_as", "chosen"])
        for a in sorted(attempts, key=lambda a: (a.student, a.timestamp)):
            w.writerow([a.student, a.timestamp, a.path, a.file_id, a.chosen])


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


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


if __name__ == "__main__":
    raise SystemExit(main())
