"""Stage 3, sandboxed execution: worker processes that autograde and generate feedback, one
submission at a time, under a wall-clock limit; a file lock for a shared sqlite gradebook.
The kernels themselves run in bubblewrap (isolation.py)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

from autograder.grading.common import ROOT, Settings, load_config, sqlite_path


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
        code = ("import json, sys; from autograder.grading.execute import _api_worker_main; "
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


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
