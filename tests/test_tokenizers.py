"""course.subword: loading a pretrained tokenizer (notebook 07's full tier), offline on a fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

tokenizers = pytest.importorskip("tokenizers")

from course.data import FullTierUnavailable  # noqa: E402
from course.subword import load_pretrained_tokenizer, special_token_ids  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "tiny_bert_tokenizer.json"


def test_fixture_loads_in_the_real_tokenizer_json_format() -> None:
    tok = load_pretrained_tokenizer(FIXTURE)
    enc = tok.encode("The battery works, unhappy!")
    assert enc.tokens == ["[CLS]", "the", "battery", "works", ",", "un", "##happy", "!", "[SEP]"]
    assert enc.ids == [3, 9, 12, 17, 7, 30, 31, 8, 4]
    assert tok.decode(enc.ids) == "the battery works, unhappy!"


def test_special_ids_are_read_from_the_tokenizer_not_assumed() -> None:
    tok = load_pretrained_tokenizer(str(FIXTURE))
    ids = special_token_ids(tok)
    assert ids == {"[PAD]": 0, "[UNK]": 2, "[CLS]": 3, "[SEP]": 4, "[MASK]": 5}
    assert tok.encode("Ω").ids == [3, 2, 4]                       # unknown character -> [UNK]
    batch = tok.encode_batch(["the player", "it works not"])
    assert [len(e.ids) for e in batch] == [4, 5]


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no tokenizer file"):
        load_pretrained_tokenizer(tmp_path / "nothing.json")


def test_a_name_needs_the_network_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(name, *args, **kwargs):
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr(tokenizers.Tokenizer, "from_pretrained", staticmethod(offline), raising=False)
    with pytest.raises(FullTierUnavailable, match="needs the\\s+network") as info:
        load_pretrained_tokenizer("bert-base-uncased")
    assert "bert-base-uncased" in str(info.value) and "tokenizer.json" in str(info.value)


def test_keras_port_fixtures() -> None:
    import numpy as np

    from course.keras_port import TOY_WORDS, keras_layout_weights, toy_wordpiece

    for pad_id in range(5):
        tok = toy_wordpiece(pad_id)
        assert tok.token_to_id("[PAD]") == pad_id
        assert tok.encode("Great SOUND!").ids == [5, 6, 11]
        assert tok.get_vocab_size() == 5 + len(TOY_WORDS)
    with pytest.raises(ValueError, match="pad_id"):
        toy_wordpiece(5)
    w = keras_layout_weights(np.random.default_rng(0), vocab=7, emb=3, units=4, classes=2)
    assert {k: v.shape for k, v in w.items()} == {
        "embedding": (7, 3), "lstm_kernel": (3, 16), "lstm_recurrent_kernel": (4, 16), "lstm_bias": (16,),
        "dense_kernel": (4, 2), "dense_bias": (2,)}
    assert all(v.dtype == np.float32 for v in w.values())


def test_read_csv_rows(tmp_path: Path) -> None:
    from course.keras_port import read_csv_rows

    path = tmp_path / "s.csv"
    path.write_text('id,label\r\n"a,b",pos\r\n00123,neg\r\n')
    assert read_csv_rows(path) == [["id", "label"], ["a,b", "pos"], ["00123", "neg"]]
