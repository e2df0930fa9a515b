"""Time a padded against a packed BiLSTM on this machine's device: forward + backward, and one epoch.

    .venv/bin/python bench/bench_lstm.py                  # best device (cuda -> mps -> cpu)
    .venv/bin/python bench/bench_lstm.py --device cpu --threads 2

The model is notebook 06's (embedding 50, bidirectional LSTM with hidden size 64, batch 64); the
data are random token ids whose lengths follow 20 Newsgroups (log-normal, median about 160 tokens),
so no data set is needed. Padded runs read ``h_n`` of the padded batch: wrong for short rows (see
notebook 06), timed only for comparison. Finishes in well under two minutes on two CPU cores.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.device import pick_device  # noqa: E402
from course.text import bucket_batches  # noqa: E402

VOCAB, EMB, HIDDEN, CLASSES, BATCH = 20_000, 50, 64, 6, 64


class BiLSTMClassifier(nn.Module):
    """Embedding -> BiLSTM -> both directions' final states -> Linear; packed or padded."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMB, padding_idx=0)
        self.lstm = nn.LSTM(EMB, HIDDEN, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * HIDDEN, CLASSES)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor, packed: bool) -> torch.Tensor:
        x = self.embedding(ids)  # [B, T, EMB]
        if packed:
            x = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, (h_n, _) = self.lstm(x)  # [2, B, HIDDEN]
        return self.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))


def newsgroup_like_lengths(n: int, max_len: int, seed: int = 0) -> list[int]:
    """n lengths from a log-normal with median 160 tokens, cut to [1, max_len]."""
    g = torch.Generator().manual_seed(seed)
    raw = torch.exp(math.log(160.0) + 0.9 * torch.randn(n, generator=g))
    return raw.round().clamp(1, max_len).long().tolist()


def make_batch(lengths: list[int], device: torch.device, seed: int = 0):
    """(ids [B, T] on device, lengths [B] on the CPU, labels [B] on device) with random token ids."""
    g = torch.Generator().manual_seed(seed)
    seqs = [torch.randint(1, VOCAB, (n,), generator=g) for n in lengths]
    ids = pad_sequence(seqs, batch_first=True, padding_value=0)
    labels = torch.randint(0, CLASSES, (len(lengths),), generator=g)
    return ids.to(device), torch.tensor(lengths), labels.to(device)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_step(model: nn.Module, batch, packed: bool, repeats: int, device: torch.device) -> float:
    """Milliseconds per forward + backward pass on one batch, after one warm-up pass."""
    ids, lengths, labels = batch

    def once():
        model.zero_grad()
        nn.functional.cross_entropy(model(ids, lengths, packed), labels).backward()

    once()
    _sync(device)
    started = time.perf_counter()
    for _ in range(repeats):
        once()
    _sync(device)
    return (time.perf_counter() - started) / repeats * 1000


def time_epoch(model: nn.Module, lengths: list[int], packed: bool, device: torch.device) -> float:
    """Seconds for one training epoch (Adam) over bucketed batches of the given lengths."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = [make_batch([lengths[i] for i in b], device, seed=k)
               for k, b in enumerate(bucket_batches(lengths, BATCH, seed=0))]
    _sync(device)
    started = time.perf_counter()
    for ids, lens, labels in batches:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(ids, lens, packed), labels).backward()
        optimizer.step()
    _sync(device)
    return time.perf_counter() - started


def run(device: torch.device, repeats: int = 3, docs: int = 1500, max_lens=(64, 256)) -> list[dict]:
    """All measurements as rows of a table."""
    torch.manual_seed(0)
    model = BiLSTMClassifier().to(device)
    rows = []
    for max_len in max_lens:
        lengths = newsgroup_like_lengths(docs, max_len)
        shuffled = [lengths[i] for i in torch.randperm(docs, generator=torch.Generator().manual_seed(1))[:BATCH].tolist()]
        for name, batch_lengths in [("random batch", shuffled), (f"all {max_len} tokens", [max_len] * BATCH)]:
            batch = make_batch(batch_lengths, device)
            padded = time_step(model, batch, packed=False, repeats=repeats, device=device)
            packed = time_step(model, batch, packed=True, repeats=repeats, device=device)
            pad_share = 1 - sum(batch_lengths) / (max(batch_lengths) * len(batch_lengths))
            rows.append({"what": f"fwd+bwd ms, {name}, max_len {max_len}", "padding": pad_share,
                         "padded": padded, "packed": packed})
    lengths = newsgroup_like_lengths(docs, max_lens[0])
    epoch = {packed: time_epoch(model, lengths, packed, device) for packed in (False, True)}
    rows.append({"what": f"epoch s, {docs} docs, bucketed, max_len {max_lens[0]}", "padding": float("nan"),
                 "padded": epoch[False], "packed": epoch[True]})
    return rows


def format_table(rows: list[dict]) -> str:
    lines = [f"{'measurement':<46} {'padding':>8} {'padded':>9} {'packed':>9} {'packed/padded':>14}"]
    for r in rows:
        share = "" if math.isnan(r["padding"]) else f"{r['padding']:.0%}"
        lines.append(f"{r['what']:<46} {share:>8} {r['padded']:>9.1f} {r['packed']:>9.1f} "
                     f"{r['packed'] / r['padded']:>14.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default=None, help="cpu, cuda or mps (default: best available)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1, see notebook 06)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--docs", type=int, default=1500, help="documents in the timed epoch")
    args = parser.parse_args(argv)
    device = pick_device(args.device)
    torch.set_num_threads(args.threads)
    flush = torch.set_flush_denormal(True)
    print(f"torch {torch.__version__}, device {device}, CPU threads {torch.get_num_threads()}, "
          f"flush denormals {flush}")
    started = time.perf_counter()
    print(format_table(run(device, repeats=args.repeats, docs=args.docs)))
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
