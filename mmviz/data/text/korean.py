"""The Korean side of the text grammar: words, particles chosen by batchim, and noun phrases.

Korean is SOV and puts a relation after its landmark:
"a red circle is to the left of a blue square ." -> "빨간 원이 파란 사각형의 왼쪽에 있다 ."
Every Korean word translates exactly one English word (see `noun_phrase` and grammar._render).
"""

from __future__ import annotations

from mmviz.data.shapes import SHAPE_KINDS

__all__ = ["particle", "noun_phrase", "ADJECTIVE", "RELATION", "PRONOUN", "NUMBER", "VOCAB_KO"]

# colour and size: (attributive before a noun, predicate at the end of a clause)
COLOUR: dict[str, tuple[str, str]] = {
    "red": ("빨간", "빨갛다"), "green": ("초록색", "초록색이다"), "blue": ("파란", "파랗다"),
    "yellow": ("노란", "노랗다"), "orange": ("주황색", "주황색이다"), "purple": ("보라색", "보라색이다"),
    "cyan": ("청록색", "청록색이다"), "white": ("하얀", "하얗다"), "black": ("검은", "검다"),
}
SIZE: dict[str, tuple[str, str]] = {"small": ("작은", "작다"), "large": ("큰", "크다")}
ADJECTIVE: dict[str, tuple[str, str]] = {**COLOUR, **SIZE}
NOUN: dict[str, str] = {"circle": "원", "square": "사각형", "triangle": "삼각형", "star": "별", "ring": "고리",
                        "cross": "십자가"}
RELATION: dict[str, str] = {"above": "위에", "below": "아래에", "left": "왼쪽에", "right": "오른쪽에"}
NUMBER: dict[int, str] = {2: "두", 3: "세"}  # "두 개의 별": two (pieces) of star
PRONOUN: dict[bool, str] = {False: "그것은", True: "그것들은"}  # it / they (plural?), with the topic particle
ROLES = ("subject", "topic", "of", "")


def particle(noun: str, role: str) -> str:
    """A Korean noun with its particle: role "subject" (이/가), "topic" (은/는), "of" (의) or "" (none).

    이 and 은 follow a final consonant (batchim), 가 and 는 a final vowel: 원이, 고리가, 별은, 고리는.
    """
    code = ord(noun[-1]) - 0xAC00  # a Hangul syllable is 0xAC00 + (lead * 21 + vowel) * 28 + final
    batchim = 0 <= code < 11172 and code % 28 != 0
    return noun + {"subject": "이" if batchim else "가", "topic": "은" if batchim else "는", "of": "의", "": ""}[role]


_FORMS = {(k, r): particle(NOUN[k], r) for k in SHAPE_KINDS for r in ROLES}

VOCAB_KO: list[str] = sorted({".", "개의", "있다", "있는", *_FORMS.values(), *NUMBER.values(), *RELATION.values(),
                              *PRONOUN.values(), *(w for pair in ADJECTIVE.values() for w in pair)})


def noun_phrase(ko: list[str], al: list[int | None], obj, idx: tuple, role: str) -> None:
    """Append the Korean of one noun phrase, "[두 개의] [큰] 빨간 원+particle", and its alignment.

    Args:
        ko: Korean words so far (appended to).
        al: their English word indices (appended to).
        obj: the TextObject (kind, colour, size, count).
        idx: English indices of its (number, size, colour, noun) words; number/size None when absent.
        role: the noun's particle, one of ROLES.
    """
    num, size, colour, noun = idx
    if num is not None:
        ko += (NUMBER[obj.count], "개의")
        al += (num, num)
    if size is not None:
        ko.append(SIZE[obj.size][0])
        al.append(size)
    ko += (COLOUR[obj.colour][0], _FORMS[obj.kind, role])
    al += (colour, noun)
