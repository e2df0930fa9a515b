"""The given bundle loader of course.lstm, checked against an independent packed forward pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch
from conftest import ROOT
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from course import lstm
from course.text import Vocabulary, tokenize

WORDS = ["the", "cat", "sat", "on", "mat", "dog", "ran", "far", "away", "home"]


class _Packed(nn.Module):
    """Reference classifier: packs a padded batch and reads the last layer's final states."""

    def __init__(self, vocab_size, emb, hidden, layers, bidirectional, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, bidirectional=bidirectional,
                            batch_first=True)
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1), classes)
        self.bidirectional = bidirectional

    def forward(self, ids, lengths):
        packed = pack_padded_sequence(self.embedding(ids), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)
        state = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.bidirectional else h_n[-1]
        return self.fc(state)


def _write_bundle(folder, bidirectional=True, layers=2, max_len=6, drop=None):
    torch.manual_seed(0)
    vocab = Vocabulary.build([WORDS])
    model = _Packed(len(vocab), 5, 4, layers, bidirectional, 3)
    config = {"vocab_size": len(vocab), "embedding_dim": 5, "hidden_size": 4, "num_layers": layers,
              "bidirectional": bidirectional, "num_classes": 3, "pad_idx": 0, "max_len": max_len,
              "class_names": ["a", "b", "c"]}
    folder.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), folder / "model.pt")
    vocab.save(folder / "vocab.json")
    (folder / "config.json").write_text(json.dumps(config))
    if drop:
        (folder / drop).unlink()
    return model, vocab, config


@pytest.mark.parametrize("bidirectional,layers", [(False, 1), (True, 1), (True, 2), (False, 3)])
def test_predictions_match_a_packed_batch(tmp_path, bidirectional, layers):
    model, vocab, config = _write_bundle(tmp_path, bidirectional, layers)
    bundle = lstm.load_bundle(tmp_path)
    texts = ["The cat sat on the mat, far away from home!", "dog", "ran ran zebra", "home sweet home"]
    ids = [vocab.encode(tokenize(t))[: config["max_len"]] for t in texts]
    lengths = torch.tensor([len(s) for s in ids])
    padded = nn.utils.rnn.pad_sequence([torch.tensor(s) for s in ids], batch_first=True)
    with torch.no_grad():
        expected = model.eval()(padded, lengths)
    for i, text in enumerate(texts):
        got = bundle.logits(text)
        assert torch.allclose(got, expected[i], atol=1e-5), (text, got, expected[i])
        assert bundle.predict(text) == config["class_names"][int(expected[i].argmax())]


def test_empty_text_reads_the_zero_state(tmp_path):
    model, _, _ = _write_bundle(tmp_path)
    bundle = lstm.load_bundle(tmp_path)
    with torch.no_grad():
        expected = model.fc(torch.zeros(1, 8))[0]
    assert torch.allclose(bundle.logits(""), expected)
    assert bundle.encode("   ").shape == (1, 0)


@pytest.mark.parametrize("missing", ["model.pt", "vocab.json", "config.json"])
def test_a_missing_file_is_named(tmp_path, missing):
    _write_bundle(tmp_path, drop=missing)
    with pytest.raises(lstm.BundleError, match=missing):
        lstm.load_bundle(tmp_path)


def test_inconsistent_bundles_give_clear_errors(tmp_path):
    _write_bundle(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({k: v for k, v in config.items() if k != "max_len"}))
    with pytest.raises(lstm.BundleError, match="max_len"):
        lstm.load_bundle(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({**config, "vocab_size": 99}))
    with pytest.raises(lstm.BundleError, match="vocab_size"):
        lstm.load_bundle(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({**config, "hidden_size": 7}))
    with pytest.raises(lstm.BundleError, match="does not fit"):
        lstm.load_bundle(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps(config))
    model = _Packed(config["vocab_size"], 5, 4, 2, True, 3)
    torch.save(model, tmp_path / "model.pt")
    with pytest.raises(lstm.BundleError, match="state_dict"):
        lstm.load_bundle(tmp_path)


def test_command_line_runs_in_a_fresh_process(tmp_path):
    _write_bundle(tmp_path)
    bundle = lstm.load_bundle(tmp_path)
    texts = ["the cat sat", "dog ran far away"]
    result = subprocess.run([sys.executable, "-m", "course.lstm", str(tmp_path), *texts],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert lines == [f"{bundle.predict(t)}\t{t}" for t in texts]
    bad = subprocess.run([sys.executable, "-m", "course.lstm", str(tmp_path / "nope"), "x"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "lacks" in bad.stderr


def test_predict_in_fresh_process_matches_and_reports_failures(tmp_path):
    _write_bundle(tmp_path / "ok")
    bundle = lstm.load_bundle(tmp_path / "ok")
    texts = ["the cat\nsat on the mat", "home", ""]
    assert lstm.predict_in_fresh_process(tmp_path / "ok", texts) == [bundle.predict(t) for t in texts]
    _write_bundle(tmp_path / "bad", drop="vocab.json")
    with pytest.raises(lstm.BundleError, match="vocab.json"):
        lstm.predict_in_fresh_process(tmp_path / "bad", ["the cat"])


def test_bench_lstm_runs_and_prints_a_table():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_lstm", ROOT / "bench" / "bench_lstm.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lengths = bench.newsgroup_like_lengths(500, 64)
    assert min(lengths) >= 1 and max(lengths) == 64
    rows = bench.run(torch.device("cpu"), repeats=1, docs=130, max_lens=(12,))
    assert [r["what"].split(",")[0] for r in rows] == ["fwd+bwd ms", "fwd+bwd ms", "epoch s"]
    assert all(r["padded"] > 0 and r["packed"] > 0 for r in rows)
    table = bench.format_table(rows)
    assert "packed/padded" in table and len(table.splitlines()) == 4
