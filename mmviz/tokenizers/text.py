"""Tokenizers of the tiny text models (GPT, BERT, English->Korean encoder-decoder), built on `tokenizers`.

Both are built from the text grammar's vocabularies (mmviz.data.text), so nothing is trained and
every id is known in advance:

- English: WordPiece over every grammar word as one token, plus the letters a-z and their
  continuations ##a-##z. A word the grammar does not know is spelt in pieces ("circlez" ->
  circle ##z); only what no piece covers (emoji, Korean, digits) becomes [UNK].
- Korean: one id per word of the translation (WordLevel), [UNK] for anything else.

Ids: 0 [PAD], 1 [UNK], 2 [CLS], 3 [SEP], 4 [MASK], 5 <bos>, 6 <eos>, then the vocabulary, sorted.
`TextTokenizer` wraps either one with the few calls the models and lessons need; `to_json` writes a
Hugging Face tokenizer.json, so a trained model ships its tokenizer next to its weights.
"""

from __future__ import annotations

import string

from mmviz.data.text import VOCAB_EN, VOCAB_KO

__all__ = ["SPECIAL_TOKENS", "SPECIAL_MODES", "TextTokenizer", "english_tokenizer", "korean_tokenizer",
           "question_tokenizer"]

PAD, UNK, CLS, SEP, MASK, BOS, EOS = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "<bos>", "<eos>"
SPECIAL_TOKENS: tuple[str, ...] = (PAD, UNK, CLS, SEP, MASK, BOS, EOS)

#: add_special modes of TextTokenizer.encode: (tokens before, tokens after) the text
SPECIAL_MODES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "none": ((), ()),
    "cls_sep": ((CLS,), (SEP,)),  # BERT
    "bos_eos": ((BOS,), (EOS,)),  # GPT training texts, decoder targets
    "bos": ((BOS,), ()),  # a GPT prompt to continue
    "eos": ((), (EOS,)),  # encoder source
}


def _vocab(words) -> dict[str, int]:
    """Special tokens first (fixed ids), then the words sorted: the same ids on every machine."""
    return {t: i for i, t in enumerate(SPECIAL_TOKENS + tuple(sorted(set(words) - set(SPECIAL_TOKENS))))}


def _finish(tok, vocab: dict[str, int]):
    from tokenizers import normalizers

    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.add_special_tokens(list(SPECIAL_TOKENS))  # "[MASK]" typed in a text stays one token
    assert all(tok.token_to_id(t) == vocab[t] for t in SPECIAL_TOKENS)
    return tok


def english_tokenizer():
    """A `tokenizers.Tokenizer`: WordPiece over VOCAB_EN + a-z + ##a-##z, NFKC + lowercase, BERT pre-split.

    Every grammar word is one token; an unknown word is split into the longest known pieces
    ("squarez" -> square ##z); a word with a character no piece covers becomes [UNK].
    """
    from tokenizers import Tokenizer, decoders, pre_tokenizers
    from tokenizers.models import WordPiece

    letters = string.ascii_lowercase
    vocab = _vocab([*VOCAB_EN, *letters, *(f"##{c}" for c in letters)])
    tok = Tokenizer(WordPiece(vocab, unk_token=UNK, max_input_chars_per_word=100))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()  # whitespace, and punctuation as its own word
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)  # keep " ." as the grammar writes it
    return _finish(tok, vocab)


def korean_tokenizer():
    """A `tokenizers.Tokenizer`: one id per word of VOCAB_KO ([UNK] for any other), split on whitespace."""
    from tokenizers import Tokenizer, pre_tokenizers
    from tokenizers.models import WordLevel

    vocab = _vocab(VOCAB_KO)
    tok = Tokenizer(WordLevel(vocab, unk_token=UNK))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()  # words, and punctuation split off ("있다." -> 있다 .)
    return _finish(tok, vocab)


def question_tokenizer():
    """A `tokenizers.Tokenizer` for the shapes-world questions of mmviz.data.vqa: one id per word of
    QUESTION_WORDS, [UNK] for any other, punctuation ("?") split off."""
    from tokenizers import Tokenizer, pre_tokenizers
    from tokenizers.models import WordLevel

    from mmviz.data.vqa import QUESTION_WORDS

    vocab = _vocab(QUESTION_WORDS)
    tok = Tokenizer(WordLevel(vocab, unk_token=UNK))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return _finish(tok, vocab)


class TextTokenizer:
    """A text model's tokenizer: a `tokenizers.Tokenizer` plus the special ids the models use.

    Args:
        backend: a tokenizers.Tokenizer holding SPECIAL_TOKENS (english_tokenizer(), korean_tokenizer()
            or one read back by from_json). It adds no special tokens itself: `encode` does.
    """

    def __init__(self, backend) -> None:
        missing = [t for t in SPECIAL_TOKENS if backend.token_to_id(t) is None]
        if missing:
            raise ValueError(f"the tokenizer lacks the special tokens {missing}")
        self.backend = backend
        backend.no_padding()
        backend.no_truncation()

    @classmethod
    def english(cls) -> TextTokenizer:
        """English word pieces (english_tokenizer)."""
        return cls(english_tokenizer())

    @classmethod
    def korean(cls) -> TextTokenizer:
        """Korean words (korean_tokenizer)."""
        return cls(korean_tokenizer())

    @classmethod
    def questions(cls) -> TextTokenizer:
        """The shapes-world questions' words (question_tokenizer)."""
        return cls(question_tokenizer())

    @property
    def name(self) -> str:
        """A label for the page: "English word pieces" or "Korean words"."""
        return "English word pieces" if type(self.backend.model).__name__ == "WordPiece" else "Korean words"

    def encode(self, text: str, *, add_special: str = "none", max_length: int | None = None) -> dict:
        """Tokenise one text.

        Args:
            text: any string (unknown words become pieces or [UNK], never an error).
            add_special: one of SPECIAL_MODES: "none", "cls_sep" ([CLS] ... [SEP]), "bos_eos",
                "bos" or "eos".
            max_length: if given, the text's tokens are cut so that all T <= max_length ids fit.

        Returns:
            dict(ids list[int] (T), tokens list[str] (T), word_ids list[int | None] (T): the index of
            the whitespace/punctuation word each token comes from, None for special tokens).
        """
        if add_special not in SPECIAL_MODES:
            raise ValueError(f"add_special must be one of {list(SPECIAL_MODES)}, got {add_special!r}")
        before, after = SPECIAL_MODES[add_special]
        try:
            enc = self.backend.encode(text, add_special_tokens=False)
        except TypeError:  # a lone surrogate ("\ud800") is no UTF-8: make it "?" ([UNK]) rather than fail
            if not isinstance(text, str):
                raise
            enc = self.backend.encode(text.encode("utf-8", "replace").decode("utf-8"), add_special_tokens=False)
        ids, tokens, words = enc.ids, enc.tokens, enc.word_ids
        if max_length is not None:
            keep = max_length - len(before) - len(after)
            if keep < 0:
                raise ValueError(f"max_length {max_length} cannot hold the special tokens of {add_special!r}")
            ids, tokens, words = ids[:keep], tokens[:keep], words[:keep]
        b = [self.backend.token_to_id(t) for t in before]
        a = [self.backend.token_to_id(t) for t in after]
        return {
            "ids": b + list(ids) + a,
            "tokens": list(before) + list(tokens) + list(after),
            "word_ids": [None] * len(b) + list(words) + [None] * len(a),
        }

    def decode(self, ids, *, skip_special: bool = True) -> str:
        """Ids -> text (words joined by spaces, ## pieces glued back), special tokens dropped unless asked."""
        return self.backend.decode([int(i) for i in ids], skip_special_tokens=skip_special)

    def token_to_id(self, token: str) -> int | None:
        """The id of one token, None if it has none."""
        return self.backend.token_to_id(token)

    def id_to_token(self, i: int) -> str | None:
        """The token of one id, None if out of range."""
        return self.backend.id_to_token(int(i))

    @property
    def vocab_size(self) -> int:
        """Number of ids, special tokens included (the embedding table's rows)."""
        return self.backend.get_vocab_size(with_added_tokens=True)

    @property
    def pad_id(self) -> int:
        return self.backend.token_to_id(PAD)

    @property
    def unk_id(self) -> int:
        return self.backend.token_to_id(UNK)

    @property
    def cls_id(self) -> int:
        return self.backend.token_to_id(CLS)

    @property
    def sep_id(self) -> int:
        return self.backend.token_to_id(SEP)

    @property
    def mask_id(self) -> int:
        return self.backend.token_to_id(MASK)

    @property
    def bos_id(self) -> int:
        return self.backend.token_to_id(BOS)

    @property
    def eos_id(self) -> int:
        return self.backend.token_to_id(EOS)

    def to_json(self) -> str:
        """The Hugging Face tokenizer.json text (also readable by tokenizers.Tokenizer.from_str)."""
        return self.backend.to_str()

    @classmethod
    def from_json(cls, text: str) -> TextTokenizer:
        """Read back what to_json wrote."""
        from tokenizers import Tokenizer

        return cls(Tokenizer.from_str(text))

    def __repr__(self) -> str:
        return f"TextTokenizer({self.name!r}, vocab={self.vocab_size})"
