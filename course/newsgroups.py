"""Given 20 Newsgroups pipeline in six topics, built exactly as notebook 05 builds it.

Notebook 05 has students write each step (the six-topic mapping, dropping empty documents, the
GloVe matrix aligned to a vocabulary); later notebooks start from this module instead:

    news = load_six_newsgroups()                     # frame, class names, vocabulary
    train_ds = news.dataset("train", max_len=256)    # TextDataset of token ids and labels
    matrix, found = aligned_embedding_matrix(news.vocab.itos, load_glove())

``aligned_embedding_matrix`` is the answer to notebook 05's exercise: import it only after that
notebook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import torch

from course.data import load_newsgroups, newsgroup_to_six
from course.text import TextDataset, Vocabulary, tokenize

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

__all__ = ["SPLITS", "SixNewsgroups", "aligned_embedding_matrix", "load_six_newsgroups"]

SPLITS = ("train", "val", "test")


@dataclass
class SixNewsgroups:
    """The six-topic corpus: ``frame`` has columns text, label, split, tokens, y (int class id)."""

    frame: pd.DataFrame
    class_names: list[str]
    vocab: Vocabulary

    def part(self, split: str) -> pd.DataFrame:
        """The rows of one split: 'train', 'val' or 'test'."""
        if split not in SPLITS:
            raise ValueError(f"split={split!r}: use one of {', '.join(SPLITS)}")
        return self.frame[self.frame["split"] == split]

    def encoded(self, split: str, max_len: int | None = None) -> list[list[int]]:
        """Token ids of each document of a split, cut to the first ``max_len`` tokens if given."""
        return [self.vocab.encode(tokens[:max_len]) for tokens in self.part(split)["tokens"]]

    def labels(self, split: str) -> np.ndarray:
        """Class ids (int64) of a split, in row order."""
        return self.part(split)["y"].to_numpy(dtype=np.int64)

    def dataset(self, split: str, max_len: int | None = None) -> TextDataset:
        """A ``TextDataset`` of (ids, label) pairs for a split, ready for ``collate_batch``."""
        return TextDataset(self.encoded(split, max_len), self.labels(split))


def load_six_newsgroups(
    tier: str | None = None,
    docs_per_split: int | None = None,
    val_fraction: float = 0.1,
    min_freq: int = 5,
    max_size: int | None = None,
    seed: int = 0,
    tokenizer: Callable[[str], list[str]] = tokenize,
) -> SixNewsgroups:
    """20 Newsgroups in six topics, tokenized, empty documents dropped, with a validation split.

    ``docs_per_split`` samples that many documents from each of the official train and test splits
    (None: all). ``val_fraction`` of the training documents, stratified by topic, become split 'val'.
    The vocabulary is built from the 'train' rows only (``min_freq``, ``max_size``).
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    from sklearn.model_selection import train_test_split

    raw, _ = load_newsgroups(tier)
    if docs_per_split is not None:
        raw = pd.concat(
            [part.sample(min(len(part), docs_per_split), random_state=seed)
             for _, part in raw.groupby("split")]
        ).sort_index()
    news = raw.copy()
    news["label"] = news["label"].map(newsgroup_to_six)
    news["tokens"] = [tokenizer(text) for text in news["text"]]
    news = news[news["tokens"].map(len) > 0].reset_index(drop=True)
    train_rows = news.index[news["split"] == "train"]
    _, val_rows = train_test_split(
        train_rows, test_size=val_fraction, stratify=news.loc[train_rows, "label"], random_state=seed
    )
    news.loc[val_rows, "split"] = "val"
    class_names = sorted(news["label"].unique())
    news["y"] = news["label"].map({name: i for i, name in enumerate(class_names)})
    vocab = Vocabulary.build(
        news.loc[news["split"] == "train", "tokens"], min_freq=min_freq, max_size=max_size
    )
    counts = news["split"].value_counts()
    print(
        f"six newsgroups: train {counts.get('train', 0):,}, val {counts.get('val', 0):,}, "
        f"test {counts.get('test', 0):,} documents; vocabulary {len(vocab):,} tokens"
    )
    return SixNewsgroups(news, class_names, vocab)


def aligned_embedding_matrix(
    itos: Sequence[str], kv: KeyedVectors, pad_idx: int = 0, scale: float = 0.1, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """(matrix [V, D] float32, found [V] bool): row i = kv's vector of itos[i] when kv has it.

    The ``pad_idx`` row is zeros; every other row kv lacks is drawn from N(0, scale^2) with
    ``torch.Generator().manual_seed(seed)``, so a seed always gives the same matrix.
    """
    generator = torch.Generator().manual_seed(seed)
    matrix = torch.randn(len(itos), kv.vector_size, generator=generator) * scale
    found = torch.tensor(
        [i != pad_idx and word in kv.key_to_index for i, word in enumerate(itos)], dtype=torch.bool
    )
    rows = found.nonzero().flatten().tolist()
    if rows:
        kv_rows = [kv.key_to_index[itos[i]] for i in rows]
        matrix[rows] = torch.tensor(np.asarray(kv.vectors)[kv_rows], dtype=torch.float32)
    matrix[pad_idx] = 0.0
    return matrix, found
