"""Sentences of the text grammar: English words, the sample dataclasses, rendering and generation.

`generate` draws a scene of 1-3 objects and 1-3 clauses about it, then `render` writes the
English words, the Korean translation, the word alignment, the pronoun referents and the verb
agreements in one pass. The parser (mmviz.data.text.check) reads a text back into the same clauses
and renders it with the same function, so both sides always agree. Grammar: see mmviz.data.text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import mmviz.data.text.korean as korean  # not `from mmviz.data.text import korean`: no import of the package
from mmviz.data.shapes import COLOURS, SHAPE_KINDS, SIZES

__all__ = ["TextObject", "TextScene", "TextSample", "generate", "corpus", "render", "VOCAB_EN", "RELATIONS",
           "COLOUR_WORDS", "SIZE_WORDS", "PLURALS", "NUMBER_WORDS", "MAX_OBJECTS"]

COLOUR_WORDS: tuple[str, ...] = tuple(COLOURS)
SIZE_WORDS: tuple[str, ...] = tuple(s for s in SIZES if s != "medium")  # two sizes: "medium" is vague
PLURALS: dict[str, str] = {k: k + ("es" if k.endswith(("s", "x", "ch", "sh")) else "s") for k in SHAPE_KINDS}
NUMBER_WORDS: dict[int, str] = {2: "two", 3: "three"}
RELATIONS: tuple[str, ...] = ("above", "below", "left", "right")
REL_WORDS: dict[str, tuple[str, ...]] = {"above": ("above",), "below": ("below",), "left": ("to", "the", "left", "of"),
                                         "right": ("to", "the", "right", "of")}
MAX_OBJECTS = 3

VOCAB_EN: list[str] = sorted({"a", "an", "the", "there", "is", "are", "it", "they", ".", *COLOUR_WORDS, *SIZE_WORDS,
                              *SHAPE_KINDS, *PLURALS.values(), *NUMBER_WORDS.values(), *sum(REL_WORDS.values(), ())})


@dataclass(frozen=True)
class TextObject:
    """One object of a scene: `count` equal shapes (1-3). `size` is None when the text never says it."""

    kind: str
    colour: str
    size: str | None
    count: int = 1


@dataclass(frozen=True)
class TextScene:
    """The objects a text speaks of, and its relations (subject object, relation, landmark object)."""

    objects: tuple[TextObject, ...]
    relations: tuple[tuple[int, str, int], ...] = ()


@dataclass(frozen=True)
class TextSample:
    """One text, its Korean translation and what attention should find in it.

    Attributes:
        text: the English text, lowercase, words separated by single spaces, each clause ending in " .".
        words: text.split() (W words).
        referents: (pronoun index, referent noun index) for every "it"/"they" (indices into words): the
            noun that introduced the object of the previous clause that has the pronoun's number.
        agreement: (verb index, subject index) for every "is"/"are"; the subject is its head noun
            (or the pronoun in a pronoun clause).
        scene: the objects and relations the text describes.
        korean: the Korean translation, words separated by single spaces.
        korean_words: korean.split() (K words).
        alignment: K entries, the index into words that each Korean word translates (articles, "to",
            "of", "there" and "is" before an adjective stay unaligned on the English side).
    """

    text: str
    words: tuple[str, ...]
    referents: tuple[tuple[int, int], ...]
    agreement: tuple[tuple[int, int], ...]
    scene: TextScene
    korean: str
    korean_words: tuple[str, ...]
    alignment: tuple[int | None, ...]


# A clause is (kind, subject, relation, landmark, adjective): kind "there" | "rel" | "mod" | "pron";
# subject a noun phrase (object index, article "a" | "the" | "", size said?) or, for "pron", an object index
# (the referent, which the caller chose by the number rule of mmviz.data.text).


def _np_en(en: list[str], objs, np_: tuple[int, str, bool]) -> tuple[int | None, int | None, int, int]:
    """Append an English noun phrase; return the indices of its (number, size, colour, noun) words."""
    o, art, show_size = objs[np_[0]], np_[1], np_[2]
    if art:
        first = o.size if show_size else o.colour
        en.append("an" if art == "a" and first[0] in "aeiou" else art)
    num = size = None
    if o.count > 1:
        num = len(en)
        en.append(NUMBER_WORDS[o.count])
    if show_size:
        size = len(en)
        en.append(o.size)
    en += (o.colour, PLURALS[o.kind] if o.count > 1 else o.kind)
    return num, size, len(en) - 2, len(en) - 1


def render(objs: list[TextObject], clauses: list[tuple]) -> TextSample:
    """English words, Korean words, alignment, referents and agreement of a list of clauses.

    Args:
        objs: the objects the clauses speak of.
        clauses: (kind, subject, relation, landmark, adjective) each; see the comment above.
    """
    en: list[str] = []
    ko: list[str] = []
    al: list[int | None] = []
    refs, agree, rels = [], [], []
    noun_of: dict[int, int] = {}  # object -> index of the noun that introduced it

    def rel_en(rel: str) -> int:
        en.extend(REL_WORDS[rel])
        return len(en) - 1 if rel in ("above", "below") else len(en) - 2

    def be(o: int) -> int:
        en.append("are" if objs[o].count > 1 else "is")
        return len(en) - 1

    def np_en(np_) -> tuple:
        idx = _np_en(en, objs, np_)
        noun_of.setdefault(np_[0], idx[3])
        return idx

    def land_ko(np_, idx, rel: str, r: int) -> None:
        korean.noun_phrase(ko, al, objs[np_[0]], idx, "of" if rel in ("left", "right") else "")
        ko.append(korean.RELATION[rel])
        al.append(r)

    for kind, subj, rel, land, adj in clauses:
        if kind == "pron":
            s, p = subj, len(en)
            en.append("they" if objs[s].count > 1 else "it")
            refs.append((p, noun_of[s]))
            v = be(s)
            agree.append((v, p))
            ko.append(korean.PRONOUN[objs[s].count > 1])
            al.append(p)
            if rel:
                r, li = rel_en(rel), np_en(land)
                land_ko(land, li, rel, r)
                ko.append("있다")
                al.append(v)
        else:
            s = subj[0]
            if kind == "there":
                en.append("there")
                v = be(s)
                si = np_en(subj)
                korean.noun_phrase(ko, al, objs[s], si, "subject")
                ko.append("있다")
                al.append(v)
            elif kind == "rel":
                si = np_en(subj)
                v, r = be(s), rel_en(rel)
                li = np_en(land)
                korean.noun_phrase(ko, al, objs[s], si, "subject")
                land_ko(land, li, rel, r)
                ko.append("있다")
                al.append(v)
            else:  # "mod": NP REL NP BE ADJ -> [landmark] [relation] 있는 [subject]은 [adjective]
                si = np_en(subj)
                r = rel_en(rel)
                li = np_en(land)
                v = be(s)
                land_ko(land, li, rel, r)
                ko.append("있는")
                al.append(r)
                korean.noun_phrase(ko, al, objs[s], si, "topic")
            agree.append((v, si[3]))
        if adj:
            en.append(adj)
            ko.append(korean.ADJECTIVE[adj][1])
            al.append(len(en) - 1)
        if rel:
            rels.append((s, rel, land[0]))
        en.append(".")
        ko.append(".")
        al.append(len(en) - 1)
    return TextSample(" ".join(en), tuple(en), tuple(refs), tuple(agree), TextScene(tuple(objs), tuple(rels)),
                      " ".join(ko), tuple(ko), tuple(al))


def generate(rng: np.random.Generator) -> TextSample:
    """One random text (1-3 clauses about 1-3 objects) with its translation and annotations.

    The plan comes first: how many pronoun clauses follow the first clause. A clause of two objects
    that a pronoun follows gets one singular and one plural object (which one is plural is a coin
    flip), so that exactly one of them matches the pronoun's number; the pronoun then picks either of
    them, half and half: its number, not its position, says which.
    """
    r = iter(rng.random(64).tolist()).__next__  # all draws at once: one numpy call per text (at most 40 used)

    def pick(seq):
        return seq[int(r() * len(seq))]

    def count(plural: bool | None = None) -> int:
        """1 (singular) or 2-3 (plural); plural None: mostly singular."""
        if plural is None:
            x = r()
            return 1 if x < 0.7 else 2 if x < 0.9 else 3
        return (2 if r() < 0.67 else 3) if plural else 1

    objs: list[TextObject] = []
    known: set[int] = set()  # objects whose size the text says (in its noun phrase or a predicate)

    def new(n: int, near: int | None = None, there: bool = False, show_size: bool | None = None
            ) -> tuple[int, str, bool]:
        used = {o.colour for o in objs}
        size = pick(SIZE_WORDS)
        if near is not None and r() < 0.8:  # a landmark mostly differs in size too: "it is small" must look back
            size = SIZE_WORDS[1 - SIZE_WORDS.index(objs[near].size)]
        objs.append(TextObject(pick(SHAPE_KINDS), pick([c for c in COLOUR_WORDS if c not in used]), size, n))
        art = ("a" if there or r() < 0.6 else "the") if n == 1 else ("" if there or r() < 0.6 else "the")
        show = r() < 0.5 if show_size is None else show_size
        if show:
            known.add(len(objs) - 1)
        return len(objs) - 1, art, show

    x = r()
    n_pron = 0 if x < 0.2 else 1 if x < 0.75 else 2
    x = r()
    if x < 0.2:
        clauses = [("there", new(count(), there=True), None, None, None)]
        prev = [0]  # the objects of the previous clause: a pronoun refers to the one of its number
    else:
        # followed by a pronoun: one singular and one plural object, either way round
        plural = (r() < 0.5) if n_pron else None
        n_subj = count(plural)
        n_land = count(None if plural is None else not plural)
        if x < 0.7:
            clauses = [("rel", new(n_subj), pick(RELATIONS), new(n_land, near=0), None)]
        else:
            adj_is_size = r() < 0.7  # mostly new information: the size the subject's words do not say
            s = new(n_subj, show_size=False if adj_is_size else None)
            rel, land = pick(RELATIONS), new(n_land, near=0)
            clauses = [("mod", s, rel, land, objs[0].size if adj_is_size else objs[0].colour)]
            if adj_is_size:
                known.add(0)
        prev = [0, 1]
    said: set[tuple[int, str]] = set()  # (object, adjective) already said by a pronoun clause
    for k in range(n_pron):
        ref = prev[0] if len(prev) == 1 else pick(prev)  # prev's two objects differ in number
        if len(objs) < MAX_OBJECTS and r() < (0.3 if k == n_pron - 1 else 0.6):  # mostly two objects before a pronoun
            # when another pronoun follows, the new landmark takes the other number than the referent's
            land = new(count(None if k == n_pron - 1 else objs[ref].count == 1), near=ref)
            clauses.append(("pron", ref, pick(RELATIONS), land, None))
            prev = [ref, land[0]]
            continue
        o = objs[ref]
        if ref not in known and ((ref, o.colour) in said or r() < 0.15):  # new information about the size
            adj = o.size
            known.add(ref)
        else:
            cands = [o.colour, o.size] if ref in known else [o.colour]
            adj = pick([c for c in cands if (ref, c) not in said] or cands)
        said.add((ref, adj))
        clauses.append(("pron", ref, None, None, adj))
        prev = [ref]
    objs = [o if i in known else TextObject(o.kind, o.colour, None, o.count) for i, o in enumerate(objs)]
    return render(objs, clauses)


def corpus(n: int, seed: int) -> list[TextSample]:
    """n texts from one seeded generator (the same seed gives the same corpus)."""
    rng = np.random.default_rng(seed)
    return [generate(rng) for _ in range(n)]
