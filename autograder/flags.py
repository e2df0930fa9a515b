"""Static checks on a submission that an instructor should see next to its grade.

nbgrader cannot stop a student's cell from rebinding ``torch.allclose`` or a checker; the
tests are written to survive that, and this scan makes it visible.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from autograder.exercises import split_hidden

WATCHED_MODULES = {
    "torch", "numpy", "np", "course", "checks", "builtins", "math", "importlib",
    "nn", "F", "sklearn", "pd", "pandas", "unittest", "pytest", "sys", "os",
}
WATCHED_PREFIXES = ("torch.", "numpy.", "np.", "course.", "builtins.", "importlib.", "nn.", "F.")
CHECKER_NAMES = {
    "check_close", "check_equal", "check_shape", "check_dtype", "check_true", "check_raises",
    "max_abs_diff", "to_python", "check_device", "check_grad", "call_unchanged", "single_use",
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


# Reaching into the machinery that runs and grades the notebook.
INTERNALS_CALLS = {
    "get_ipython": "uses get_ipython (IPython internals)",
    "sys.settrace": "calls sys.settrace", "sys.setprofile": "calls sys.setprofile",
    "sys.addaudithook": "calls sys.addaudithook", "gc.get_referrers": "calls gc.get_referrers",
    "gc.get_objects": "calls gc.get_objects", "threading.settrace": "calls threading.settrace",
    "signal.signal": "installs a signal handler", "os._exit": "calls os._exit",
    "sys.exit": "calls sys.exit", "exit": "calls exit", "quit": "calls quit",
    "eval": "dynamic code (eval)", "exec": "dynamic code (exec)", "compile": "dynamic code (compile)",
    "__import__": "dynamic import (__import__)", "importlib.import_module": None,
}
RISKY_IMPORTS = {
    "ctypes", "subprocess", "sqlite3", "socket", "shutil", "glob", "pty", "multiprocessing",
    "signal", "resource", "inspect", "gc", "IPython", "nbgrader", "nbformat", "nbclient",
}
FILE_CALLS = {
    "open", "io.open", "os.open", "os.listdir", "os.scandir", "os.walk", "os.remove", "os.unlink",
    "os.rename", "os.system", "os.popen", "Path", "pathlib.Path", "glob.glob", "sqlite3.connect",
    "shutil.copy", "shutil.copyfile", "shutil.rmtree", "np.load", "numpy.load", "torch.load",
}
SENSITIVE_WORDS = ("gradebook", "solutions", "autograded", "submitted", "feedback", ".git",
                   "nbgrader", "/proc", "/etc", "..")
PROTECTED_DUNDERS = {"__code__", "__globals__", "__defaults__", "__kwdefaults__", "__class__",
                     "__dict__", "__builtins__"}


def _literal_strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _file_flag(fn: str, node: ast.Call) -> str | None:
    """A file or directory access whose path is absolute, climbs out, or names grading files."""
    if fn not in FILE_CALLS and not fn.endswith((".read_text", ".read_bytes", ".open")):
        return None
    for arg in node.args[:1] + [k.value for k in node.keywords if k.arg in ("file", "path")]:
        for text in _literal_strings(arg):
            if text.startswith(("/", "~")) or any(w in text for w in SENSITIVE_WORDS):
                return f"touches files outside its folder ({fn}({text[:40]!r}))"
        if any(isinstance(n, ast.Attribute) and n.attr == "__file__" for n in ast.walk(arg)):
            return f"touches files outside its folder ({fn} relative to a module's __file__)"
    if fn in {"os.system", "os.popen"}:
        return f"starts a program ({fn})"
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
            if fn in INTERNALS_CALLS and INTERNALS_CALLS[fn]:
                flags.append(INTERNALS_CALLS[fn])
            if fn.endswith((".input_transformers_post", ".input_transformers_cleanup")) or any(
                part in fn for part in (".ast_transformers", ".set_custom_exc", ".events.register")
            ):
                flags.append(f"changes how IPython runs cells ({fn})")
            file_flag = _file_flag(fn, node)
            if file_flag:
                flags.append(file_flag)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module.split(".")[0] in RISKY_IMPORTS:
                    flags.append(f"imports {module}")
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr in PROTECTED_DUNDERS:
            flags.append(f"rebinds {_dotted(node) or node.attr}")
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _dotted(node.value) == "sys.modules":
            flags.append("replaces a module in sys.modules")
        if isinstance(node, ast.Name) and node.id == "__builtins__":
            flags.append("touches __builtins__")
    return sorted(set(flags))


# Given modules that hold reference versions of earlier notebooks' exercises.
REFERENCE_MODULES = ("course.text", "course.training", "course.newsgroups", "course.lstm")


def scan_answer(source: str) -> list[str]:
    """Flags for an answer cell: importing the course's reference implementations is not an answer."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    flags = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("course"):
            names = {a.name for a in node.names}
            for module in REFERENCE_MODULES:
                if node.module.startswith(module) or module.split(".")[1] in names:
                    flags.append(f"answer imports {module} (a reference implementation)")
        elif isinstance(node, ast.Import):
            for module in REFERENCE_MODULES:
                if any(a.name.startswith(module) for a in node.names):
                    flags.append(f"answer imports {module} (a reference implementation)")
        elif isinstance(node, ast.Attribute) and _dotted(node):
            for module in REFERENCE_MODULES:
                if _dotted(node).startswith(module + "."):
                    flags.append(f"answer uses {module} (a reference implementation)")
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


def _cells(path: str | Path) -> list[dict]:
    nb = json.loads(Path(path).read_text(encoding="utf-8", errors="replace"))
    return [c for c in nb.get("cells", []) if isinstance(c, dict)]


def _src(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _without_hidden(source: str) -> str:
    visible, _ = split_hidden(source)
    return "\n".join(line.rstrip() for line in visible).strip()


def scan_tampering(submitted: str | Path, source: str | Path) -> list[str]:
    """What a student changed in the cells nbgrader restores before grading: test cells
    edited, deleted, reordered or duplicated, points or metadata changed, execution tags.

    nbgrader (with our config) undoes all of it; the flags tell the instructor it was tried.
    """
    from autograder.preprocessors import EXECUTION_TAGS

    try:
        got, ref = _cells(submitted), _cells(source)
    except (OSError, ValueError):
        return []

    def meta(cell: dict) -> dict:
        return (cell.get("metadata") or {}).get("nbgrader") or {}

    ref_tests = {meta(c)["grade_id"]: c for c in ref if meta(c).get("grade") and meta(c).get("grade_id")}
    ref_ids = {meta(c).get("grade_id") for c in ref if meta(c).get("grade_id")}
    flags = []
    seen: dict[str, int] = {}
    order = []
    for cell in got:
        gid = meta(cell).get("grade_id")
        tags = (cell.get("metadata") or {}).get("tags") or []
        # the student version ships 'raises-exception' so that Run All goes on past unanswered
        # exercises; grading strips every tag, so only the others are worth a flag
        bad_tags = sorted(set(tags) & set(EXECUTION_TAGS) - {"raises-exception"})
        if bad_tags:
            flags.append(f"{gid or 'a cell'} tagged {', '.join(bad_tags)}")
        if not gid:
            continue
        seen[gid] = seen.get(gid, 0) + 1
        if gid not in ref_ids:
            flags.append(f"unknown graded cell {gid!r}")
        if gid in ref_tests:
            order.append(gid)
            want = meta(ref_tests[gid])
            edited = _without_hidden(_src(cell)) != _without_hidden(_src(ref_tests[gid]))
            if edited and not want.get("solution"):
                flags.append(f"test cell {gid} edited")
            if float(meta(cell).get("points", 0) or 0) != float(want.get("points", 0) or 0):
                flags.append(f"points of {gid} changed to {meta(cell).get('points')}")
            for key in ("grade", "solution", "locked"):
                if bool(meta(cell).get(key)) != bool(want.get(key)):
                    flags.append(f"metadata of {gid} changed ({key})")
    for gid in ref_tests:
        if gid not in seen:
            in_other = any(gid in _src(c) for c in got)
            flags.append(f"test cell {gid} deleted" + (" (its code moved to another cell)" if in_other else ""))
    flags += [f"grade id {gid} duplicated" for gid, n in seen.items() if n > 1]
    ref_order = [g for g in ref_tests if g in order]
    if [g for g in dict.fromkeys(order)] != ref_order:
        flags.append("test cells reordered")
    # test cells that lost their nbgrader metadata entirely
    for gid, cell in ref_tests.items():
        if gid not in seen and any(_without_hidden(_src(cell)) == _src(c).strip() for c in got):
            flags.append(f"test cell {gid} lost its metadata")
    return list(dict.fromkeys(flags))
