"""The shared checkers added for notebook 03: check_masked_pooling and check_collated."""

from __future__ import annotations

import pytest
import torch
from torch.nn.utils.rnn import pad_sequence

from course.checks import check_collated, check_masked_pooling


def masked_sum(x, mask):
    return (x * mask.unsqueeze(-1).to(x.dtype)).sum(dim=1)


def masked_mean(x, mask):
    weights = mask.unsqueeze(-1).to(x.dtype)
    return (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def masked_max(x, mask):
    values = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    return torch.where(mask.any(dim=1, keepdim=True), values, torch.zeros_like(values))


def collate(batch, pad_idx=0):
    seqs = [s for s, _ in batch]
    ids = pad_sequence(seqs, batch_first=True, padding_value=pad_idx)
    return ids, torch.tensor([len(s) for s in seqs]), torch.tensor([int(y) for _, y in batch])


@pytest.mark.parametrize(("fn", "reduce"), [(masked_sum, "sum"), (masked_mean, "mean"), (masked_max, "max")])
def test_check_masked_pooling_accepts_the_references(fn, reduce):
    check_masked_pooling(fn, reduce, seed=1)
    check_masked_pooling(fn, reduce, seed=2, dtype=torch.float32)
    x, mask = torch.randn(2, 3, 4), torch.tensor([[True, False, True], [False, False, False]])
    check_masked_pooling(fn, reduce, x, mask)


def test_check_masked_pooling_accepts_a_boolean_index_loop_that_meta_cannot_run():
    check_masked_pooling(lambda x, m: torch.stack([x[b][m[b]].sum(0) for b in range(len(x))]), "sum")


@pytest.mark.parametrize(("fn", "reduce", "says"), [
    (lambda x, m: masked_sum(x, m) / x.shape[1], "mean", "divided by seq_len"),
    (lambda x, m: (x * m.unsqueeze(-1)).max(dim=1).values, "max", "count as zeros"),
    (lambda x, m: x.sum(dim=1), "sum", "mask was not applied"),
    (lambda x, m: masked_sum(x, m) / m.unsqueeze(-1).sum(dim=1), "mean", "no real step"),
    (lambda x, m: x.masked_fill(~m.unsqueeze(-1), float("-inf")).max(dim=1), "max", "take .values"),
    (lambda x, m: masked_sum(x, m).float(), "sum", "expected dtype torch.float64"),
    (lambda x, m: masked_sum(x, m).sum(dim=1, keepdim=True), "sum", "expected shape"),
    (lambda x, m: torch.zeros(x.shape[0], x.shape[2], dtype=x.dtype) + masked_sum(x, m), "sum", "meta"),
    (lambda x, m: masked_sum(x.masked_fill_(~m.unsqueeze(-1), 0.0), m), "sum", "changed its input"),
])
def test_check_masked_pooling_names_the_mistake(fn, reduce, says):
    with pytest.raises(AssertionError, match=says):
        check_masked_pooling(fn, reduce, seed=3)


def test_check_masked_pooling_refuses_an_unknown_reduction():
    with pytest.raises(ValueError):
        check_masked_pooling(masked_sum, "median")


def test_check_collated_accepts_the_reference_on_cpu_and_meta():
    check_collated(collate)
    check_collated(collate, [(torch.tensor([3, 3, 1]), 0), (torch.tensor([], dtype=torch.long), 1)], 5)
    check_collated(collate, [(torch.tensor([3, 3, 1], device="meta"), 0), (torch.tensor([9], device="meta"), 1)])


@pytest.mark.parametrize(("fn", "says"), [
    (lambda b, pad_idx=0: (pad_sequence([s for s, _ in b], padding_value=pad_idx),) + collate(b, pad_idx)[1:], "batch_first=True"),
    (lambda b, pad_idx=0: (torch.nn.functional.pad(collate(b, pad_idx)[0], (0, 2), value=pad_idx),) + collate(b, pad_idx)[1:],
     "OF THIS BATCH"),
    (lambda b, pad_idx=0: collate(b), "pad_idx"),
    (lambda b, pad_idx=0: list(collate(b, pad_idx)), "tuple"),
    (lambda b, pad_idx=0: (collate(b, pad_idx)[0], collate(b, pad_idx)[1].int(), collate(b, pad_idx)[2]), "int32"),
])
def test_check_collated_names_the_mistake(fn, says):
    with pytest.raises(AssertionError, match=says):
        check_collated(fn)


def test_check_collated_wants_lengths_on_the_cpu():
    def on_device(batch, pad_idx=0):
        ids, lengths, labels = collate(batch, pad_idx)
        return ids, lengths.to(ids.device), labels

    with pytest.raises(AssertionError, match="on the CPU"):
        check_collated(on_device, [(torch.tensor([1, 2, 3], device="meta"), 0), (torch.tensor([4], device="meta"), 1)])
