"""Tokenizers of the tiny text models (mmviz.tokenizers.text): whole grammar words, pieces for the
rest, any input without an error, fixed ids, and a tokenizer.json that reads back the same."""

from __future__ import annotations

import json

import pytest
from tokenizers import Tokenizer

from mmviz.data.text import VOCAB_EN, VOCAB_KO, corpus
from mmviz.tokenizers.text import SPECIAL_TOKENS, TextTokenizer, english_tokenizer, korean_tokenizer

EN, KO = TextTokenizer.english(), TextTokenizer.korean()
TEXTS = corpus(200, seed=1)

ODD_INPUTS = [
    "",
    "   ",
    " \t\n ",
    "🙂🚀 a red circle 👍🏽",
    "빨간 원이 있다 .",
    "שלום עולם مرحبا",  # right-to-left
    "a\x00red\x00 circle \x00.",
    "ＲＥＤ ｃｉｒｃｌｅ",  # full width: NFKC makes it "red circle"
    "e\u0301te\u0301 café",  # combining accents
    "[MASK] <bos> [PAD] [unknown]",
    "a red circle is above a blue square . " * 2700,  # 100 000+ characters
    "x" * 100_000,  # one 100 000-character word
    "a lone surrogate \ud800 .",  # not UTF-8: Rust strings refuse it
]


def test_special_tokens_have_fixed_ids():
    for tok in (EN, KO):
        assert [tok.token_to_id(t) for t in SPECIAL_TOKENS] == list(range(7))
        assert (tok.pad_id, tok.unk_id, tok.cls_id, tok.sep_id, tok.mask_id, tok.bos_id, tok.eos_id) == tuple(range(7))


def test_ids_are_stable():
    # sorted after the special tokens: "##a".."##z", ".", then words and letters; a change here breaks
    # every trained model's embedding table, so it must be deliberate
    assert EN.vocab_size == 7 + len(set(VOCAB_EN) | set("abcdefghijklmnopqrstuvwxyz")) + 26 == 98
    assert [EN.token_to_id(t) for t in ("##a", "##z", ".", "a", "circle", "red", "two")] == [7, 32, 33, 34, 43, 71, 89]
    assert KO.vocab_size == 7 + len(VOCAB_KO) == 65
    assert [KO.token_to_id(t) for t in (".", "빨간", "원이", "있다")] == [7, 26, 47, 50]
    assert english_tokenizer().to_str() == english_tokenizer().to_str() == EN.to_json()
    assert korean_tokenizer().to_str() == KO.to_json()


@pytest.mark.parametrize("tok, vocab", [(EN, VOCAB_EN), (KO, VOCAB_KO)], ids=["english", "korean"])
def test_every_vocabulary_word_is_one_token(tok, vocab):
    for w in vocab:
        enc = tok.encode(w)
        assert enc["tokens"] == [w] and enc["ids"] != [tok.unk_id], w


def test_round_trip_on_the_corpus():
    for s in TEXTS:
        en = EN.encode(s.text)
        assert en["tokens"] == list(s.words) and en["word_ids"] == list(range(len(s.words)))
        assert EN.decode(en["ids"]) == s.text
        ko = KO.encode(s.korean)
        assert ko["tokens"] == list(s.korean_words) and KO.unk_id not in ko["ids"]
        assert KO.decode(ko["ids"]) == s.korean


def test_unknown_words_become_pieces_or_unk():
    assert EN.encode("circlez")["tokens"] == ["circle", "##z"]
    assert EN.encode("Hexagon")["tokens"] == ["h", "##e", "##x", "##a", "##g", "##o", "##n"]
    assert EN.encode("a red circle!")["tokens"] == ["a", "red", "circle", "[UNK]"]  # "!" is a word of its own
    assert EN.encode("🙂")["tokens"] == ["[UNK]"]
    assert EN.encode("원이")["tokens"] == ["[UNK]"]
    assert EN.encode("Red CIRCLE.")["tokens"] == ["red", "circle", "."]
    assert KO.encode("빨간 원이 안녕 hello 있다.")["tokens"] == ["빨간", "원이", "[UNK]", "[UNK]", "있다", "."]
    assert EN.decode(EN.encode("circlez")["ids"]) == "circlez"


@pytest.mark.parametrize("text", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
@pytest.mark.parametrize("tok", [EN, KO], ids=["english", "korean"])
def test_any_input_gives_tokens(tok, text):
    enc = tok.encode(text, add_special="bos_eos")
    assert len(enc["ids"]) == len(enc["tokens"]) == len(enc["word_ids"]) >= 2
    assert enc["ids"][0] == tok.bos_id and enc["ids"][-1] == tok.eos_id
    assert all(isinstance(i, int) and 0 <= i < tok.vocab_size for i in enc["ids"])
    assert isinstance(tok.decode(enc["ids"]), str)
    if not text.strip():
        assert enc["ids"] == [tok.bos_id, tok.eos_id]


def test_special_modes_and_truncation():
    text = "a red circle is small ."
    enc = EN.encode(text, add_special="cls_sep")
    assert enc["tokens"][0] == "[CLS]" and enc["tokens"][-1] == "[SEP]" and enc["word_ids"][0] is None
    assert EN.encode(text, add_special="bos")["ids"][0] == EN.bos_id
    assert EN.encode(text, add_special="eos")["ids"][-1] == EN.eos_id
    assert EN.encode(text, add_special="none")["ids"] == EN.encode(text)["ids"]
    cut = EN.encode(text, add_special="bos_eos", max_length=4)
    assert cut["tokens"] == ["<bos>", "a", "red", "<eos>"]
    assert EN.encode("the red [MASK] is small .")["tokens"][2] == "[MASK]"  # a typed mask stays one token
    assert EN.decode(enc["ids"], skip_special=False) == "[CLS] a red circle is small . [SEP]"
    with pytest.raises(ValueError, match="add_special"):
        EN.encode(text, add_special="gpt")
    with pytest.raises(ValueError, match="max_length"):
        EN.encode(text, add_special="cls_sep", max_length=1)


@pytest.mark.parametrize("tok", [EN, KO], ids=["english", "korean"])
def test_json_round_trip(tok, tmp_path):
    text = tok.to_json()
    assert json.loads(text)["model"]["type"] in ("WordPiece", "WordLevel")
    again = TextTokenizer.from_json(text)
    assert again.name == tok.name and again.vocab_size == tok.vocab_size
    for s in TEXTS[:50] + [*ODD_INPUTS[:10]]:
        src = s if isinstance(s, str) else (s.text if tok is EN else s.korean)
        assert again.encode(src, add_special="cls_sep") == tok.encode(src, add_special="cls_sep")
    path = tmp_path / "tokenizer.json"
    path.write_text(text, encoding="utf-8")
    assert Tokenizer.from_file(str(path)).get_vocab() == tok.backend.get_vocab()


def test_a_tokenizer_without_the_special_tokens_is_refused():
    from tokenizers.models import WordLevel

    with pytest.raises(ValueError, match="special tokens"):
        TextTokenizer(Tokenizer(WordLevel({"a": 0, "[UNK]": 1}, unk_token="[UNK]")))
