"""Tokenizers for the CLIP text tower, built on the `tokenizers` library (no hand-written BPE).

- The embedded tiny CLIP reads shapes-world captions, so mmviz builds its tokenizer from that
  world's words (`shapes_tokenizer`): one id per word, lower-cased, punctuation split off,
  anything else becomes `<unk>` -- a small vocabulary a student can read in full.
- Pretrained CLIP (openai/clip-vit-base-patch32) uses its own byte-level BPE, read from the
  checkpoint's `tokenizer.json` (`Tokenizer.from_file`).

Both wrap a `tokenizers.Tokenizer` that adds `<|startoftext|>` ... `<|endoftext|>` and truncates
to the tower's context length; `encode` pads a batch to its longest prompt.
"""

from __future__ import annotations

from pathlib import Path

from mmviz.data.shapes import COLOURS, SHAPE_KINDS, SIZES, _BG_WORDS

__all__ = ["Tokenizer", "shapes_tokenizer", "SHAPES_WORDS", "SPECIALS"]

BOS, EOS, PAD, UNK = "<|startoftext|>", "<|endoftext|>", "<pad>", "<unk>"
SPECIALS: tuple[str, ...] = (PAD, UNK, BOS, EOS)

# every word a shapes-world caption can use, plus the words of common prompt templates
_CAPTION_WORDS = (
    ["a", "an", "on", "background", "nothing", "above", "below", "to", "the", "left", "right", "of"]
    + list(SIZES) + list(COLOURS) + list(SHAPE_KINDS)
    + [w for phrase in _BG_WORDS.values() for w in phrase.split()[1:]]
)
_TEMPLATE_WORDS = ["photo", "picture", "image", "drawing", "shape", "this", "is", "with", "and", "in", "one",
                   "big", "tiny", "colour", "color", ".", ","]
SHAPES_WORDS: tuple[str, ...] = tuple(dict.fromkeys(_CAPTION_WORDS + _TEMPLATE_WORDS))


class Tokenizer:
    """A `tokenizers.Tokenizer` plus the context length and padding of one text tower.

    Args:
        backend: a tokenizers.Tokenizer whose post-processor adds the start/end tokens.
        context_length: longest sequence the text tower takes (positions it has learned).
        pad_id: id used to pad a batch (after the end token, so causal attention never sees it).
        name: a label for the page ("shapes-world words", "CLIP byte-level BPE").
    """

    def __init__(self, backend, context_length: int, pad_id: int, name: str) -> None:
        self.backend = backend
        self.context_length = context_length
        self.pad_id = pad_id
        self.name = name
        backend.no_padding()
        backend.enable_truncation(max_length=context_length)

    @classmethod
    def from_file(cls, path: str | Path, context_length: int = 77, name: str = "CLIP byte-level BPE") -> Tokenizer:
        """Read a Hugging Face `tokenizer.json` (e.g. openai/clip-vit-base-patch32's).

        The pad id is the file's padding token if it sets one, else `<|endoftext|>` (as CLIP pads).
        """
        from tokenizers import Tokenizer as _Tok

        backend = _Tok.from_file(str(path))
        pad = backend.padding["pad_id"] if backend.padding else backend.token_to_id(EOS)
        return cls(backend, context_length, int(pad if pad is not None else 0), name)

    @property
    def vocab_size(self) -> int:
        """Number of ids, special tokens included."""
        return self.backend.get_vocab_size(with_added_tokens=True)

    @property
    def eos_id(self) -> int:
        """Id of `<|endoftext|>`, where the text tower pools."""
        return self.backend.token_to_id(EOS)

    def ids(self, text: str) -> list[int]:
        """Ids of one prompt, start/end tokens included, truncated to context_length."""
        return self.backend.encode(text).ids

    def tokens(self, text: str) -> list[str]:
        """The token strings of one prompt (what the page shows), start/end tokens included."""
        return self.backend.encode(text).tokens

    def unknown_words(self, text: str) -> list[str]:
        """Words of `text` that became `<unk>` (always empty for byte-level BPE)."""
        enc = self.backend.encode(text)
        unk = self.backend.token_to_id(UNK)
        if unk is None:
            return []
        return [text[a:b] for i, (a, b) in zip(enc.ids, enc.offsets) if i == unk]

    def decode(self, ids: list[int]) -> str:
        """Ids -> text, special tokens dropped.

        CLIP's BPE marks word ends with the suffix `</w>`, which its tokenizer.json decoder keeps
        ("a</w>cat</w>"); like transformers' CLIPTokenizer, the suffix becomes a space.
        """
        text = self.backend.decode(ids, skip_special_tokens=True)
        suffix = getattr(self.backend.model, "end_of_word_suffix", None)
        return text.replace(suffix, " ").strip() if suffix else text

    def encode(self, texts: list[str] | str, device="cpu") -> dict:
        """Tokenise a batch of prompts and pad it to its longest one.

        Args:
            texts: B prompts (a single string is a batch of one).
            device: where to put the tensors.

        Returns:
            dict(input_ids (B, T) int64, attention_mask (B, T) int64 with 1 on real tokens),
            T <= context_length.
        """
        if isinstance(texts, str):
            texts = [texts]
        encs = [self.backend.encode(t).ids for t in texts]
        T = max((len(e) for e in encs), default=0)
        import torch  # only when encoding: importing the tokenizers stays light

        ids = torch.full((len(encs), T), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(encs), T), dtype=torch.long)
        for i, e in enumerate(encs):
            ids[i, : len(e)] = torch.tensor(e, dtype=torch.long)
            mask[i, : len(e)] = 1
        return {"input_ids": ids.to(device), "attention_mask": mask.to(device)}

    def __repr__(self) -> str:
        return f"Tokenizer({self.name!r}, vocab={self.vocab_size}, context={self.context_length})"


def shapes_tokenizer(context_length: int = 24) -> Tokenizer:
    """The embedded CLIP's word-level tokenizer over SHAPES_WORDS.

    Ids: 0 `<pad>`, 1 `<unk>`, 2 `<|startoftext|>`, 3 `<|endoftext|>`, then one per word in
    SHAPES_WORDS order. Text is lower-cased and split on whitespace and punctuation
    ("A Red circle." -> a, red, circle, .).

    Args:
        context_length: the text tower's longest sequence, start and end tokens included.
    """
    from tokenizers import Tokenizer as _Tok
    from tokenizers import normalizers, pre_tokenizers, processors
    from tokenizers.models import WordLevel

    vocab = {t: i for i, t in enumerate(SPECIALS + SHAPES_WORDS)}
    backend = _Tok(WordLevel(vocab=vocab, unk_token=UNK))
    backend.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    backend.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A {EOS}", special_tokens=[(BOS, vocab[BOS]), (EOS, vocab[EOS])]
    )
    backend.add_special_tokens(list(SPECIALS))
    return Tokenizer(backend, context_length, vocab[PAD], "shapes-world words")
