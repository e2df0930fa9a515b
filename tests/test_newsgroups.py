"""course.newsgroups (six-topic 20 Newsgroups pipeline, aligned embedding matrix) on synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from gensim.models import KeyedVectors

from course import newsgroups
from course.text import SPECIALS, collate_batch

GROUPS = ["comp.graphics", "rec.autos", "sci.space", "misc.forsale", "talk.politics.guns", "alt.atheism"]
WORDS = {
    "comp.graphics": "image pixel render",
    "rec.autos": "car engine wheel",
    "sci.space": "orbit rocket moon",
    "misc.forsale": "sale price offer",
    "talk.politics.guns": "gun law vote",
    "alt.atheism": "god belief faith",
}


def _fake_newsgroups(tier=None, aggregate=False):
    """40 train and 20 test posts per group, two of them without any letters."""
    rng = np.random.default_rng(0)
    rows = []
    for split, n in (("train", 40), ("test", 20)):
        for group in GROUPS:
            words = WORDS[group].split()
            for _ in range(n):
                rows.append((" ".join(rng.choice(words, 6)) + f" {split}only", group, split))
    rows[3] = ("\t\n", rows[3][1], rows[3][2])
    rows[-1] = ("   ", rows[-1][1], rows[-1][2])
    df = pd.DataFrame(rows, columns=["text", "label", "split"])
    return df, sorted(df["label"].unique())


@pytest.fixture
def news(monkeypatch):
    monkeypatch.setattr(newsgroups, "load_newsgroups", _fake_newsgroups)
    return newsgroups.load_six_newsgroups(min_freq=1, val_fraction=0.25)


def test_six_topics_splits_and_train_only_vocabulary(news):
    frame = news.frame
    assert news.class_names == ["comp", "forsale", "politics", "rec", "religion", "sci"]
    assert len(frame) == 6 * 60 - 2, "documents without tokens are dropped"
    assert list(frame.index) == list(range(len(frame)))
    assert all(len(t) > 0 for t in frame["tokens"])
    counts = frame.groupby(["label", "split"]).size().unstack()
    assert (counts["val"] >= 9).all() and (counts["val"] <= 11).all(), "validation is stratified"
    assert counts["test"].sum() == 6 * 20 - 1
    assert "trainonly" in news.vocab and "testonly" not in news.vocab
    assert news.vocab.itos[: len(SPECIALS)] == list(SPECIALS)
    assert set(frame["y"]) == set(range(6))
    assert all(news.class_names[y] == label for y, label in zip(frame["y"], frame["label"], strict=True))


def test_encoded_datasets_and_max_len(news):
    ds = news.dataset("train", max_len=4)
    assert len(ds) == len(news.part("train"))
    ids, lengths, labels = collate_batch([ds[i] for i in range(5)])
    assert ids.shape[1] <= 4 and ids.dtype == torch.int64 and lengths.max() <= 4
    assert labels.tolist() == news.labels("train")[:5].tolist()
    assert news.encoded("test")[0][-1] == news.vocab.unk_idx, "a word seen only in test is <UNK>"
    with pytest.raises(ValueError, match="split"):
        news.part("validation")


def test_sampling_and_arguments(monkeypatch):
    monkeypatch.setattr(newsgroups, "load_newsgroups", _fake_newsgroups)
    small = newsgroups.load_six_newsgroups(docs_per_split=90, min_freq=1)
    assert len(small.frame) <= 180 and set(small.frame["split"]) == {"train", "val", "test"}
    again = newsgroups.load_six_newsgroups(docs_per_split=90, min_freq=1)
    assert small.frame["text"].tolist() == again.frame["text"].tolist(), "seeded sampling"
    with pytest.raises(ValueError, match="val_fraction"):
        newsgroups.load_six_newsgroups(val_fraction=0.0)


def test_aligned_embedding_matrix():
    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(["the", "cat", "dog"], np.arange(9, dtype=np.float32).reshape(3, 3) + 1)
    itos = ["<PAD>", "<UNK>", "dog", "zebra", "the"]
    matrix, found = newsgroups.aligned_embedding_matrix(itos, kv, scale=0.1, seed=1)
    assert matrix.shape == (5, 3) and matrix.dtype == torch.float32
    assert found.tolist() == [False, False, True, False, True]
    assert matrix[2].tolist() == kv["dog"].tolist() and matrix[4].tolist() == kv["the"].tolist()
    assert matrix[0].tolist() == [0.0, 0.0, 0.0]
    assert bool((matrix[[1, 3]].abs() > 0).all()) and bool((matrix[[1, 3]].abs() < 0.6).all())
    torch.rand(10)
    assert torch.equal(newsgroups.aligned_embedding_matrix(itos, kv, scale=0.1, seed=1)[0], matrix)
    other, _ = newsgroups.aligned_embedding_matrix(itos, kv, pad_idx=3, seed=2)
    assert other[3].abs().sum() == 0 and not torch.equal(other[1], matrix[1])
    empty, none_found = newsgroups.aligned_embedding_matrix(["<PAD>", "x"], KeyedVectors(vector_size=2))
    assert empty.shape == (2, 2) and not none_found.any()
