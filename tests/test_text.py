"""The given text tools of course.text, checked against independent references."""

from __future__ import annotations

import pytest
import torch

from course import text


def test_tokenize_handles_case_mentions_urls_punctuation():
    toks = text.tokenize("@United Flight 42 was LATE!!! See https://t.co/x1 #fail, don't")
    assert toks == ["<user>", "flight", "42", "was", "late", "!", "!", "!", "see", "<url>",
                    "#fail", ",", "don't"]
    assert text.whitespace_tokenize("  a  b\tc\n") == ["a", "b", "c"]


def test_vocabulary_order_specials_unk_and_limits():
    docs = [["b", "a", "b"], ["c", "a", "b"], ["d"]]
    v = text.Vocabulary.build(docs)
    assert v.itos[:4] == ["<PAD>", "<UNK>", "<SOS>", "<EOS>"] and v.pad_idx == 0
    assert v.itos[4:] == ["b", "a", "c", "d"]  # b:3, a:2, then ties alphabetical
    assert text.Vocabulary.build(docs, min_freq=2).itos[4:] == ["b", "a"]
    assert len(text.Vocabulary.build(docs, max_size=5)) == 5
    assert v.encode(["a", "zzz"]) == [v.stoi["a"], 1]
    assert v.encode(["a"], add_special=True) == [2, v.stoi["a"], 3]
    assert v.decode([2, v.stoi["c"], 1, 3, 0]) == ["c", "<UNK>"]
    with pytest.raises(ValueError, match="special tokens"):
        text.Vocabulary(["a", "b"])


def test_vocabulary_json_round_trip(tmp_path):
    v = text.Vocabulary.build([["x", "y", "y"]])
    v.save(tmp_path / "v.json")
    w = text.Vocabulary.load(tmp_path / "v.json")
    assert w.itos == v.itos and w.stoi == v.stoi


def test_stratified_split_is_disjoint_complete_stratified_and_seeded():
    labels = ["a"] * 70 + ["b"] * 20 + ["c"] * 10
    tr, va, te = text.stratified_split(labels, seed=3)
    assert len(tr) + len(va) + len(te) == 100 and len(set(tr) | set(va) | set(te)) == 100
    assert sum(labels[i] == "c" for i in tr) == 7
    assert all((a == b).all() for a, b in zip(text.stratified_split(labels, seed=3), (tr, va, te), strict=True))


def test_collate_matches_pad_sequence_and_lengths_stay_on_cpu():
    ds = text.TextDataset([[5, 6, 7], [8], [9, 10]], [0, 2, 1])
    ids, lengths, labels = text.collate_batch([ds[i] for i in range(3)])
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0], [9, 10, 0]]
    assert lengths.tolist() == [3, 1, 2] and lengths.device.type == "cpu" and labels.tolist() == [0, 2, 1]


def test_mask_and_masked_mean_ignore_padding():
    lengths = torch.tensor([2, 0, 3])
    mask = text.lengths_to_mask(lengths, max_len=3)
    assert mask.tolist() == [[True, True, False], [False] * 3, [True] * 3]
    x = torch.arange(18, dtype=torch.float32).reshape(3, 3, 2)
    out = text.masked_mean(x, mask)
    assert out.tolist() == [[1.0, 2.0], [0.0, 0.0], [14.0, 15.0]]


def test_bucketing_keeps_every_index_once_and_pads_less():
    g = torch.Generator().manual_seed(0)
    lengths = torch.randint(1, 60, (500,), generator=g).tolist()
    buckets = text.bucket_batches(lengths, 32, seed=1)
    assert sorted(i for b in buckets for i in b) == list(range(500))
    perm = torch.randperm(500, generator=g).tolist()
    random_batches = [perm[i : i + 32] for i in range(0, 500, 32)]
    assert text.padding_fraction(buckets, lengths) < text.padding_fraction(random_batches, lengths) / 3
