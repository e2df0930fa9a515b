"""Re-measure the README's "Measured figures" and rewrite that table from the measurements.

    .venv/bin/python bench/readme_figures.py [--only notebooks sandbox lstm grading fresh-clone] [NN ...]

Every solution is executed twice (default run, with its results read from the kernel, and under
NBGRADER_EXECUTION=autograde, as nbgrader runs it) and graded as a complete submission by real
nbgrader in the bubblewrap sandbox; `bench_lstm.py` and `bench_grading.py --stock` run side by
side comparisons; `fresh-clone` (only when asked: about 12 minutes) times `make test` in a fresh
clone. Each measurement is stored in bench/figures.json with its date and load (the parts not
re-measured keep their earlier entries) and the README's table is rendered from that file alone.
Run it on a quiet machine: the load is recorded next to every row.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from autograder import figures  # noqa: E402
from autograder.build import assignments, execute  # noqa: E402

PARTS = ("notebooks", "sandbox", "lstm", "grading", "fresh-clone")


def _today() -> str:
    return datetime.date.today().isoformat()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _machine() -> dict:
    import torch

    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cores": os.cpu_count(), "memory_gib": round(mem / 2**20), "torch": torch.__version__.split("+")[0]}


def measure_notebooks(record: dict, names: list[str]) -> None:
    from bench_notebooks import BUDGET_S, GRADED_BUDGET_S

    for path in assignments():
        name = path.parent.name
        if names and name[:2] not in names:
            continue
        entry = record["notebooks"].setdefault(name, {})
        load_before = _load()
        nb = json.loads(path.read_text(encoding="utf-8"))
        checked = copy.deepcopy(nb)
        checked["cells"].append({"cell_type": "code", "execution_count": None, "id": "figures-values",
                                 "metadata": {}, "outputs": [], "source": figures.values_cell(name)})
        with tempfile.TemporaryDirectory(prefix="figures-") as tmp:
            src = Path(tmp) / "src" / name / path.name
            src.parent.mkdir(parents=True)
            src.write_text(json.dumps(checked), encoding="utf-8")
            print(f"{name}: default run ...", flush=True)
            res = execute(src, Path(tmp) / "out", html=False)
            if res["error"]:
                raise SystemExit(f"{name} failed: {res['error']}")
            values = figures.read_values(json.loads((Path(tmp) / "out" / path.name).read_text()))
        os.environ["NBGRADER_EXECUTION"] = "autograde"
        try:
            with tempfile.TemporaryDirectory(prefix="figures-") as tmp:
                print(f"{name}: under NBGRADER_EXECUTION ...", flush=True)
                graded = execute(path, Path(tmp), html=False)
        finally:
            os.environ.pop("NBGRADER_EXECUTION")
        if graded["error"]:
            raise SystemExit(f"{name} failed under NBGRADER_EXECUTION: {graded['error']}")
        entry.update({"default_s": res["seconds"], "graded_s": graded["seconds"], "figures": res["figures"],
                      "budget_s": BUDGET_S.get(name[:2], 60), "graded_budget_s": GRADED_BUDGET_S,
                      "date": _today(), "load": [load_before, _load()]})
        if values:
            entry["results"] = values
        print(f"  {res['seconds']} s / {graded['seconds']} s, {res['figures']} figures, {values or ''}", flush=True)


def measure_sandbox(record: dict, names: list[str]) -> None:
    from autograder.sample_class import complete_submission, grade_class, make_course, submit

    chosen = [p.parent.name for p in assignments() if not names or p.parent.name[:2] in names]
    with tempfile.TemporaryDirectory(prefix="figures-sandbox-") as tmp:
        course = make_course(Path(tmp) / "course", chosen)
        for name in chosen:
            load_before = _load()
            submit(course, name, "ada", complete_submission(name))
            result = grade_class(course, name, ["ada"])["ada"]
            got = sum(g for g, _ in result.per_exercise.values())
            out_of = sum(m for _, m in result.per_exercise.values())
            entry = record["notebooks"].setdefault(name, {})
            entry.update({"sandbox_s": result.seconds, "sandbox_marks": f"{got:g}/{out_of:g}"})
            entry.setdefault("date", _today())
            entry.setdefault("load", [load_before, _load()])
            print(f"{name}: graded in the sandbox in {result.seconds} s, {got:g}/{out_of:g}", flush=True)


def measure_lstm(record: dict) -> None:
    import torch
    from bench_lstm import run

    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    load_before = _load()
    rows = run(torch.device("cpu"))
    record["lstm"] = {"device": "CPU", "threads": 1, "rows": [{k: r[k] for k in ("what", "padded", "packed")}
                                                              for r in rows],
                      "date": _today(), "load": [load_before, _load()]}
    print("lstm:", record["lstm"]["rows"], flush=True)


def measure_grading(record: dict) -> None:
    load_before = _load()
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_grading.py"), "--stock", "--kinds", "complete",
                    "--n01", "20", "--heavy", "0", "--workers", "1", "2"], cwd=ROOT, check=True)
    rows = json.loads((ROOT / "build" / "bench" / "grading.json").read_text())["rows"]
    stock = next(r for r in rows if r["engine"] == "stock")
    ours = [r for r in rows if r["engine"] != "stock"]
    record["grading"] = {
        "submissions": stock["submissions"],
        "stock_per_submission_s": round(stock["grading_s"] / stock["submissions"], 2),
        "workers": [[r["workers"], round(r["grading_s"] / r["submissions"], 2), r["vs_stock"]] for r in ours],
        "date": _today(), "load": [load_before, _load()]}


def measure_fresh_clone(record: dict) -> None:
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="figures-clone-") as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        started = time.perf_counter()
        proc = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True)
        wall = time.perf_counter() - started
    tail = proc.stdout[-3000:]
    passed = re.search(r"(\d+) passed", tail)
    failed = re.search(r"(\d+) failed", tail)
    if proc.returncode != 0:
        print(tail + proc.stderr[-2000:])
    record["fresh_clone"] = {"wall_s": round(wall, 1), "passed": int(passed.group(1)) if passed else 0,
                             "failed": int(failed.group(1)) if failed else 0, "rc": proc.returncode,
                             "date": _today(), "load": [load_before, _load()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook number prefixes (default: all)")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=["notebooks", "sandbox", "lstm", "grading"])
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    record = figures.load_record()
    record["machine"] = _machine()
    record.setdefault("notebooks", {})
    steps = {"notebooks": lambda: measure_notebooks(record, args.names),
             "sandbox": lambda: measure_sandbox(record, args.names),
             "lstm": lambda: measure_lstm(record), "grading": lambda: measure_grading(record),
             "fresh-clone": lambda: measure_fresh_clone(record)}
    for part in PARTS:
        if part in args.only:
            print(f"== {part}", flush=True)
            steps[part]()
            figures.RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    figures.write_readme(record)
    print(f"-> {figures.RECORD.relative_to(ROOT)} and README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
