"""The README's "Measured figures": what is measured, how it is rendered, and how it is checked.

``bench/readme_figures.py`` re-measures everything and records it in ``bench/figures.json``;
the README's table between the two markers below is rendered from that file and nothing else
(``tests/test_readme_figures.py`` fails when they differ, so no figure is typed by hand). The
results a notebook prints (accuracies) are also checked on every run of the solutions: each
recorded value becomes a claim ``abs(expr - recorded) <= RESULT_TOLERANCE`` evaluated after the
notebook has run (``tests/test_notebooks.py::test_solution_executes_top_to_bottom``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "bench" / "figures.json"
README = ROOT / "README.md"
BEGIN = "<!-- figures:begin (rendered from bench/figures.json by bench/readme_figures.py: do not edit) -->"
END = "<!-- figures:end -->"
# Two runs on one machine agree exactly; another CPU may round a few predictions differently.
RESULT_TOLERANCE = 0.03

# notebook -> (what the numbers are, [(label, expression evaluated in the kernel after the run)])
RESULTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "04_feedforward_classifier": ("test accuracy, tweets, 3 classes", [
        ("bag of embeddings", 'neural_metrics["accuracy"]'),
        ("TF-IDF + LR", 'tfidf_metrics["accuracy"]'),
        ("keyword baseline", 'keyword_metrics["accuracy"]'),
    ]),
    "05_word_embeddings": ("test accuracy, 20 Newsgroups, 6 classes; models trained to convergence", [
        ("GloVe fine-tuned", "finetuned_acc"),
        ("from scratch", "scratch_acc"),
        ("GloVe frozen", "frozen_acc"),
        ("GloVe mean + LR", "glove_lr_acc"),
        ("word2vec mean + LR", "w2v_lr_acc"),
        ("TF-IDF + LR", "tfidf_acc"),
    ]),
    "06_lstm_packing": ("test accuracy, 20 Newsgroups, 6 classes; one change at a time", [
        ("64 tokens, naive output[:, -1]", "naive_acc"),
        ("64 tokens, packed", "packed_acc"),
        ("packed + bucketing", "bucketed_acc"),
        ("BiLSTM + bucketing", "bilstm_acc"),
        ("300 tokens, naive", "naive_long_acc"),
        ("300 tokens, last real step", "laststep_long_acc"),
    ]),
}

VALUES_MARKER = "FIGURES-VALUES:"


def values_cell(name: str) -> str:
    """Code appended to a copy of a notebook: prints each result expression's value as JSON."""
    exprs = {label: expr for label, expr in RESULTS.get(name, ("", []))[1]}
    return (
        "def _figures(_exprs, _ns):\n"
        "    import json as _json\n"
        "    _out = {}\n"
        "    for _label, _expr in _exprs.items():\n"
        "        try:\n"
        "            _out[_label] = float(eval(_expr, _ns))\n"
        "        except Exception as _err:\n"
        "            _out[_label] = f'{type(_err).__name__}: {_err}'\n"
        f"    print({VALUES_MARKER!r} + _json.dumps(_out))\n"
        f"_figures({exprs!r}, globals())\n"
        "del _figures\n"
    )


def read_values(executed: dict) -> dict | None:
    from autograder.claims import read_marked_json

    return read_marked_json(executed, VALUES_MARKER)


def load_record(path: Path = RECORD) -> dict:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def result_claims(name: str, record: dict | None = None) -> list[dict]:
    """The recorded results of one notebook as claims (see ``autograder.claims``)."""
    record = load_record() if record is None else record
    recorded = record.get("notebooks", {}).get(name, {}).get("results", {})
    claims = []
    for label, expr in RESULTS.get(name, ("", []))[1]:
        if isinstance(recorded.get(label), (int, float)):
            claims.append({"expr": f"abs(({expr}) - {recorded[label]!r}) <= {RESULT_TOLERANCE}",
                           "cell": "README", "id": "figures",
                           "after": f"README, measured figures: {label} {recorded[label]:.3f}"})
    return claims


# --- rendering ------------------------------------------------------------------------------

def _s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if isinstance(seconds, int):
        return f"{seconds} s"
    if seconds >= 120:
        return f"{int(seconds // 60)} min {round(seconds % 60):d} s"
    return f"{seconds:.1f} s"


def _when(entry: dict) -> str:
    bits = [entry.get("date", "?")]
    if entry.get("load") is not None:
        bits.append(f"load {entry['load'][0]:.1f} to {entry['load'][1]:.1f}")
    return ", ".join(bits)


def render(record: dict) -> str:
    """The README section between the markers, from the record alone."""
    lines = [BEGIN, ""]
    machine = record.get("machine", {})
    lines.append(f"Re-measured by `bench/readme_figures.py` (it rewrites this table and "
                 f"`bench/figures.json`) on {machine.get('cores', '?')} CPU cores, "
                 f"{machine.get('memory_gib', '?')} GiB, torch {machine.get('torch', '?')}; each row says "
                 "when and under what load (the 1-minute load average before and after).")
    lines += ["", "| notebook | default run (budget) | under `NBGRADER_EXECUTION` (budget) | "
                  "graded in the sandbox, full marks | figures | measured |",
              "|---|---|---|---|---|---|"]
    for name, nb in sorted(record.get("notebooks", {}).items()):
        sandbox = nb.get("sandbox_s")
        marks = nb.get("sandbox_marks")
        graded = f"{_s(sandbox)} ({marks})" if sandbox is not None else "-"
        lines.append(f"| `{name}` | {_s(nb.get('default_s'))} ({_s(nb.get('budget_s'))}) | "
                     f"{_s(nb.get('graded_s'))} ({_s(nb.get('graded_budget_s'))}) | {graded} | "
                     f"{nb.get('figures', '-')} | {_when(nb)} |")
    lines += ["", "| result | figure | measured |", "|---|---|---|"]
    for name, nb in sorted(record.get("notebooks", {}).items()):
        results = nb.get("results")
        if not results or name not in RESULTS:
            continue
        what = RESULTS[name][0]
        order = [label for label, _ in RESULTS[name][1] if label in results]  # the spec's order
        text = "; ".join(f"{label} {results[label]:.3f}" if isinstance(results[label], (int, float))
                         else f"{label}: {results[label]}" for label in order)
        lines.append(f"| notebook {name[:2]}, {what} | {text} | {_when(nb)} |")
    lines += ["", "| benchmark | figure | measured |", "|---|---|---|"]
    lstm = record.get("lstm")
    if lstm:
        for row in lstm["rows"]:
            unit, digits = ("s", 2) if row["what"].startswith("epoch") else ("ms", 1)
            lines.append(f"| padded vs packed BiLSTM ({lstm['device']}, {lstm['threads']} thread): "
                         f"{row['what']} | padded {row['padded']:.{digits}f} {unit}, "
                         f"packed {row['packed']:.{digits}f} {unit} "
                         f"(packed/padded {row['packed'] / row['padded']:.2f}) | {_when(lstm)} |")
    grading = record.get("grading")
    if grading:
        stock = grading["stock_per_submission_s"]
        runs = "; ".join(f"{w} worker{'s' if w > 1 else ''} {s:.1f} s ({r:.2f}x stock's throughput)"
                         for w, s, r in grading["workers"])
        lines.append(f"| sandboxed `make grade` vs stock `nbgrader autograde`, {grading['submissions']} complete "
                     f"submissions of notebook 01, side by side (`bench_grading.py --stock`) | stock "
                     f"{stock:.1f} s per submission; {runs} | {_when(grading)} |")
    fresh = record.get("fresh_clone")
    if fresh:
        lines.append(f"| `make test` in a fresh clone (venv, data, {fresh['passed']} checks passed, "
                     f"{fresh['failed']} failed) | {_s(fresh['wall_s'])} wall | {_when(fresh)} |")
    cuda = record.get("cuda")
    lines.append("| CUDA | " + (cuda["text"] if cuda else
                 "not measured: no GPU machine was lent to the sessions that built this; run "
                 "`bench/bench_lstm.py` and notebook 06 on one") + " | " + (_when(cuda) if cuda else "-") + " |")
    lines += ["", END]
    return "\n".join(lines)


def readme_section(text: str) -> str | None:
    m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), text, re.DOTALL)
    return m.group(0) if m else None


def write_readme(record: dict, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    section = readme_section(text)
    if section is None:
        raise SystemExit(f"{readme} has no figures section: add the two marker lines\n{BEGIN}\n{END}")
    readme.write_text(text.replace(section, render(record)), encoding="utf-8")


