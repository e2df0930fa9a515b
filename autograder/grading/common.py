"""Shared by the grading stages: settings, the gradebook, per-student state, nbgrader's CLI."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SUBMISSION_TIMEOUT_S = 900


FAILED = ("unreadable", "missing", "timeout", "error")


def expected_notebooks(course: Path, assignment: str, source_dir: str = "solutions") -> list[str]:
    folder = course / source_dir / assignment
    return sorted(p.name for p in folder.glob("*.ipynb"))


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


@contextlib.contextmanager
def gradebook(settings: Settings) -> Iterator:
    from nbgrader.api import Gradebook

    with Gradebook(settings.db_url, settings.course_id) as gb:
        yield gb


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


def _use_venv_tools() -> None:
    """nbgrader runs ``alembic`` (and we run ``nbgrader``) from the interpreter's bin folder."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, [bin_dir, os.environ.get("PATH")]))


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
