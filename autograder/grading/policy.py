"""What a student's cell may contain (stage 2 of the pipeline: triage), checked outside the kernel.

An allowlist written from what honest answers need: imports from a short list of libraries,
plain names, attribute access without dunders or interpreter internals. Anything else (IPython
magics and shell escapes, ``getattr``/``eval``/``exec``, ``sys``, frames, history, rebinding a
checker or a library function) is a *violation*: the submission is still graded, and its grade
is marked for review with the cell and line of each violation. The sandbox keeps files and
other students safe; this policy keeps the verdict honest, because anything inside the
student's own interpreter could otherwise reach the tests that judge it.

Parsing never crashes on hostile input: oversized or too deeply nested cells are violations
themselves, and any failure to analyse a cell is reported, not raised.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ALLOWED_IMPORTS = frozenset({
    "__future__", "torch", "numpy", "pandas", "scipy", "sklearn", "gensim", "matplotlib",
    "tokenizers", "tqdm", "course", "re", "collections", "math", "itertools", "functools",
    "typing", "dataclasses", "pathlib", "json", "csv", "random", "string", "unicodedata",
    "statistics", "heapq", "bisect", "copy", "time", "enum", "abc", "textwrap", "numbers",
    "decimal", "fractions", "datetime", "ast",
})
# Built-ins and notebook names that reach the interpreter, the history or the grader.
FORBIDDEN_NAMES = {
    "getattr": "getattr() reads attributes by name", "setattr": "setattr() writes attributes by name",
    "delattr": "delattr() deletes attributes by name", "eval": "eval() runs code from a string",
    "exec": "exec() runs code from a string", "compile": "compile() builds code from a string",
    "__import__": "__import__() imports by name", "globals": "globals() exposes the namespace",
    "locals": "locals() exposes the namespace", "vars": "vars() exposes namespaces",
    "breakpoint": "breakpoint() opens a debugger", "input": "input() waits for a person",
    "exit": "exit() stops the kernel", "quit": "quit() stops the kernel",
    "get_ipython": "IPython internals (magics, shell escapes, hooks)",
    "In": "IPython input history", "Out": "IPython output history", "_ih": "IPython input history",
    "_oh": "IPython output history", "_dh": "IPython directory history", "_i": "IPython input history",
    "_ii": "IPython input history", "_iii": "IPython input history", "__": "IPython output history",
    "___": "IPython output history", "memoryview": "memoryview() reaches raw memory",
}
HISTORY_NAME = re.compile(r"^_i?\d+$")
# Attributes that lead to frames, code objects, memory or code generation.
FORBIDDEN_ATTRS = {
    "f_back", "f_builtins", "f_code", "f_globals", "f_locals", "f_lasti", "f_trace", "f_lineno",
    "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "tb_frame", "tb_next",
    "co_code", "co_consts", "co_names", "co_filename", "co_varnames", "ctypes", "ctypeslib",
    "cpp_extension", "load_inline", "load_library", "get_type_hints", "attrgetter",
    "methodcaller", "Formatter", "hub", "settrace", "setprofile", "addaudithook",
}


def _checker_names() -> set[str]:
    """``course.checks.__all__``, read from the source (no import of torch here)."""
    path = Path(__file__).resolve().parents[2] / "course" / "checks.py"
    names: set[str] = set()
    try:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                names = set(ast.literal_eval(node.value))
            elif isinstance(node, ast.AugAssign) and getattr(node.target, "id", "") == "__all__":
                names |= set(ast.literal_eval(node.value))  # `__all__ += [...]` blocks
    except (OSError, SyntaxError, ValueError):
        pass
    return names


# Names of the checkers the tests use: a student must not define or assign them.
CHECKER_NAMES = {"check_close", "check_equal", "check_shape", "check_dtype", "check_true", "check_raises",
                 "check_device", "max_abs_diff", "to_python"} | _checker_names()
MODULE_ROOTS = {"torch", "np", "numpy", "pd", "pandas", "nn", "F", "math", "re", "course", "json",
                "random", "collections", "itertools", "functools", "plt", "matplotlib", "sklearn",
                "gensim", "string", "builtins", "checks", "scipy", "typing", "pathlib", "copy"}
FORMAT_DUNDER = re.compile(r"\{[^{}]*__\w+")
MAX_CELL_CHARS = 100_000
MAX_NESTING = 100


@dataclass(frozen=True)
class Violation:
    cell: int  # index of the cell in the notebook
    line: int  # 1-based line in the cell (0: the whole cell)
    what: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" + (f" line {self.line}" if self.line else "")
        return f"policy: {where}: {self.what}"


def _nesting(source: str) -> int:
    depth = best = 0
    for ch in source:
        if ch in "([{":
            depth += 1
            best = max(best, depth)
        elif ch in ")]}":
            depth -= 1
    return best


def _ipython_transform(source: str) -> str:
    """The code IPython would run (magics and ``!`` become ``get_ipython()`` calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - fall back to a line check below
        return source


def _magic_lines(source: str) -> list[int]:
    return [n for n, line in enumerate(source.splitlines(), 1)
            if line.lstrip().startswith(("%", "!")) or line.rstrip().endswith("?")]


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _is_super_init(node: ast.Attribute) -> bool:
    v = node.value
    return (node.attr == "__init__" and isinstance(v, ast.Call) and isinstance(v.func, ast.Name)
            and v.func.id == "super")


def check_source(source: str, cell: int = 0, modules: set[str] | None = None,
                 protected: set[str] | None = None) -> list[Violation]:
    """Every violation in one cell's source (never raises). ``modules``: module names the
    notebook imports; ``protected``: names its given cells define (tests may call them)."""
    try:
        return _check(source, cell, modules or set(), protected or set())
    except (RecursionError, MemoryError) as err:
        return [Violation(cell, 0, f"could not be analysed ({type(err).__name__}); review by hand")]
    except Exception as err:  # noqa: BLE001 - hostile input must not stop triage
        return [Violation(cell, 0, f"could not be analysed ({type(err).__name__}: {str(err)[:80]})")]


# What a module name is expected to be bound to, when a student imports it again.
CONVENTIONAL = {"np": "numpy", "pd": "pandas", "nn": "torch.nn", "F": "torch.nn.functional",
                "plt": "matplotlib.pyplot"}


def _binds(stmt: ast.stmt) -> list[tuple[str, str]]:
    """(name, how) for each module-level name a statement binds."""
    out: list[tuple[str, str]] = []
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        out.append((stmt.name, "defines"))
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        for alias in stmt.names:
            if alias.name == "*":
                continue
            full = alias.name if isinstance(stmt, ast.Import) else f"{stmt.module}.{alias.name}"
            name = alias.asname or alias.name.split(".")[0]
            if name not in CONVENTIONAL and name not in MODULE_ROOTS:
                continue  # re-importing a helper (`from collections import Counter`) is honest
            expected = CONVENTIONAL.get(name, name)
            if full != expected and not (isinstance(stmt, ast.Import) and not alias.asname):
                out.append((name, f"imports {full} as"))
    else:
        targets: list[ast.AST] = []
        if isinstance(stmt, (ast.Assign,)):
            targets = list(stmt.targets)
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            targets = [stmt.target]
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            targets = [stmt.target]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            targets = [i.optional_vars for i in stmt.items if i.optional_vars is not None]
        elif isinstance(stmt, ast.Delete):
            targets = list(stmt.targets)
        for t in targets:
            for node in ast.walk(t):
                if isinstance(node, ast.Name):
                    out.append((node.id, "assigns"))
    return out


def _rebinds_at_top_level(tree: ast.Module, cell: int, protected: set[str]) -> list[Violation]:
    """A student's module-level statement that rebinds a module or a given function by name:
    a test calling ``torch.randn`` or a given reference would then call the student's object."""
    out = []
    for stmt in tree.body:
        for name, how in _binds(stmt):
            if name in CHECKER_NAMES:
                what = "a function named like the checker" if how == "defines" else "the checker"
                out.append(Violation(cell, stmt.lineno, f"{how} {what} {name}"))
            elif name in protected:
                out.append(Violation(cell, stmt.lineno, f"{how} {name}, a name the notebook's own code uses"))
    return out


def _check(source: str, cell: int, modules: set[str], protected: set[str]) -> list[Violation]:
    out: list[Violation] = []
    if len(source) > MAX_CELL_CHARS:
        return [Violation(cell, 0, f"{len(source):,} characters: too large to analyse; review by hand")]
    if _nesting(source) > MAX_NESTING:
        return [Violation(cell, 0, "brackets nested too deeply to analyse; review by hand")]
    code = _ipython_transform(source)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        # it will fail when run; magics are still worth naming
        return [Violation(cell, n, "IPython magic, shell escape or help (%, !, ?)") for n in _magic_lines(source)]
    roots = MODULE_ROOTS | modules
    out += _rebinds_at_top_level(tree, cell, roots | protected)
    # every imported name (an alias of a module, a class, a function) before the walk, which
    # visits later statements first: `import torch as t` then `t.allclose = ...` is a rebinding
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.update(alias.asname or alias.name for alias in node.names if alias.name != "*")
    stack: list[ast.AST] = [tree]
    while stack:  # iterative: no recursion limit to hit
        node = stack.pop()
        stack.extend(ast.iter_child_nodes(node))
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top not in ALLOWED_IMPORTS:
                    out.append(Violation(cell, line, f"imports {alias.name!r} (not on the list of allowed libraries)"))
        elif isinstance(node, ast.ImportFrom):
            top = (node.module or "").split(".")[0]
            if node.level or top not in ALLOWED_IMPORTS:
                out.append(Violation(cell, line, f"imports from {node.module or '.'!r} (not on the list of allowed libraries)"))
            for alias in node.names:
                if alias.name == "*":
                    out.append(Violation(cell, line, f"from {node.module} import * (hides what is used)"))
                elif alias.name.startswith("_"):
                    out.append(Violation(cell, line, f"imports the private name {alias.name!r}"))
                name = alias.asname or alias.name
                if name in CHECKER_NAMES:
                    out.append(Violation(cell, line, f"imports a checker ({name}) into an answer"))
        elif isinstance(node, ast.Name):
            name = node.id
            if name in FORBIDDEN_NAMES:
                out.append(Violation(cell, line, f"uses {name}: {FORBIDDEN_NAMES[name]}"))
            elif HISTORY_NAME.match(name):
                out.append(Violation(cell, line, f"uses {name}: IPython history"))
            elif name.startswith("__") and name.endswith("__"):
                out.append(Violation(cell, line, f"uses the dunder name {name}"))
        elif isinstance(node, ast.Attribute):
            attr = node.attr
            if attr.startswith("__") and attr.endswith("__"):
                if not _is_super_init(node):
                    out.append(Violation(cell, line, f"dunder attribute .{attr}"))
            elif attr in FORBIDDEN_ATTRS:
                out.append(Violation(cell, line, f"attribute .{attr} (interpreter internals or native code)"))
            elif attr.startswith("_"):
                base = _root(node)
                if not (isinstance(base, ast.Name) and base.id in ("self", "cls")):
                    out.append(Violation(cell, line, f"private attribute .{attr} of a library object"))
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                base = _root(node)
                if isinstance(base, ast.Name) and base.id in roots:
                    out.append(Violation(cell, line, f"rebinds {base.id}...{attr} (a library or course function)"))
            if attr == "eval" and isinstance(node.value, ast.Name) and node.value.id in ("pd", "pandas"):
                out.append(Violation(cell, line, "pandas.eval runs code from a string"))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bad = [n for n in node.names if n in CHECKER_NAMES]
            if bad:
                out.append(Violation(cell, line, f"declares the checker {bad[0]} global"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and FORMAT_DUNDER.search(node.value):
            out.append(Violation(cell, line, "a format string that reaches dunder attributes"))
    out.sort(key=lambda v: (v.line, v.what))
    dedup: list[Violation] = []
    for v in out:
        if not dedup or dedup[-1] != v:
            dedup.append(v)
    return dedup


def _src(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def check_notebook(nb: dict, given: set[str] | None = None) -> list[Violation]:
    """Violations in every code cell a student wrote or changed.

    ``given`` holds the sources of the instructor's cells (tests and given code): a cell whose
    source is one of them is not the student's. Test cells are skipped (grading restores them).
    """
    given = {s.strip() for s in (given or set())}
    out: list[Violation] = []
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    modules, defined = _given_names(given)
    protected = modules | defined
    for i, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        nbg = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
        src = _src(cell)
        if (nbg.get("grade") and not nbg.get("solution")) or src.strip() in given or not src.strip():
            continue
        out += check_source(src, i, modules, protected)
    return out


def _given_names(sources: set[str]) -> tuple[set[str], set[str]]:
    """(names the given cells import, functions and classes they define at module level)."""
    imported: set[str] = set()
    defined: set[str] = set()
    for src in sources:
        try:
            tree = ast.parse(_ipython_transform(src))
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update((a.asname or a.name.split(".")[0]) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.update((a.asname or a.name) for a in node.names if a.name != "*")
        defined.update(n.name for n in tree.body
                       if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
    return imported, defined


def given_sources(source_nb: dict) -> set[str]:
    """The instructor's code cells that are not exercises (the student may leave them alone)."""
    out = set()
    for cell in source_nb.get("cells", []):
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and not nbg.get("solution"):
            out.add(_src(cell).strip())
    return out
