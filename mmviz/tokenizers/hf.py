"""The tokenizers of pretrained text checkpoints, behind one small interface for the lessons.

- GPT-2: byte-level BPE. Text is cut into words, each word's UTF-8 bytes are written as printable
  characters (a space is ``Ġ``, a newline ``Ċ``) and merged into tokens; nothing is ever unknown.
- BERT: WordPiece. Text is lower-cased and split into words; a word that is not in the vocabulary
  falls apart into its longest known prefix and ``##``-continuations (``playing`` -> ``play ##ing``).
- Marian (opus-mt): SentencePiece. ``source.spm`` cuts the source text into pieces (``▁`` marks a
  word start), ``vocab.json`` numbers them (pieces it lacks become ``<unk>``), ``</s>`` ends it;
  ``target.spm`` does the same for the target language and turns generated ids back into text.

GPT-2 and BERT ship ``tokenizer.json`` (read by the ``tokenizers`` library: :class:`JsonTokenizer`),
Marian ships SentencePiece models (read by ``sentencepiece``: :class:`SentencePieceTokenizer`). Both
give the same ids as transformers' tokenizers (GPT2TokenizerFast, BertTokenizerFast, MarianTokenizer).

    tok.encode("Hello world") -> Encoding(ids, tokens, word_ids, type_ids)
    tok.decode(ids) -> "Hello world"
    tok.batch(["a", "b c"]) -> {"input_ids": (B, T), "attention_mask": (B, T)} padded with pad_id
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch

__all__ = ["Encoding", "TextTokenizer", "JsonTokenizer", "SentencePieceTokenizer", "byte_to_text",
           "readable_bytes", "load_tokenizer", "load_marian_tokenizers", "MARIAN_FILES"]

SPM_SPACE = "▁"  # SentencePiece's word-start mark
MARIAN_FILES = ("source.spm", "target.spm", "vocab.json")


@dataclass(frozen=True)
class Encoding:
    """One text, tokenized.

    Attributes:
        ids: (T,) token ids, special tokens included (what the model reads).
        tokens: (T,) each token as a string a student can read (GPT-2's bytes shown as text).
        word_ids: (T,) index of the word each token comes from; None for special tokens.
        type_ids: (T,) segment of each token (BERT's sentence A = 0 / B = 1; 0 elsewhere).
    """

    ids: list[int]
    tokens: list[str]
    word_ids: list[int | None]
    type_ids: list[int]


class TextTokenizer:
    """What every checkpoint tokenizer offers: encode, decode, special ids and padded batches.

    Attributes:
        name: for the page ("GPT-2 byte-level BPE", ...).
        pad_id: id used to pad a batch (0 when the tokenizer has no padding token).
    """

    name = "tokenizer"
    pad_id = 0

    def encode(self, text: str) -> Encoding:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def decode(self, ids: list[int], *, skip_special_tokens: bool = True) -> str:  # pragma: no cover
        raise NotImplementedError

    def token_to_id(self, token: str) -> int | None:  # pragma: no cover
        raise NotImplementedError

    @property
    def vocab_size(self) -> int:  # pragma: no cover
        raise NotImplementedError

    def ids(self, text: str) -> list[int]:
        """Token ids of one text, special tokens included."""
        return self.encode(text).ids

    def batch(self, texts: list[str] | str, device: str | torch.device = "cpu") -> dict[str, torch.Tensor]:
        """Tokenize B texts and pad them (right) to the longest.

        Returns:
            input_ids (B, T) int64 padded with pad_id, attention_mask (B, T) int64 (1 = real token),
            token_type_ids (B, T) int64.
        """
        encs = [self.encode(t) for t in ([texts] if isinstance(texts, str) else texts)]
        T = max((len(e.ids) for e in encs), default=0)
        out = {"input_ids": torch.full((len(encs), T), self.pad_id, dtype=torch.long),
               "attention_mask": torch.zeros((len(encs), T), dtype=torch.long),
               "token_type_ids": torch.zeros((len(encs), T), dtype=torch.long)}
        for i, e in enumerate(encs):
            n = len(e.ids)
            out["input_ids"][i, :n] = torch.tensor(e.ids, dtype=torch.long)
            out["attention_mask"][i, :n] = 1
            out["token_type_ids"][i, :n] = torch.tensor(e.type_ids, dtype=torch.long)
        return {k: v.to(device) for k, v in out.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, vocab={self.vocab_size})"


@lru_cache(maxsize=1)
def byte_to_text() -> dict[str, int]:
    """GPT-2's table printable character -> byte (the inverse of its ``bytes_to_unicode``).

    The 188 printable bytes stand for themselves; the other 68 (space, control characters, ...)
    are shifted to 256 + n so that every byte is one visible character (a space becomes ``Ġ``).
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, n = {}, 0
    for b in range(256):
        if b in printable:
            chars[chr(b)] = b
        else:
            chars[chr(256 + n)] = b
            n += 1
    return chars


def readable_bytes(token: str) -> str:
    """A byte-level token as the text it stands for: ``Ġworld`` -> `` world``, ``Ċ`` -> newline.

    Bytes that are only part of a character (an emoji is 4 bytes, often cut into 2 tokens) are
    written as ``\\xf0``; special tokens (not byte strings) are returned unchanged.
    """
    table = byte_to_text()
    if not all(c in table for c in token):
        return token
    return bytes(table[c] for c in token).decode("utf-8", errors="backslashreplace")


class JsonTokenizer(TextTokenizer):
    """A Hugging Face ``tokenizer.json`` (GPT-2's byte-level BPE, BERT's WordPiece, ...).

    Args:
        backend: a ``tokenizers.Tokenizer``.
        name: for the page (default: from its model).
    """

    def __init__(self, backend, name: str | None = None) -> None:
        from tokenizers import decoders

        self.backend = backend
        backend.no_padding()
        backend.no_truncation()
        self.byte_level = isinstance(backend.decoder, decoders.ByteLevel)
        kind = type(backend.model).__name__  # "BPE", "WordPiece", ...
        self.name = name or (f"byte-level {kind}" if self.byte_level else kind)
        pad = backend.padding["pad_id"] if backend.padding else None
        for tok in ("[PAD]", "<pad>", "<|endoftext|>"):
            if pad is None:
                pad = backend.token_to_id(tok)
        self.pad_id = 0 if pad is None else int(pad)

    @classmethod
    def from_file(cls, path: str | Path, name: str | None = None) -> JsonTokenizer:
        """Read a tokenizer.json (the name defaults to its model: "byte-level BPE", "WordPiece", ...)."""
        from tokenizers import Tokenizer

        return cls(Tokenizer.from_file(str(path)), name)

    @property
    def vocab_size(self) -> int:
        return self.backend.get_vocab_size(with_added_tokens=True)

    def token_to_id(self, token: str) -> int | None:
        return self.backend.token_to_id(token)

    def encode(self, text: str, pair: str | None = None) -> Encoding:
        """One text (and optionally a second segment, BERT's sentence B) -> Encoding."""
        enc = self.backend.encode(text, pair)
        tokens = [readable_bytes(t) for t in enc.tokens] if self.byte_level else list(enc.tokens)
        return Encoding(list(enc.ids), tokens, list(enc.word_ids), list(enc.type_ids))

    def decode(self, ids: list[int], *, skip_special_tokens: bool = True) -> str:
        """Ids -> text (special tokens dropped unless asked for)."""
        return self.backend.decode(list(ids), skip_special_tokens=skip_special_tokens)


class SentencePieceTokenizer(TextTokenizer):
    """One side of a Marian tokenizer: a SentencePiece model for the pieces, vocab.json for the ids.

    As transformers' MarianTokenizer: a leading language code (``>>de<<``) is one token, every piece
    is looked up in vocab.json (the model's ids are not SentencePiece's own), pieces missing from it
    become ``<unk>``, and ``</s>`` ends every text.

    Args:
        spm_file: source.spm (encoder side) or target.spm (decoder side).
        vocab: piece -> id, from vocab.json.
        name: for the page.
    """

    def __init__(self, spm_file: str | Path, vocab: dict[str, int], name: str = "SentencePiece",
                 eos: str = "</s>", unk: str = "<unk>", pad: str = "<pad>") -> None:
        import sentencepiece

        self.spm = sentencepiece.SentencePieceProcessor(model_file=str(spm_file))
        self.vocab = dict(vocab)
        self.inverse = {i: p for p, i in self.vocab.items()}
        if unk not in self.vocab or eos not in self.vocab:
            raise ValueError(f"vocab.json lacks {unk!r} or {eos!r}")
        self.name = name
        self.eos_id, self.unk_id = self.vocab[eos], self.vocab[unk]
        self.pad_id = self.vocab.get(pad, self.eos_id)
        self.special = {self.eos_id, self.unk_id, self.pad_id}

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def token_to_id(self, token: str) -> int | None:
        return self.vocab.get(token)

    def encode(self, text: str) -> Encoding:
        """One text -> Encoding: pieces, then ``</s>``; a word starts at each piece beginning with ``▁``.

        ``tokens`` are the vocabulary's pieces of the ids: a piece vocab.json lacks reads ``<unk>``.
        """
        code = []
        end = text.find("<<") if text.startswith(">>") else -1
        if end != -1:  # a target-language code (multilingual models)
            code, text = [text[: end + 2]], text[end + 2:]
        pieces = code + self.spm.encode(text, out_type=str)
        word_ids, word = [], -1
        for i, p in enumerate(pieces):
            if i in (0, len(code)) or p.startswith(SPM_SPACE):  # the code is a word of its own
                word += 1
            word_ids.append(word)
        ids = [self.vocab.get(p, self.unk_id) for p in pieces] + [self.eos_id]
        return Encoding(ids, [self.inverse[i] for i in ids], word_ids + [None], [0] * len(ids))

    def decode(self, ids: list[int], *, skip_special_tokens: bool = True) -> str:
        """Ids -> text: pieces joined, ``▁`` becomes a space (special tokens dropped unless asked for)."""
        text, run = "", []
        for i in map(int, ids):
            if i in self.special:
                if not skip_special_tokens:  # written as they are, never through SentencePiece
                    text += self.spm.decode_pieces(run) + self.inverse[i] + " "
                    run = []
            else:
                run.append(self.inverse.get(i, ""))
        return (text + self.spm.decode_pieces(run)).replace(SPM_SPACE, " ").strip()


def load_tokenizer(folder: str | Path) -> JsonTokenizer | None:
    """The folder's tokenizer.json as a JsonTokenizer, or None when it has none."""
    f = Path(folder) / "tokenizer.json"
    return JsonTokenizer.from_file(f) if f.is_file() else None


def load_marian_tokenizers(folder: str | Path) -> tuple[SentencePieceTokenizer, SentencePieceTokenizer] | None:
    """(source, target) tokenizers of a Marian folder (source.spm, target.spm, vocab.json), or None if one is missing.

    Only one shared vocab.json is supported (the opus-mt models); a folder with a separate
    target_vocab.json raises ValueError.
    """
    folder = Path(folder)
    if not all((folder / f).is_file() for f in MARIAN_FILES):
        return None
    if (folder / "target_vocab.json").is_file():
        raise ValueError("separate source / target vocabularies (target_vocab.json) are not supported")
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    return (SentencePieceTokenizer(folder / "source.spm", vocab, "SentencePiece (source)"),
            SentencePieceTokenizer(folder / "target.spm", vocab, "SentencePiece (target)"))
