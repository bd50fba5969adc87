"""A small English grammar about shapes-world scenes, with its Korean translation.

The tiny text models (GPT, BERT with masked-LM, an English->Korean encoder-decoder) are trained on
it, and the text-attention lesson shows what they attend to. The grammar is small and regular, but
each text holds something that attention has to find:

- pronouns: "it" / "they" is the one object of the previous clause that has its number, so the
  referent is the subject or the other noun, about half and half ("a red circle is to the left of two
  blue squares . they are large .": the squares; "two red circles are above a white star . it is
  small .": the star). Position alone resolves few more than half: the first noun 0.56 of the
  pronouns, the nearest noun before the pronoun 0.58, the previous clause's subject 0.62 (3000
  texts). What is said about it must fit that referent ("a red circle is below two white triangles .
  it is red .": only the referent's own words say "red", the nearest noun is white);
- agreement across distance: "the red circle above the two blue squares is small ." (the verb
  agrees with "circle", not with the nearer "squares");
- relations between objects, and a Korean translation in SOV order whose word alignment is known
  (the relation word comes after the landmark, the verb last: cross-attention is no diagonal).

Grammar (n: 1 -> "is" / "it" / a singular noun, 2 or 3 -> "are" / "they" / "two"|"three" + plural):

    TEXT    -> FIRST "." [PRO "."] [PRO "."]      (PRO: only where its pronoun has a referent, below)
    FIRST   -> "there" BE[n] NP[n]            (existential: "a"/"an" or a bare number, no "the")
             | NP[n] BE[n] REL NP             (relation)
             | NP[n] REL NP BE[n] ADJ         (the verb agrees across the phrase)
    PRO     -> PRON[n] BE[n] ADJ | PRON[n] BE[n] REL NP
    NP[1]   -> ("a" | "an" | "the") [SIZE] COLOUR NOUN          ("an" before a vowel: "an orange")
    NP[2,3] -> ["the"] ("two" | "three") [SIZE] COLOUR NOUNS
    REL     -> "above" | "below" | "to the left of" | "to the right of"
    ADJ     -> SIZE | COLOUR                  (SIZE: small | large; COLOUR and NOUN: the shapes world)

Meaning: every noun phrase is a new object, at most 3 per text, and no two share a colour (colour
names an object, so nothing can be related to itself). The objects of a clause are its subject and
its landmark (the NP after REL), one object for "there" and for a PRO clause with an ADJ; a PRON's
own object is its referent. PRON[n] refers to the one object of the previous clause whose number is
n ("it": a singular object, "they": two or three): a text where no object or both objects of the
previous clause have that number is refused (no referent / ambiguous). A clause of one object
leaves it as the only candidate ("... . they are blue . they are small ." is the same object twice);
a PRO clause with a landmark offers its referent and its landmark to the next pronoun. An ADJ said
of an object must fit what the text says of it (its colour is always said; its size when said, or
stated once as new information). `generate` gives a clause of two objects that a pronoun follows one
singular and one plural object (either way round) and lets the pronoun pick either, half and half.

Korean (mmviz.data.text.korean): "a red circle is to the left of a blue square ." ->
"빨간 원이 파란 사각형의 왼쪽에 있다 .", "the red circle above the two blue squares is small ." ->
"두 개의 파란 사각형 위에 있는 빨간 원은 작다 .", "it is large ." -> "그것은 크다 .", "they are
large ." -> "그것들은 크다 .".

Modules: grammar (words, samples, `generate`, `corpus`), korean (translation), check (`parse`,
`check`, `is_grammatical`, `unknown_words`).
"""

from mmviz.data.text.check import check, is_grammatical, parse, unknown_words
from mmviz.data.text.grammar import (
    COLOUR_WORDS, RELATIONS, SIZE_WORDS, VOCAB_EN, TextObject, TextSample, TextScene, corpus, generate,
)
from mmviz.data.text.korean import VOCAB_KO, particle

__all__ = [
    "TextObject", "TextScene", "TextSample", "generate", "corpus", "parse", "check", "is_grammatical",
    "unknown_words", "particle", "VOCAB_EN", "VOCAB_KO", "RELATIONS", "COLOUR_WORDS", "SIZE_WORDS",
]
