"""Given text-to-tensor tools for notebooks 04-06: tokenizer, vocabulary, splits, batching.

Notebooks 02 and 03 have students build these pieces themselves; from notebook 04 on the
course uses these reference versions so every later notebook starts from the same footing.
The grading pipeline flags answer cells that import this module.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

PAD, UNK, SOS, EOS = "<PAD>", "<UNK>", "<SOS>", "<EOS>"
SPECIALS = (PAD, UNK, SOS, EOS)

_URL = r"(?:https?://|www\.)\S+"
_MENTION = r"@\w+"
_TOKEN_RE = re.compile(
    rf"(?P<url>{_URL})|(?P<mention>{_MENTION})|(?P<hashtag>#\w+)"
    r"|(?P<word>[a-z0-9]+(?:'[a-z]+)?)|(?P<punct>[^\sa-z0-9])"
)


def whitespace_tokenize(text: str) -> list[str]:
    """Split on runs of white space; nothing else."""
    return text.split()


def tokenize(text: str) -> list[str]:
    """Lower-case; URLs -> '<url>', @mentions -> '<user>'; words (with apostrophes), #tags, punctuation."""
    tokens = []
    for m in _TOKEN_RE.finditer(text.lower()):
        kind = m.lastgroup
        if kind == "url":
            tokens.append("<url>")
        elif kind == "mention":
            tokens.append("<user>")
        else:
            tokens.append(m.group())
    return tokens


class Vocabulary:
    """Token <-> index maps with ``<PAD>``=0, ``<UNK>``=1, ``<SOS>``=2, ``<EOS>``=3."""

    def __init__(self, itos: Sequence[str]):
        if tuple(itos[: len(SPECIALS)]) != SPECIALS:
            raise ValueError(f"a Vocabulary must start with the special tokens {SPECIALS}")
        if len(set(itos)) != len(itos):
            raise ValueError("a Vocabulary cannot hold the same token twice")
        self.itos: list[str] = list(itos)
        self.stoi: dict[str, int] = {tok: i for i, tok in enumerate(self.itos)}

    pad_idx = 0
    unk_idx = 1
    sos_idx = 2
    eos_idx = 3

    @classmethod
    def build(
        cls, token_lists: Iterable[Sequence[str]], min_freq: int = 1, max_size: int | None = None
    ) -> Vocabulary:
        """Most frequent first (ties alphabetical), tokens seen >= min_freq, at most max_size in all."""
        counts = Counter(tok for tokens in token_lists for tok in tokens if tok not in SPECIALS)
        ranked = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        if max_size is not None:
            ranked = ranked[: max(0, max_size - len(SPECIALS))]
        return cls(list(SPECIALS) + ranked)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self.stoi

    def encode(self, tokens: Sequence[str], add_special: bool = False) -> list[int]:
        """Token ids, unknown tokens -> <UNK>; optionally wrapped in <SOS> ... <EOS>."""
        ids = [self.stoi.get(tok, self.unk_idx) for tok in tokens]
        return [self.sos_idx, *ids, self.eos_idx] if add_special else ids

    def decode(self, ids: Iterable[int], skip_special: bool = True) -> list[str]:
        """Tokens for ids; <PAD>/<SOS>/<EOS> dropped when skip_special (<UNK> is kept)."""
        drop = {self.pad_idx, self.sos_idx, self.eos_idx} if skip_special else set()
        return [self.itos[int(i)] for i in ids if int(i) not in drop]

    def save(self, path: str | Path) -> None:
        """Write the index -> token list as JSON."""
        Path(path).write_text(json.dumps({"itos": self.itos}, ensure_ascii=False))

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        """Read a vocabulary written by ``save``."""
        return cls(json.loads(Path(path).read_text())["itos"])

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens)"


def stratified_split(
    labels: Sequence, fractions: tuple[float, float, float] = (0.7, 0.15, 0.15), seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shuffled, seeded, stratified train/validation/test row indices (disjoint, covering all rows)."""
    from sklearn.model_selection import train_test_split

    if abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError(f"fractions must sum to 1, got {fractions}")
    idx = np.arange(len(labels))
    labels = np.asarray(labels)
    train, rest = train_test_split(
        idx, train_size=fractions[0], stratify=labels, random_state=seed, shuffle=True
    )
    val_share = fractions[1] / (fractions[1] + fractions[2])
    val, test = train_test_split(
        rest, train_size=val_share, stratify=labels[rest], random_state=seed, shuffle=True
    )
    return np.sort(train), np.sort(val), np.sort(test)


class TextDataset(Dataset):
    """Pairs of (token ids as a 1-D int64 tensor, integer label)."""

    def __init__(self, ids: Sequence[Sequence[int]], labels: Sequence[int]):
        if len(ids) != len(labels):
            raise ValueError(f"{len(ids)} sequences but {len(labels)} labels")
        self.ids = [torch.as_tensor(list(s), dtype=torch.long) for s in ids]
        self.labels = [int(y) for y in labels]

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        return self.ids[i], self.labels[i]


def collate_batch(
    batch: Sequence[tuple[torch.Tensor, int]], pad_idx: int = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pad a batch to its own longest sequence: (ids [B, T] int64, lengths [B] int64 on CPU, labels [B])."""
    seqs = [s for s, _ in batch]
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=pad_idx)
    labels = torch.tensor([y for _, y in batch], dtype=torch.long)
    return padded, lengths, labels


def lengths_to_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    """Boolean mask [B, T]: True at real tokens, False at padding."""
    max_len = int(lengths.max()) if max_len is None else max_len
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of x [B, T, D] over real steps of mask [B, T] -> [B, D]; all-padding rows give 0."""
    m = mask.unsqueeze(-1).to(x.dtype)
    return (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


def bucket_batches(
    lengths: Sequence[int], batch_size: int, seed: int = 0, shuffle: bool = True
) -> list[list[int]]:
    """Batches of indices of similar length: sort by length, chunk, shuffle the chunk order."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if shuffle:
        rng = np.random.default_rng(seed)
        rng.shuffle(batches)
    return batches


def padding_fraction(batches: Iterable[Sequence[int]], lengths: Sequence[int]) -> float:
    """Share of padded positions when each batch is padded to its own longest sequence."""
    padded = real = 0
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        padded += longest * len(batch)
        real += sum(lengths[i] for i in batch)
    return 0.0 if padded == 0 else 1.0 - real / padded
