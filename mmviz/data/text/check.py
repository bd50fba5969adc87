"""Checking a text against the grammar: a small recursive-descent parser with reasons.

`parse` reads a text (a model's sample, or what a student types) back into the clauses of
mmviz.data.text.grammar and renders it, translation included; `check` says in a few words why a
text is not in the grammar or says something false ("'is' does not agree with its plural subject
'circles', not with the nearer 'square'"). The parser knows only the rules, no list of sentences.
"""

from __future__ import annotations

from mmviz.data.shapes import SHAPE_KINDS
from mmviz.data.text.grammar import (
    COLOUR_WORDS, MAX_OBJECTS, PLURALS, SIZE_WORDS, VOCAB_EN, TextObject, TextSample, render,
)
from mmviz.data.text.korean import VOCAB_KO

__all__ = ["parse", "check", "is_grammatical", "unknown_words"]

_EN_SET, _KO_SET = frozenset(VOCAB_EN), frozenset(VOCAB_KO)


def unknown_words(sentence: str, lang: str = "en") -> list[str]:
    """The words of `sentence` (split on whitespace) outside VOCAB_EN (lang "en") or VOCAB_KO ("ko")."""
    if lang not in ("en", "ko"):
        raise ValueError(f"lang must be 'en' or 'ko', got {lang!r}")
    vocab = _EN_SET if lang == "en" else _KO_SET
    return [w for w in sentence.split() if w not in vocab]


class _Words:
    """A cursor over the words of one clause; `take` refuses anything but what the grammar allows."""

    def __init__(self, words: list[str]) -> None:
        self.w, self.i = words, 0

    def peek(self) -> str | None:
        return self.w[self.i] if self.i < len(self.w) else None

    def take(self, allowed, what: str) -> str:
        w = self.peek()
        if w is None or w not in allowed:
            where = f"after '{self.w[self.i - 1]}'" if self.i else "at the start of a sentence"
            raise ValueError(f"expected {what} {where}, found " + (f"'{w}'" if w else "the end of the sentence"))
        self.i += 1
        return w

    def relation(self) -> str:
        w = self.take(("above", "below", "to"), "a relation (above, below, to the left/right of)")
        if w == "to":
            self.take(("the",), "'the'")
            w = self.take(("left", "right"), "'left' or 'right'")
            self.take(("of",), "'of'")
        return w

    def noun_phrase(self, there: bool = False) -> tuple[TextObject, str, bool]:
        art = self.peek() if self.peek() in ("a", "an", "the") else ""
        self.i += bool(art)
        num = self.peek()
        count = {"two": 2, "three": 3}.get(num, 1)
        self.i += count > 1
        size = self.take(SIZE_WORDS, "") if self.peek() in SIZE_WORDS else None
        colour = self.take(COLOUR_WORDS, "a colour")
        noun = self.take(SHAPE_KINDS if count == 1 else PLURALS.values(),
                         "a singular shape" if count == 1 else "a plural shape")
        first = size or colour
        if count == 1 and not art:
            raise ValueError(f"'{noun}' needs an article: 'a', 'an' or 'the'")
        if count > 1 and art in ("a", "an"):
            raise ValueError(f"'{art}' cannot go with the plural '{noun}'")
        if art in ("a", "an") and art != ("an" if first[0] in "aeiou" else "a"):
            raise ValueError(f"'{art} {first}': use '{'an' if art == 'a' else 'a'}' before '{first}'")
        if there and art == "the":
            raise ValueError("'there is' introduces a new object: use 'a' or 'an', not 'the'")
        kind = noun if count == 1 else next(k for k, p in PLURALS.items() if p == noun)
        return TextObject(kind, colour, size, count), "a" if art == "an" else art, size is not None

    def end(self) -> None:
        if self.peek() is not None:
            raise ValueError(f"unexpected '{self.peek()}' after '{self.w[self.i - 1]}': the sentence should end")


def _agree(verb: str, count: int, subject: str, nearer: str | None = None) -> None:
    if verb != ("are" if count > 1 else "is"):
        number = "plural" if count > 1 else "singular"
        extra = f", not with the nearer '{nearer}'" if nearer else ""
        raise ValueError(f"'{verb}' does not agree with its {number} subject '{subject}'{extra}")


def _noun(o: TextObject) -> str:
    return PLURALS[o.kind] if o.count > 1 else o.kind


def _referent(pronoun: str, prev: list[int], objs: list[TextObject]) -> int:
    """The object of the previous clause (objects `prev`) that `pronoun` refers to: the one of its number."""
    plural = pronoun == "they"
    match = [o for o in prev if (objs[o].count > 1) == plural]
    if len(match) == 1:
        return match[0]
    if len(prev) == 1:
        raise ValueError(f"'{pronoun}' refers to '{_noun(objs[prev[0]])}', the previous sentence's only object: "
                         f"use '{'it' if plural else 'they'}'")
    names = " and ".join(f"'{_noun(objs[o])}'" for o in prev)
    number = "plural" if plural else "singular"
    if not match:
        raise ValueError(f"'{pronoun}' refers to nothing: the previous sentence has no {number} object ({names})")
    raise ValueError(f"'{pronoun}' is ambiguous: {names} of the previous sentence are both {number}")


def parse(sentence: str) -> TextSample:
    """Parse a text of the grammar into a TextSample (its translation included).

    Whitespace between words may be any run of spaces; the case must be lower. Raises ValueError with
    a short reason when the text is not in the grammar or says something inconsistent.
    """
    words = sentence.split()
    if not words:
        raise ValueError("empty sentence")
    if unknown := unknown_words(sentence):
        raise ValueError(f"unknown word '{unknown[0]}'")
    if words[-1] != ".":
        raise ValueError("missing '.' at the end")
    objs: list[TextObject] = []  # in order of appearance: objs[0] is the first clause's subject
    clauses: list[tuple] = []
    prev: list[int] = []  # the objects of the previous clause (its subject first): a pronoun's candidates

    def add(o: TextObject, art: str, show: bool) -> tuple[int, str, bool]:
        for old in objs:
            if old.colour == o.colour:
                if old.kind == o.kind:
                    raise ValueError(f"the {o.colour} {o.kind} cannot be related to itself (colours name objects)")
                raise ValueError(f"two objects are {o.colour}: in this world every object has its own colour")
        if len(objs) == MAX_OBJECTS:
            raise ValueError(f"more than {MAX_OBJECTS} objects")
        objs.append(o)
        return len(objs) - 1, art, show

    def said(s: int, adj: str, who: str) -> str:
        """`adj` said of object s (by `who`): it must fit the object; a size it did not have yet is learnt."""
        o = objs[s]
        if adj in COLOUR_WORDS and adj != o.colour or adj in SIZE_WORDS and o.size not in (None, adj):
            noun = " ".join(w for w in (o.size, o.colour, _noun(o)) if w)
            raise ValueError(f"'{adj}' is false: {who} the {noun}")
        if adj in SIZE_WORDS:
            objs[s] = TextObject(o.kind, o.colour, adj, o.count)
        return adj

    start = 0
    for stop in [i for i, w in enumerate(words) if w == "."]:
        c = _Words(words[start:stop])
        start = stop + 1
        if not c.w:
            raise ValueError("a '.' with no sentence before it")
        first = c.peek()
        if first in ("it", "they"):
            if not clauses:
                raise ValueError(f"'{first}' has no previous sentence to refer to")
            s = _referent(first, prev, objs)
            c.i += 1
            verb = c.take(("is", "are"), "'is' or 'are'")
            _agree(verb, objs[s].count, first)
            if c.peek() in SIZE_WORDS or c.peek() in COLOUR_WORDS:
                clauses.append(("pron", s, None, None, said(s, c.take(_EN_SET, ""), f"'{first}' {verb}")))
                prev = [s]
            else:
                rel = c.relation()
                land = add(*c.noun_phrase())
                clauses.append(("pron", s, rel, land, None))
                prev = [s, land[0]]
        elif clauses:
            raise ValueError(f"a sentence after the first must start with 'it' or 'they', not '{first}'")
        elif first == "there":
            c.i += 1
            verb = c.take(("is", "are"), "'is' or 'are'")
            np_ = add(*c.noun_phrase(there=True))
            _agree(verb, objs[0].count, c.w[c.i - 1])
            clauses.append(("there", np_, None, None, None))
            prev = [0]
        else:
            s = add(*c.noun_phrase())
            head = c.w[c.i - 1]
            if c.peek() in ("is", "are"):
                _agree(c.take(("is", "are"), ""), objs[0].count, head)
                rel = c.relation()
                clauses.append(("rel", s, rel, add(*c.noun_phrase()), None))
            else:
                rel = c.relation()
                land, nearer = add(*c.noun_phrase()), c.w[c.i - 1]
                _agree(c.take(("is", "are"), "'is' or 'are'"), objs[0].count, head, nearer)
                adj = c.take((*SIZE_WORDS, *COLOUR_WORDS), "a size or a colour")
                clauses.append(("mod", s, rel, land, said(0, adj, "the subject is")))
            prev = [0, 1]
        c.end()
    sample = render(objs, clauses)
    if sample.words != tuple(words):  # cannot happen for a text the parser accepted; a guard for edits
        raise ValueError("not a sentence of the grammar")
    return sample


def check(sentence: str) -> str | None:
    """None when `sentence` is grammatical and consistent, else a short reason (for the lesson to show)."""
    try:
        parse(sentence)
    except ValueError as e:
        return str(e)
    return None


def is_grammatical(sentence: str) -> bool:
    """True exactly for texts the grammar generates that are consistent (see the module docstring)."""
    return check(sentence) is None
