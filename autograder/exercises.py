"""What an assignment notebook contains: exercises, their test cells, points, setup cells.

Conventions (CONTRIBUTING.md):
- an exercise is a code cell with nbgrader ``solution: true`` and ``grade: false``; its
  ``grade_id`` is the exercise name, e.g. ``broadcast_shape``;
- its autograded test cells are code cells with ``grade: true`` whose ``grade_id`` is
  ``test_<name>`` or starts with ``test_<name>_`` (e.g. ``test_broadcast_shape_hidden``);
- manually graded answers are markdown cells with ``grade: true`` and ``solution: true``;
- code cells tagged ``setup`` (imports, seeding) are all an exercise's tests may rely on
  besides the solution cells.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"


def split_hidden(source: str, begin: str = BEGIN_HIDDEN, end: str = END_HIDDEN) -> tuple[list[str], list[str]]:
    """(visible lines, hidden lines) of a cell's source; the marker lines belong to neither.

    A line containing ``begin`` (``end``) opens (closes) a hidden region, as in nbgrader's
    ClearHiddenTests; the markers may be indented or carry a comment prefix of any kind.
    """
    visible, hidden, inside = [], [], False
    for line in source.split("\n"):
        if begin.lstrip("# ") in line:
            inside = True
        elif end.lstrip("# ") in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return visible, hidden


@dataclass
class Exercise:
    name: str
    cell_index: int
    test_ids: list[str] = field(default_factory=list)
    points: float = 0.0


@dataclass
class Assignment:
    path: Path
    cells: list[dict]
    exercises: dict[str, Exercise]
    tests: dict[str, int]  # autograded test grade_id -> cell index
    manual: dict[str, float]  # manually graded answer grade_id -> points
    setup_cells: list[int]

    @property
    def name(self) -> str:
        return self.path.parent.name

    @property
    def auto_points(self) -> float:
        return sum(ex.points for ex in self.exercises.values())

    @property
    def manual_points(self) -> float:
        return sum(self.manual.values())

    @property
    def total_points(self) -> float:
        return self.auto_points + self.manual_points

    def source(self, index: int) -> str:
        src = self.cells[index].get("source", "")
        return "".join(src) if isinstance(src, list) else src

    def test_points(self, grade_id: str) -> float:
        meta = self.cells[self.tests[grade_id]]["metadata"]["nbgrader"]
        return float(meta.get("points", 0))


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def exercise_for_test(test_id: str, names: list[str]) -> str | None:
    """The exercise a test cell belongs to: the longest name with test_<name>[_...]."""
    best = None
    for name in names:
        if test_id == f"test_{name}" or test_id.startswith(f"test_{name}_"):
            if best is None or len(name) > len(best):
                best = name
    return best


def load_assignment(path: str | Path) -> Assignment:
    """Parse an nbgrader notebook into exercises, tests, manual questions and setup cells."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    exercises: dict[str, Exercise] = {}
    tests: dict[str, int] = {}
    manual: dict[str, float] = {}
    setup: list[int] = []
    for i, cell in enumerate(cells):
        meta = nbgrader_meta(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and "setup" in tags:
            setup.append(i)
        if not meta:
            continue
        gid = meta.get("grade_id")
        if cell["cell_type"] == "code" and meta.get("solution") and not meta.get("grade"):
            exercises[gid] = Exercise(gid, i)
        elif cell["cell_type"] == "code" and meta.get("grade"):
            tests[gid] = i
        elif cell["cell_type"] == "markdown" and meta.get("grade") and meta.get("solution"):
            manual[gid] = float(meta.get("points", 0))
    names = list(exercises)
    for test_id, index in tests.items():
        owner = exercise_for_test(test_id, names)
        if owner is None:
            raise ValueError(
                f"{path}: test cell {test_id!r} belongs to no exercise; name it test_<exercise>[_...] "
                f"with one of {names}"
            )
        exercises[owner].test_ids.append(test_id)
        exercises[owner].points += float(nbgrader_meta(cells[index]).get("points", 0))
    return Assignment(path, cells, exercises, tests, manual, setup)


_MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)### (BEGIN|END) SOLUTION\s*$")


def solution_regions(source: str) -> list[tuple[int, int, str]]:
    """(first line, last line, indent) of each solution region, marker lines excluded."""
    lines = source.split("\n")
    regions, start, indent = [], None, ""
    for n, line in enumerate(lines):
        m = _MARKER_RE.match(line)
        if not m:
            continue
        if "BEGIN" in line:
            start, indent = n + 1, m.group("indent")
        elif start is not None:
            regions.append((start, n - 1, indent))
            start = None
    return regions


def replace_solution(source: str, code: str | dict[int, str]) -> str:
    """Put ``code`` (unindented, as a student would type it) inside the solution region(s)."""
    import textwrap

    replacements = code if isinstance(code, dict) else {0: code}
    regions = solution_regions(source)
    if not regions:
        raise ValueError("cell has no '### BEGIN SOLUTION' / '### END SOLUTION' region")
    lines = source.split("\n")
    for index in sorted(replacements, reverse=True):
        if index >= len(regions):
            raise ValueError(f"cell has {len(regions)} solution regions, no region {index}")
        first, last, indent = regions[index]
        body = textwrap.dedent(replacements[index]).strip("\n")
        new = [indent + line if line.strip() else "" for line in body.split("\n")]
        lines[first : last + 1] = new
    return "\n".join(lines)


def list_assignments(root: str | Path, tree: str = "solutions") -> list[Path]:
    """All assignment notebooks ``<tree>/NN_topic/NN_topic.ipynb``, in order."""
    root = Path(root)
    found = []
    for folder in sorted((root / tree).iterdir()):
        nb = folder / f"{folder.name}.ipynb"
        if folder.is_dir() and re.fullmatch(r"\d\d_[a-z0-9_]+", folder.name) and nb.exists():
            found.append(nb)
    return found


WRAP = 100  # the course's line length (pyproject's ruff line-length): a longer line counts as several


def display_lines(source: str, width: int = WRAP) -> int:
    """Non-blank lines of ``source`` as a reader sees them wrapped at ``width`` characters."""
    return sum(-(-len(line.rstrip()) // width) for line in source.split("\n") if line.strip())


def visible_test_share(path: str | Path) -> tuple[int, int]:
    """(test lines, code lines) of a student notebook: the display lines (``display_lines``) of its
    autograded test cells against those of all its code cells (hidden tests are already stripped).
    Lines are counted wrapped at ``WRAP`` characters, so packing checks into long lines gains nothing."""
    a = load_assignment(path)
    test_cells = set(a.tests.values())
    tests = total = 0
    for i, cell in enumerate(a.cells):
        if cell["cell_type"] != "code":
            continue
        n = display_lines(a.source(i))
        total += n
        if i in test_cells:
            tests += n
    return tests, total
