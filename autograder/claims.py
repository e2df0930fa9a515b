"""Claims: every number the prose states is checked against the run that printed it.

A claim is an HTML comment in a Markdown cell of a solution notebook, placed right after the
sentence it guards::

    The naive model lands near chance. <!-- claim: 0.25 <= naive_acc <= 0.50 -->

The expression is Python, evaluated in the kernel's namespace once the whole notebook has run
(so it sees each variable's final value). HTML comments do not render in Jupyter or in nbconvert's
HTML. A claim that is false, raises (a ``NameError`` included) or is not a valid expression fails.

    python -m autograder.claims list [NB ...]        claims per notebook, and numbers with no claim
    python -m autograder.claims check NB [OUT_DIR]   execute NB with its claims, print the verdicts
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

CLAIM = re.compile(r"<!--\s*claim:\s*(.*?)\s*-->", re.DOTALL)
MARKER = "CLAIMS-VERDICT:"
VALUE_CHARS = 120


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def find_claims(nb: dict) -> list[dict]:
    """Every claim of a notebook: its expression, cell index, cell id and the text it follows."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        text = source(cell)
        for match in CLAIM.finditer(text):
            before = CLAIM.sub("", text[: match.start()]).rstrip()
            sentence = re.split(r"(?<=[.!?:])\s+|\n\s*\n", before)[-1] if before else ""
            found.append({"expr": match.group(1).strip(), "cell": index, "id": cell.get("id"),
                          "after": sentence[-160:]})
    return found


def syntax_errors(claims: list[dict]) -> list[str]:
    errors = []
    for claim in claims:
        try:
            ast.parse(claim["expr"], mode="eval")
        except SyntaxError as err:
            errors.append(f"cell {claim['cell']}: claim `{claim['expr']}` is not a Python expression: {err.msg}")
    return errors


# The cell appended to a copy of the notebook. It evaluates each claim in the kernel's namespace,
# records the value of every name (and dotted name) the claim reads, and prints one JSON line.
# It never raises, so a false claim cannot hide behind an execution error.
_CHECK_CELL = '''\
def _claims_check(_claims, _ns):
    import ast as _ast, json as _json
    def _dotted(node):
        parts = []
        while isinstance(node, _ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, _ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        return None
    _verdicts = []
    for _c in _claims:
        _v = dict(_c)
        try:
            _tree = _ast.parse(_c["expr"], mode="eval")
        except SyntaxError as _err:
            _v.update(ok=False, error=f"SyntaxError: {_err.msg}", values={})
            _verdicts.append(_v)
            continue
        _names = []
        _called = {id(_n.func) for _n in _ast.walk(_tree) if isinstance(_n, _ast.Call)}
        _bound = {_t.id for _n in _ast.walk(_tree) if isinstance(_n, _ast.comprehension)
                  for _t in _ast.walk(_n.target) if isinstance(_t, _ast.Name)}
        _bound |= {_a.arg for _n in _ast.walk(_tree) if isinstance(_n, _ast.Lambda) for _a in _n.args.args}
        for _node in _ast.walk(_tree):
            if id(_node) in _called:
                continue
            _d = _dotted(_node) if isinstance(_node, (_ast.Name, _ast.Attribute)) else None
            if _d and _d.split(".")[0] not in _bound and _d not in _names and not any(
                    _n.startswith(_d + ".") for _n in _names):
                _names.append(_d)
        _values = {}
        for _n in _names:
            try:
                _value = eval(_n, _ns)
                if type(_value).__name__ == "module":
                    continue
                _values[_n] = repr(_value)[:@@CHARS@@]
            except Exception as _err:
                _values[_n] = f"<{type(_err).__name__}: {_err}>"[:@@CHARS@@]
        try:
            _result = eval(compile(_tree, "<claim>", "eval"), _ns)
            if type(_result).__name__ in ("bool", "bool_"):
                _v.update(ok=bool(_result), error=None)
            else:
                _v.update(ok=False, error=f"evaluates to {type(_result).__name__} "
                          f"{repr(_result)[:@@CHARS@@]}, not a bool")
        except Exception as _err:
            _v.update(ok=False, error=f"{type(_err).__name__}: {_err}")
        _v["values"] = _values
        _verdicts.append(_v)
    print(@@MARKER@@ + _json.dumps(_verdicts))
_claims_check(@@CLAIMS@@, globals())
del _claims_check
'''


def check_cell(claims: list[dict]) -> str:
    code = _CHECK_CELL.replace("@@CHARS@@", str(VALUE_CHARS)).replace("@@MARKER@@", repr(MARKER))
    return code.replace("@@CLAIMS@@", repr([{k: c[k] for k in ("expr", "cell", "id", "after")} for c in claims]))


def with_check_cell(nb: dict, extra: list[dict] = ()) -> tuple[dict, list[dict]]:
    """A copy of the notebook with the claims-evaluation cell appended (and its claims); ``extra``
    claims made elsewhere (the README's recorded results, ``autograder.figures``) are checked too."""
    import copy

    claims = find_claims(nb) + list(extra)
    out = copy.deepcopy(nb)
    cell = {"cell_type": "code", "execution_count": None, "id": "claims-check",
            "metadata": {}, "outputs": [], "source": check_cell(claims)}
    out["cells"].append(cell)
    return out, claims


def read_marked_json(executed: dict, marker: str = MARKER):
    """The JSON that the last cell of an executed notebook printed after ``marker`` (None: none)."""
    cell = executed["cells"][-1]
    for out in cell.get("outputs", []):
        text = out.get("text", "")
        text = "".join(text) if isinstance(text, list) else text
        for line in text.splitlines():
            if line.startswith(marker):
                return json.loads(line[len(marker):])
    return None


def read_verdicts(executed: dict) -> list[dict] | None:
    """The verdicts printed by the appended cell of an executed notebook (None: it did not run)."""
    return read_marked_json(executed, MARKER)


def describe(verdict: dict) -> str:
    values = ", ".join(f"{k} = {v}" for k, v in verdict.get("values", {}).items()) or "no names"
    why = verdict.get("error") or "is False"
    after = f' (after "{verdict["after"]}")' if verdict.get("after") else ""
    return f"cell {verdict['cell']} (id {verdict.get('id')}){after}: claim `{verdict['expr']}` {why}; {values}"


def failures(verdicts: list[dict] | None, claims: list[dict]) -> list[str]:
    """One line per false or broken claim; a missing verdict (the check cell never ran) fails too."""
    if verdicts is None:
        return [f"the claims check cell did not run: {len(claims)} claim(s) unchecked"] if claims else []
    return [describe(v) for v in verdicts if not v.get("ok")]


def execute_with_claims(path: Path, out_dir: Path, extra: list[dict] = (), **kwargs) -> tuple[dict, list[dict], list[str]]:
    """Execute a notebook (``autograder.build.execute``) with its claims checked at the end.

    The copy runs from ``out_dir/src/<folder>/`` (the notebooks read nothing relative to their
    folder); returns build.execute's result, the claims, and one message per failed claim.
    """
    from autograder import build

    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    checked, claims = with_check_cell(nb, extra)
    src = Path(out_dir) / "src" / path.parent.name / path.name
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(json.dumps(checked, indent=1, ensure_ascii=False), encoding="utf-8")
    res = build.execute(src, Path(out_dir), **kwargs)
    executed = json.loads((Path(out_dir) / path.name).read_text(encoding="utf-8"))
    if res["error"] is not None:
        return res, claims, []
    return res, claims, failures(read_verdicts(executed), claims)


# --- numbers in the prose that no claim guards -------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.])("
    r"\d+(?:[.,]\d+)*\s?%"                                   # 44%, 12.5 %
    r"|\d*\.\d+(?![\w.])"                                     # 0.89, .5
    r"|\d+(?:\.\d+)?\s?(?:s|ms|seconds?|minutes?|min)\b"      # 25 s, 3 minutes
    r"|\d+(?:\.\d+)?x\b|\d+(?:\.\d+)?×"                       # 1.1x
    r")"
)
_SKIP = re.compile(
    r"```.*?```"               # code blocks
    r"|`[^`\n]*`"              # code spans
    r"|\$\$.*?\$\$|\$[^$\n]*\$"  # LaTeX
    r"|\]\([^)]*\)"            # link targets
    r"|https?://\S+",
    re.DOTALL,
)


def _is_solution_only(cell: dict) -> bool:
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    return bool(meta.get("solution"))


def unguarded_numbers(nb: dict) -> list[dict]:
    """Numbers stated in Markdown (decimals, percentages, durations, speed-ups) in a paragraph
    that carries no claim. A warning list: a number may be a definition (a 70/15/15 split,
    x_max = 100) rather than a measurement."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        text = _SKIP.sub(" ", source(cell))
        for para in re.split(r"\n\s*\n", text):
            if CLAIM.search(para):
                continue
            plain = re.sub(r"<!--.*?-->", " ", para, flags=re.DOTALL)
            for match in _NUMBER.finditer(plain):
                start = max(0, match.start() - 50)
                found.append({"cell": index, "id": cell.get("id"), "number": match.group(1).strip(),
                              "context": " ".join(plain[start: match.end() + 30].split()),
                              "model_answer": _is_solution_only(cell)})
    return found


def main(argv: list[str] | None = None) -> int:
    from autograder.exercises import list_assignments

    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    lst = sub.add_parser("list", help="claims per notebook, and numbers with no claim nearby")
    lst.add_argument("notebooks", nargs="*", type=Path)
    lst.add_argument("-q", "--quiet", action="store_true", help="counts only")
    chk = sub.add_parser("check", help="execute a notebook and evaluate its claims")
    chk.add_argument("notebook", type=Path)
    chk.add_argument("out_dir", nargs="?", type=Path, default=root / "build" / "claims")
    args = parser.parse_args(argv)
    if args.cmd == "list":
        paths = args.notebooks or list_assignments(root, "solutions")
        for path in paths:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
            claims, loose = find_claims(nb), unguarded_numbers(nb)
            print(f"{Path(path).stem}: {len(claims)} claims, {len(loose)} numbers with no claim")
            for err in syntax_errors(claims):
                print(f"  ERROR {err}")
            if not args.quiet:
                for c in claims:
                    print(f"  claim  cell {c['cell']}: {c['expr']}")
                for n in loose:
                    tag = " [model answer]" if n["model_answer"] else ""
                    print(f"  number cell {n['cell']}{tag}: {n['number']!r} in \"{n['context']}\"")
        return 0
    from autograder import figures

    res, claims, failed = execute_with_claims(args.notebook, args.out_dir, html=False,
                                              extra=figures.result_claims(Path(args.notebook).parent.name))
    print(f"{args.notebook.stem}: {res['seconds']} s, {len(claims)} claims, {len(failed)} failed"
          + (f", execution error: {res['error']}" if res["error"] else ""))
    for line in failed:
        print(f"  FALSE {line}")
    return 1 if failed or res["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
