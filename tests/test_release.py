"""The student copy (`make release`): nothing an instructor keeps back, and it sets itself up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import pytest

from autograder import release
from autograder.exercises import list_assignments
from autograder.sample_class import hidden_test_lines

ROOT = Path(__file__).resolve().parent.parent
NAMES = [p.parent.name for p in list_assignments(ROOT, "solutions")]
pytestmark = pytest.mark.slow  # the copy generates every student notebook (about 15 s)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "Rubric (", "from autograder", "MISTAKES")


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    folder = release.write(tmp_path_factory.mktemp("release") / "student-copy")
    release.archive(folder)
    return folder


def _texts(folder: Path) -> dict[str, str]:
    out = {}
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":  # a notebook's sources as they read, not JSON-escaped
                text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
            out[str(path.relative_to(folder))] = text
    return out


def _solution_cells(name: str) -> list[dict]:
    nb = json.loads((ROOT / "solutions" / name / f"{name}.ipynb").read_text())
    return [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def _distinctive(lines, min_len: int = 30) -> set[str]:
    return {line.strip() for line in lines if len(line.strip()) >= min_len}


def test_student_copy_holds_what_a_student_needs(copy):
    files = {str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_file()}
    for needed in ("README.md", "Makefile", ".gitignore", "requirements.txt", "pyproject.toml",
                   "data/README.md", "course/__init__.py", "course/data.py",
                   "jupyter/nbgrader_config.py", "jupyter/labconfig/page_config.json",
                   "jupyter/prepare.py"):
        assert needed in files, f"the student copy lacks {needed}"
    for name in NAMES:
        assert f"notebooks/{name}/{name}.ipynb" in files, f"the student copy lacks notebook {name}"
    tops = {f.split("/")[0] for f in files}
    assert tops <= {"README.md", "Makefile", ".gitignore", "requirements.txt", "pyproject.toml",
                    "data", "course", "jupyter", "notebooks"}, f"unexpected top-level entries: {tops}"
    lock = release._requirement_names((copy / "requirements.txt").read_text())
    assert {"torch", "nbgrader", "jupyterlab", "matplotlib"} <= set(lock)
    assert not {"pytest", "ruff", "psycopg2-binary", "playwright"} & set(lock), (
        "instructor-only packages in the student requirements")
    with tarfile.open(copy.with_name(copy.name + ".tar.gz")) as tar:
        archived = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
    assert archived == files, f"the archive differs from the folder: {archived ^ files}"


def test_student_requirements_are_closed_under_dependencies(copy):
    """Every package a pinned one needs here is pinned too, so `make setup` installs a whole env."""
    pinned = set(release._requirement_names((copy / "requirements.txt").read_text()))
    missing = {name: sorted(release.dependency_closure([name]) - pinned) for name in pinned}
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"pinned packages whose dependencies are not pinned: {missing}"


def _instructor_only(name: str) -> dict[str, set[str]]:
    """Distinctive lines of ``name``'s solution regions, hidden tests and model answers."""
    solution, rubric = set(), set()
    for cell in _solution_cells(name):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            region = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
            solution |= _distinctive("\n".join(region).splitlines())
        else:
            rubric |= _distinctive(source.splitlines(), 25)
    return {"solution": solution, "hidden test": set(hidden_test_lines(name)), "rubric": rubric}


def _given_lines() -> set[str]:
    """Every line students are meant to have: the sources' visible parts and course/."""
    lines: set[str] = set()
    for name in NAMES:
        nb = json.loads((ROOT / "solutions" / name / f"{name}.ipynb").read_text())
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] == "markdown" and meta.get("solution"):
                continue
            source = re.sub(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n.*?### END \1", "", "".join(cell["source"]),
                            flags=re.S)
            lines |= {line.strip() for line in source.splitlines()}
    for path in (ROOT / "course").rglob("*.py"):
        lines |= {line.strip() for line in path.read_text().splitlines()}
    return lines


def test_student_copy_leaks_no_solution_hidden_test_or_rubric(copy):
    texts = _texts(copy)
    copy_lines = {f: {line.strip() for line in t.splitlines()} for f, t in texts.items()}
    marked = {f: [m for m in MARKERS if m in t] for f, t in texts.items()}
    marked = {f: m for f, m in marked.items() if m}
    assert not marked, f"instructor markers in the student copy: {marked}"
    given = _given_lines()
    leaks: dict[str, set[str]] = {}
    for name in NAMES:
        kinds = {kind: lines - given for kind, lines in _instructor_only(name).items()}
        empty = [kind for kind, lines in kinds.items() if not lines]
        assert not empty, f"{name}: no {empty} lines to look for (the test would pass vacuously)"
        for kind, lines in kinds.items():
            for f, present in copy_lines.items():
                found = lines & present
                if found:
                    leaks.setdefault(f"{kind} of {name} in {f}", set()).update(found)
    assert not leaks, "the student copy leaks: " + "; ".join(
        f"{k}: {sorted(v)[:2]}" for k, v in leaks.items())


def test_student_copy_sets_up_from_a_fresh_copy(copy, tmp_path):
    """The README's commands in an unpacked archive: `make setup` (packages already downloaded:
    the fresh venv sees this venv's site-packages, and pip may not use an index), then the lab
    command resolves and the notebooks import the copy's own `course` package."""
    with tarfile.open(copy.with_name(copy.name + ".tar.gz")) as tar:
        tar.extractall(tmp_path, filter="data")
    fresh = tmp_path / copy.name
    # no pip or setuptools of its own: those of this venv stand in for what pip would download
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh / ".venv")], check=True)
    site = next((fresh / ".venv" / "lib").glob("python3.*/site-packages"))
    (site / "course-release-test.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", PYTHON=sys.executable, MAKEFLAGS="",
               COURSE_DATA_DIR=str(ROOT / "data" / "cache"),  # the data already fetched here
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"))
    setup = subprocess.run(["make", "setup"], cwd=fresh, env=env, text=True, capture_output=True)
    assert setup.returncode == 0, f"`make setup` failed in a fresh student copy:\n{setup.stdout[-2000:]}\n{setup.stderr[-3000:]}"
    probe = subprocess.run(
        [str(fresh / ".venv" / "bin" / "python"), "-c",
         "import course, nbgrader, jupyterlab, torch; print(course.__file__)"],
        cwd=tmp_path, env=env, text=True, capture_output=True)
    assert probe.returncode == 0, f"the fresh copy's venv cannot import the course:\n{probe.stderr[-2000:]}"
    assert Path(probe.stdout.strip()).is_relative_to(fresh), (
        f"`course` comes from {probe.stdout.strip()}, not from the student copy")
    lab = subprocess.run(["make", "lab", "LAB_ARGS=--version"], cwd=fresh, env=env, text=True,
                         capture_output=True)
    assert lab.returncode == 0 and re.search(r"^\d+\.\d+", lab.stdout, re.M), (
        f"`make lab` does not start JupyterLab in the fresh copy:\n{lab.stdout[-1500:]}\n{lab.stderr[-1500:]}")
