"""Build steps for the course notebooks.

    python -m autograder.build notebooks          clean solutions/, regenerate notebooks/ with nbgrader
    python -m autograder.build check-clean        fail if any committed notebook needs cleaning
    python -m autograder.build execute [NN ...]   run solution notebooks into build/ (.ipynb + .html)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
CELL_METADATA_KEEP = ("nbgrader", "tags")
# Student notebooks also keep nbgrader's locks: JupyterLab refuses to edit or delete such cells.
STUDENT_CELL_METADATA_KEEP = (*CELL_METADATA_KEEP, "editable", "deletable")
# Every code cell of a student notebook but the setup and the answers carries this tag: JupyterLab's
# Run All shows such a cell's error and goes on (stop_on_error=False), so test cells and worked
# examples that need an unanswered exercise do not stop the cells after them (plots included).
# Grading strips it (autograder.preprocessors.StripExecutionTags) and restores the test cells.
RUN_ON_TAG = "raises-exception"
HOWTO_ID = "how-to-run"
HOWTO = """\
> **How to run this notebook.** *Run → Run All Cells* runs everything, top to bottom, even while
> some exercises are still unanswered: a cell that needs one (its tests, a worked example) shows
> a red `NotImplementedError` or a failed check, and the run carries on to the next cells, plots
> included. Write only where it says `# YOUR CODE HERE` or `YOUR ANSWER HERE`; test and
> instruction cells are locked. Before you hand in, press **Validate** in the toolbar: it runs the
> notebook in a fresh kernel and lists every test that still fails. (In an editor that stops at
> the first error anyway, select the next cell and use *Run Selected Cell and All Below*.)"""
NOTEBOOK_METADATA_KEEP = ("kernelspec", "language_info")
LANGUAGE_INFO_KEEP = ("name",)


def assignments(tree: str = "solutions") -> list[Path]:
    from autograder.exercises import list_assignments

    return list_assignments(ROOT, tree)


def clean_notebook(nb: dict, keep: tuple[str, ...] = CELL_METADATA_KEEP) -> dict:
    """No outputs, no execution counts; keep only the allow-listed metadata."""
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        cell["metadata"] = {k: meta[k] for k in keep if k in meta}
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        if "attachments" in cell and not cell["attachments"]:
            del cell["attachments"]
    meta = nb.get("metadata", {})
    kept = {k: meta[k] for k in NOTEBOOK_METADATA_KEEP if k in meta}
    if "language_info" in kept:
        kept["language_info"] = {
            k: v for k, v in kept["language_info"].items() if k in LANGUAGE_INFO_KEEP
        }
    nb["metadata"] = kept
    return nb


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def prepare_student(nb: dict) -> dict:
    """What a student notebook adds to nbgrader's release: a locked "how to run" note under the
    title, and the run-on tag on every code cell but the setup and the answers (idempotent)."""
    cells = nb["cells"]
    if not any(c.get("id") == HOWTO_ID for c in cells):
        note = {"cell_type": "markdown", "id": HOWTO_ID, "source": HOWTO.splitlines(keepends=True),
                "metadata": {"editable": False, "deletable": False}}
        cells.insert(1 if cells else 0, note)
    for cell in cells:
        meta = cell.setdefault("metadata", {})
        if cell["cell_type"] != "code" or (meta.get("nbgrader") or {}).get("solution"):
            continue
        tags = meta.setdefault("tags", [])
        if "setup" not in tags and RUN_ON_TAG not in tags:
            tags.append(RUN_ON_TAG)
    return nb


def student_tree(path: Path) -> bool:
    return ROOT / "notebooks" in path.resolve().parents


def clean_file(path: Path, write: bool = True, student: bool | None = None) -> bool:
    """Clean one notebook file; return True when it changed (or would change).

    Student notebooks (under notebooks/, or ``student=True``) keep the lock metadata."""
    student = student_tree(path) if student is None else student
    original = path.read_text(encoding="utf-8")
    keep = STUDENT_CELL_METADATA_KEEP if student else CELL_METADATA_KEEP
    cleaned = dumps(clean_notebook(json.loads(original), keep))
    if cleaned != original and write:
        path.write_text(cleaned, encoding="utf-8")
    return cleaned != original


def nbgrader(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """Run the venv's nbgrader CLI in a course directory (where its nbgrader_config.py is).

    The venv's bin folder goes first on PATH (nbgrader runs ``alembic`` from there) and the
    repository on PYTHONPATH (course configs load ``autograder`` plugins such as the collector).
    """
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args],
        cwd=cwd, check=check, text=True, capture_output=True, env=env,
    )


def generate(name: str, out_root: Path | None = None) -> Path:
    """Generate the student notebook of one assignment (deterministic) and clean it."""
    args = ["generate_assignment", name, "--no-db", "--force"]
    if out_root is not None:
        args.append(f"--CourseDirectory.release_directory={out_root}")
    result = nbgrader(*args, check=False)
    if result.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment {name} failed:\n{result.stderr[-3000:]}")
    target = (out_root or ROOT / "notebooks") / name / f"{name}.ipynb"
    nb = prepare_student(json.loads(target.read_text(encoding="utf-8")))
    target.write_text(dumps(clean_notebook(nb, STUDENT_CELL_METADATA_KEEP)), encoding="utf-8")
    return target


def build_notebooks() -> None:
    for path in assignments():
        if clean_file(path):
            print(f"cleaned  {path.relative_to(ROOT)}")
        target = generate(path.parent.name)
        print(f"wrote    {target.relative_to(ROOT)}")


def check_clean() -> int:
    dirty = [p for tree in ("solutions", "notebooks") for p in assignments(tree) if clean_file(p, write=False)]
    for p in dirty:
        print(f"needs cleaning: {p.relative_to(ROOT)}  (run `make notebooks`)")
    return 1 if dirty else 0


def execute(path: Path, out_dir: Path, timeout: int = 900, html: bool = True) -> dict:
    """Execute a notebook in a fresh kernel from its own folder; write .ipynb (+ .html)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as err:
        error = str(err).split("\n")[-2:] if str(err) else ["error"]
        error = " ".join(error)[-500:]
    seconds = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    out_nb = out_dir / path.name
    nbformat.write(nb, out_nb)
    if html:
        from autograder.feedback import html_exporter

        body, _ = html_exporter().from_notebook_node(nb)
        out_nb.with_suffix(".html").write_text(body, encoding="utf-8")
    figures = sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    )
    return {"notebook": path.parent.name, "seconds": round(seconds, 1), "error": error,
            "figures": figures, "output": os.path.relpath(out_nb, ROOT)}


def execute_all(names: list[str] | None = None) -> list[dict]:
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    results = []
    for path in assignments():
        if names and not any(path.parent.name.startswith(n) for n in names):
            continue
        print(f"executing {path.parent.name} ...", flush=True)
        res = execute(path, BUILD / "solutions" / path.parent.name)
        status = "ok" if res["error"] is None else f"FAILED: {res['error']}"
        print(f"  {res['seconds']:7.1f} s  {res['figures']} figures  {status}", flush=True)
        results.append(res)
    (BUILD / "solutions").mkdir(parents=True, exist_ok=True)
    (BUILD / "solutions" / "timings.json").write_text(json.dumps(results, indent=1))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="course notebook build steps")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("notebooks")
    sub.add_parser("check-clean")
    ex = sub.add_parser("execute")
    ex.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.cmd == "notebooks":
        build_notebooks()
        return 0
    if args.cmd == "check-clean":
        return check_clean()
    results = execute_all(args.names)
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
