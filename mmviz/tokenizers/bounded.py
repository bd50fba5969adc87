"""Any text model's tokenizer, read one way, on any text, cut to what the model can take (and said so).

The text models carry two kinds of tokenizer: the tiny models' ``mmviz.tokenizers.text.TextTokenizer``
(``encode(text, add_special=...) -> dict``) and the checkpoints' ``mmviz.tokenizers.hf`` tokenizers
(``encode(text) -> Encoding`` with the checkpoint's own special tokens: BERT's [CLS] ... [SEP], Marian's
``</s>``). The lessons need the same four things from both: the pieces of a text *without* special
tokens (the lesson adds the ones its model expects), the readable string of any id, which id is
"unknown", and the words the tokenizer splits a text into (to check a text against the grammar).

`bounded` is the one entry the lessons use: a text of any length and content (empty, 100 000
characters, emoji, Korean, right-to-left, null bytes) becomes at most ``max_tokens`` ids, and the
result counts what was cut and what could not be read (with `control_chars`, the invisible characters),
so the page can say it in a sentence (``mmviz.ui.token_notes``, in the interface's language).

Shapes: T tokens (special tokens included).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from mmviz.tokenizers.hf import JsonTokenizer, SentencePieceTokenizer, readable_bytes
from mmviz.tokenizers.text import TextTokenizer

__all__ = ["MAX_CHARS_PER_TOKEN", "pieces", "piece", "unknown_id", "words", "word_starts", "bounded", "control_chars"]

#: characters read per token of room: a text longer than max_tokens * this is cut before tokenising
MAX_CHARS_PER_TOKEN = 32


def _clean(text: str) -> str:
    """A str any tokenizer accepts: lone surrogates (no UTF-8) become U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8")


def pieces(tok, text: str) -> dict:
    """The tokens of ``text`` without any special token.

    Args:
        tok: a tiny TextTokenizer, a JsonTokenizer (GPT-2 byte-level BPE, BERT WordPiece) or a
            SentencePieceTokenizer (Marian).
        text: any string.

    Returns:
        dict(ids list[int] (n,), tokens list[str] (n,) readable (GPT-2's bytes as text), word_ids
        list[int | None] (n,)).
    """
    text = _clean(text)
    if isinstance(tok, TextTokenizer):
        e = tok.encode(text, add_special="none")
        return {"ids": e["ids"], "tokens": e["tokens"], "word_ids": e["word_ids"]}
    if isinstance(tok, JsonTokenizer):
        e = tok.backend.encode(text, add_special_tokens=False)
        toks = [readable_bytes(t) for t in e.tokens] if tok.byte_level else list(e.tokens)
        return {"ids": list(e.ids), "tokens": toks, "word_ids": list(e.word_ids)}
    if isinstance(tok, SentencePieceTokenizer):
        e = tok.encode(text)  # ends with </s>
        return {"ids": e.ids[:-1], "tokens": e.tokens[:-1], "word_ids": e.word_ids[:-1]}
    raise TypeError(f"not a text tokenizer: {type(tok).__name__}")


def piece(tok, i: int) -> str:
    """The readable token of id ``i`` ("?" for an id outside the vocabulary)."""
    i = int(i)
    if isinstance(tok, TextTokenizer):
        t = tok.id_to_token(i)
    elif isinstance(tok, JsonTokenizer):
        t = tok.backend.id_to_token(i)
        t = readable_bytes(t) if t is not None and tok.byte_level else t
    elif isinstance(tok, SentencePieceTokenizer):
        t = tok.inverse.get(i)
    else:
        raise TypeError(f"not a text tokenizer: {type(tok).__name__}")
    return "?" if t is None else t


def unknown_id(tok) -> int | None:
    """The id a tokenizer gives to what it cannot read ([UNK], <unk>), None when nothing is unknown
    (GPT-2's byte-level BPE spells every text in bytes)."""
    if isinstance(tok, TextTokenizer):
        return tok.unk_id
    if isinstance(tok, SentencePieceTokenizer):
        return tok.unk_id
    if isinstance(tok, JsonTokenizer):
        if tok.byte_level:
            return None
        for t in ("[UNK]", "<unk>"):
            if (i := tok.token_to_id(t)) is not None:
                return i
        return None
    raise TypeError(f"not a text tokenizer: {type(tok).__name__}")


def words(tok, text: str) -> list[str]:
    """The words a tokenizer cuts ``text`` into before any piece is looked up (its normaliser and
    pre-tokenizer: lower-case, punctuation split off), e.g. "A red circle." -> ["a", "red", "circle", "."].
    SentencePiece has no such step: whitespace words."""
    text = _clean(text)
    backend = getattr(tok, "backend", None)
    if backend is None:
        return text.split()
    if backend.normalizer is not None:
        text = backend.normalizer.normalize_str(text)
    if backend.pre_tokenizer is None:
        return text.split()
    return [w for w, _ in backend.pre_tokenizer.pre_tokenize_str(text)]


def word_starts(word_ids: Sequence[int | None]) -> dict[int, int]:
    """word index -> position of its first token (special tokens, word id None, are skipped)."""
    out: dict[int, int] = {}
    for pos, w in enumerate(word_ids):
        if w is not None and w not in out:
            out[w] = pos
    return out


def bounded(tok, text: str, *, max_tokens: int, before: Sequence[int] = (), after: Sequence[int] = ()) -> dict:
    """Tokenise any text for a model that takes at most ``max_tokens`` tokens.

    The text is cut to ``max_tokens * MAX_CHARS_PER_TOKEN`` characters before tokenising (100 000
    characters never reach the tokenizer), then its pieces are cut so that
    ``before + pieces + after`` fits.

    Args:
        tok: any text tokenizer (see :func:`pieces`).
        text: any string.
        max_tokens: the most tokens the model (or the lesson) takes, special tokens included.
        before, after: special ids the model expects around the text ([CLS] / [SEP], <bos>, <eos>).

    Returns:
        dict(ids (T,), tokens (T,), word_ids (T,) None for special tokens, special (T,) bool,
        unknown (T,) bool: the tokenizer's unknown id, n_chars: characters typed, chars_read: how many
        reached the tokenizer, n_pieces: pieces of those characters, pieces_kept: pieces the model sees,
        cut: bool, anything was cut).
    """
    room = max_tokens - len(before) - len(after)
    if room < 0:
        raise ValueError(f"max_tokens {max_tokens} cannot hold {len(before) + len(after)} special tokens")
    limit = max(1, max_tokens) * MAX_CHARS_PER_TOKEN
    read = text[:limit]
    p = pieces(tok, read)
    n = len(p["ids"])
    keep = min(n, room)
    unk = unknown_id(tok)
    ids = [*before, *p["ids"][:keep], *after]
    special = [True] * len(before) + [False] * keep + [True] * len(after)
    return {
        "ids": ids,
        "tokens": [piece(tok, i) for i in before] + p["tokens"][:keep] + [piece(tok, i) for i in after],
        "word_ids": [None] * len(before) + p["word_ids"][:keep] + [None] * len(after),
        "special": special,
        "unknown": [not s and unk is not None and i == unk for i, s in zip(ids, special)],
        "n_chars": len(text), "chars_read": len(read), "n_pieces": n, "pieces_kept": keep,
        "cut": len(read) < len(text) or keep < n,
    }


def control_chars(text: str) -> list[str]:
    """The control and format characters of a text (null bytes, direction marks), as U+XXXX, each once
    (newlines and tabs are not counted)."""
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in text
                              if unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\t\r"))
