"""Stage 2, triage: read each submission without trusting it (encodings, JSON depth, nbgrader
metadata), set stray files aside, and scan it (the allowlist policy, rebinding, tampering).
Every failure stays with its own submission."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


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
        except (RecursionError, MemoryError) as err:  # nested 100,000 deep & co.
            error = error or f"JSON nested too deeply or too large to read ({type(err).__name__})"
            continue
        except ValueError as err:
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
