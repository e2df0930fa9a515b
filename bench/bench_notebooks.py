"""Time every solution notebook, by default and under grading, against its budget.

    .venv/bin/python bench/bench_notebooks.py [NN ...] [--graded-only]

Budgets (2 CPU cores): 01-03 one minute, 04 three, 05 four, 06 and 07 six; under
NBGRADER_EXECUTION every notebook must finish in one minute. Results go to
build/bench/notebooks.json and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.build import assignments, execute  # noqa: E402

BUDGET_S = {"01": 60, "02": 60, "03": 60, "04": 180, "05": 240, "06": 360, "07": 360}
GRADED_BUDGET_S = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook number prefixes, e.g. 04 06")
    parser.add_argument("--graded-only", action="store_true")
    args = parser.parse_args()
    rows = []
    for path in assignments():
        prefix = path.parent.name[:2]
        if args.names and prefix not in args.names:
            continue
        modes = [("graded", {"NBGRADER_EXECUTION": "autograde"})]
        if not args.graded_only:
            modes.insert(0, ("default", {}))
        for mode, env in modes:
            saved = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    res = execute(path, Path(tmp), html=False)
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
            budget = BUDGET_S.get(prefix, 60) if mode == "default" else GRADED_BUDGET_S
            rows.append({"notebook": path.parent.name, "mode": mode, "seconds": res["seconds"],
                         "budget_s": budget, "within": res["seconds"] <= budget, "error": res["error"]})
            print(f"{path.parent.name:<26} {mode:<8} {res['seconds']:7.1f} s  budget {budget:4d} s  "
                  f"{'ok' if rows[-1]['within'] and not res['error'] else 'OVER/FAILED'}", flush=True)
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "notebooks.json").write_text(json.dumps(rows, indent=1))
    return 0 if all(r["within"] and not r["error"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
