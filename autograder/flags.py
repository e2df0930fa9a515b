"""Static checks on a submission that an instructor should see next to its grade.

nbgrader cannot stop a student's cell from rebinding ``torch.allclose`` or a checker; the
tests are written to survive that, and this scan makes it visible.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

WATCHED_MODULES = {
    "torch", "numpy", "np", "course", "checks", "builtins", "math", "importlib",
    "nn", "F", "sklearn", "pd", "pandas", "unittest", "pytest", "sys", "os",
}
WATCHED_PREFIXES = ("torch.", "numpy.", "np.", "course.", "builtins.", "importlib.", "nn.", "F.")
CHECKER_NAMES = {
    "check_close", "check_equal", "check_shape", "check_dtype", "check_true", "check_raises",
    "max_abs_diff", "to_python",
}


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def scan_source(source: str) -> list[str]:
    """Flags for one cell's code: rebinding library/checker attributes, builtins, setattr."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        return [f"syntax error line {err.lineno}"]
    flags = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            name = _dotted(target) if isinstance(target, ast.Attribute) else None
            if name and (name.split(".")[0] in WATCHED_MODULES or name.startswith(WATCHED_PREFIXES)):
                flags.append(f"rebinds {name}")
            if isinstance(target, ast.Name) and target.id in CHECKER_NAMES:
                flags.append(f"redefines checker {target.id}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in CHECKER_NAMES:
            flags.append(f"redefines checker {node.name}")
        if isinstance(node, ast.Call):
            fn = _dotted(node.func) or ""
            if fn in {"setattr", "delattr"} and node.args:
                obj = _dotted(node.args[0]) or ""
                if obj.split(".")[0] in WATCHED_MODULES or obj in {"__builtins__"}:
                    flags.append(f"{fn}({obj}, ...)")
            if fn.endswith("patch") or fn.endswith("patch.object"):
                flags.append(f"calls {fn}")
        if isinstance(node, ast.Name) and node.id == "__builtins__":
            flags.append("touches __builtins__")
    return sorted(set(flags))


def scan_answer(source: str) -> list[str]:
    """Flags for an answer cell: importing the course's reference text tools is not an answer."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    flags = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("course"):
            names = {a.name for a in node.names}
            if node.module.startswith("course.text") or "text" in names:
                flags.append("answer imports course.text (the reference implementation)")
        elif isinstance(node, ast.Import) and any(a.name.startswith("course.text") for a in node.names):
            flags.append("answer imports course.text (the reference implementation)")
        elif isinstance(node, ast.Attribute) and _dotted(node) and _dotted(node).startswith("course.text"):
            flags.append("answer uses course.text (the reference implementation)")
    return sorted(set(flags))


def scan_notebook(path: str | Path) -> list[str]:
    """Flags for every code cell of a submitted notebook, prefixed with the cell number."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8", errors="replace"))
        cells = nb["cells"]
    except (ValueError, KeyError, TypeError) as err:
        return [f"unreadable notebook: {type(err).__name__}"]
    flags = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        src = "\n".join(line for line in src.split("\n") if not line.lstrip().startswith(("%", "!")))
        flags.extend(f"cell {i}: {f}" for f in scan_source(src))
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            flags.extend(f"cell {i}: {f}" for f in scan_answer(src))
    return flags
