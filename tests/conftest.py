"""Shared fixtures: the repository root on sys.path and the list of assignments."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def once_per_run(tmp_path_factory, name: str, compute):
    """``compute(folder)`` run once per test run, even when several xdist workers ask for it.

    pytest-xdist gives every worker its own session, so a session-scoped fixture runs once per
    worker. The first worker to take the lock computes and pickles the result into a folder
    shared by the run (the parent of the workers' base temp folders); the others wait and read
    it. Without xdist the folder is simply this session's.
    """
    import fcntl
    import os
    import pickle

    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_id:
        base = tmp_path_factory.getbasetemp().parent / f"{name}-{run_id}"
    else:
        base = tmp_path_factory.getbasetemp() / name
    base.mkdir(parents=True, exist_ok=True)
    done = base / "result.pickle"
    with open(base / "lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                result = compute(base)
                tmp = done.with_suffix(".tmp")
                tmp.write_bytes(pickle.dumps(result))
                tmp.replace(done)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return pickle.loads(done.read_bytes())
