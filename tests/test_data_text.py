"""The text grammar (mmviz.data.text): generated texts, the parser's verdicts, the annotations
attention is checked against, and the Korean translation (particles, alignment, word order)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from mmviz.data.shapes import COLOURS, SHAPE_KINDS
from mmviz.data.text import (
    VOCAB_EN, VOCAB_KO, check, corpus, generate, is_grammatical, parse, particle, unknown_words,
)

CORPUS = corpus(2000, seed=0)
SINGULAR = {**{k: k for k in SHAPE_KINDS}, **{k + ("es" if k.endswith("s") else "s"): k for k in SHAPE_KINDS}}
NOUNS = set(SINGULAR)

# written by hand, independently of the module: which Korean words may translate which English word
_KO_COLOUR = {"red": "빨간 빨갛다", "green": "초록색 초록색이다", "blue": "파란 파랗다", "yellow": "노란 노랗다",
              "orange": "주황색 주황색이다", "purple": "보라색 보라색이다", "cyan": "청록색 청록색이다",
              "white": "하얀 하얗다", "black": "검은 검다", "small": "작은 작다", "large": "큰 크다"}
# noun: (bare, subject, topic, of) with 이/은 after a final consonant, 가/는 after a vowel
_KO_NOUN = {"circle": "원 원이 원은 원의", "square": "사각형 사각형이 사각형은 사각형의",
            "triangle": "삼각형 삼각형이 삼각형은 삼각형의", "star": "별 별이 별은 별의",
            "ring": "고리 고리가 고리는 고리의", "cross": "십자가 십자가가 십자가는 십자가의"}
LEXICON = {**{en: set(ko.split()) for en, ko in _KO_COLOUR.items()},
           **{n: set(_KO_NOUN[k].split()) for n, k in SINGULAR.items()},
           "two": {"두", "개의"}, "three": {"세", "개의"}, "above": {"위에", "있는"}, "below": {"아래에", "있는"},
           "left": {"왼쪽에", "있는"}, "right": {"오른쪽에", "있는"}, "is": {"있다"}, "are": {"있다"},
           "it": {"그것은"}, "they": {"그것들은"}, ".": {"."}}


def test_generated_texts_are_grammatical_and_parse_back_to_themselves():
    for s in CORPUS:
        assert is_grammatical(s.text), (s.text, check(s.text))
        assert parse(s.text) == s  # words, annotations, scene and translation, all rebuilt by the parser
        assert s.text == " ".join(s.words) and s.text.endswith(" .") and s.text == s.text.lower()
        assert s.korean == " ".join(s.korean_words)
        assert not unknown_words(s.text) and not unknown_words(s.korean, lang="ko")


def test_corpus_covers_the_vocabularies_and_the_interesting_cases():
    assert {w for s in CORPUS for w in s.words} == set(VOCAB_EN)
    assert {w for s in CORPUS for w in s.korean_words} == set(VOCAB_KO)
    assert VOCAB_EN == sorted(VOCAB_EN) and VOCAB_KO == sorted(VOCAB_KO)
    assert {".", "it", "they", "two", "three", "an"} <= set(VOCAB_EN) and "medium" not in VOCAB_EN
    assert sum(bool(s.referents) for s in CORPUS) > 0.6 * len(CORPUS)
    assert sum(len(s.scene.objects) == 3 for s in CORPUS) > 0.1 * len(CORPUS)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("   ", "empty"),
    ("a red circle is above a blue square", "missing '.'"),
    ("a red circle is above a blue square.", "unknown word 'square.'"),
    ("a red circle is to the left of itself .", "unknown word 'itself'"),
    ("a red hexagon is above a blue square .", "unknown word 'hexagon'"),
    ("A red circle is above a blue square .", "unknown word 'A'"),
    ("the red circle above the two blue squares are small .",
     "'are' does not agree with its singular subject 'circle'"),
    ("the two red circles above the blue square is small .", "not with the nearer 'square'"),
    ("there is two red circles .", "'is' does not agree"),
    ("there are two red stars . it is red .", "use 'they'"),
    ("there is a red star . they are red .", "use 'it'"),
    ("the two red stars are above a blue ring . it is red .", "'red' is false: 'it' is the blue ring"),
    ("a red circle is below two white triangles . it is white .", "'white' is false: 'it' is the red circle"),
    ("a small red circle is below three white triangles . it is large .", "'large' is false"),
    # a pronoun needs exactly one object of its number in the previous sentence
    ("a red star is above a blue ring . it is red .", "'it' is ambiguous"),
    ("two red stars are above three blue rings . they are red .", "'they' is ambiguous"),
    ("the red circle above the blue square is small . it is red .", "'it' is ambiguous"),
    ("a red star is above a blue ring . they are red .", "no plural object"),
    ("two red stars are above three blue rings . it is red .", "no singular object"),
    ("there is a red star . it is above a blue ring . it is red .", "'it' is ambiguous"),  # star or ring
    # after a pronoun sentence without a landmark, its referent is the only candidate
    ("a red star is above two blue rings . they are blue . it is red .", "use 'they'"),
    # the last pronoun sentence's objects decide, not an older object of the same number
    ("there is a red star . it is above two blue rings . it is below three green crosses . they are blue .",
     "'blue' is false: 'they' are the green crosses"),
    ("there is a red star . it is large . it is small .", "'small' is false"),
    ("a small red circle above a blue square is large .", "'large' is false: the subject is"),
    ("a red circle is to the left of a red circle .", "itself"),
    ("a red circle is above a red square .", "own colour"),
    ("a red star is above two blue rings . it is above a red ring .", "own colour"),
    ("it is red .", "no previous sentence"),
    ("circle red a is .", "expected a colour"),
    ("red blue is the . above .", "expected"),
    ("is is is .", "expected"),
    (". .", "no sentence"),
    ("a red circle is above a blue star . . ", "no sentence"),
    ("a orange circle is above a blue star .", "use 'an'"),
    ("an red circle is above a blue star .", "use 'a'"),
    ("there is the red circle .", "'a' or 'an'"),
    ("red circle is above a blue star .", "needs an article"),
    ("a two red circles are above a blue star .", "plural"),
    ("there are two red circle .", "plural shape"),
    ("a red circle is above a blue star . a green ring is below it .", "must start with 'it' or 'they'"),
    ("a red circle is left of a blue star .", "expected a relation"),
    ("a red circle is to the left a blue star .", "expected 'of'"),
    ("a red circle is above a blue star it is red .", "the sentence should end"),
    ("there is a medium red star .", "unknown word 'medium'"),
    (("there is a red star . it is above two blue rings . it is below two green crosses . they are above a white"
      " star ."), "more than 3 objects"),
])
def test_wrong_texts_are_refused_with_a_reason(text, reason):
    assert not is_grammatical(text)
    why = check(text)
    assert why and reason in why, why
    with pytest.raises(ValueError):
        parse(text)


@pytest.mark.parametrize("text", [
    "there is a purple cross . it is large .",
    "a red circle is below two white triangles . it is red .",
    "the red circle above the two blue squares is small .",
    "the red circle above the two blue squares is small . they are blue .",
    "a red circle is to the left of two blue squares . they are large .",
    "two red circles are above a white star . it is small .",
    "three green rings are below a black cross . they are green .",
    "there is a red star . it is above two blue rings . they are below a green cross .",
    "there is a red star . it is above two blue rings . it is below three green crosses . they are green .",
    "the two green stars are above the yellow ring .",
    "an orange star is to the right of three small cyan rings . it is orange . it is small .",
    "there is a red star . it is above two blue rings . it is below a green cross .",
    "  there  is a red star .  ",  # any run of whitespace between words
])
def test_hand_written_texts_are_accepted(text):
    assert check(text) is None


def _resolve(words) -> list[tuple[int, int]]:
    """(pronoun, noun) pairs worked out from the words alone, by the rule: a pronoun refers to the one
    object of the previous sentence of its number (asserts that there is exactly one)."""
    out, prev, start = [], [], 0
    for stop in [i for i, w in enumerate(words) if w == "."]:
        clause = range(start, stop)
        objects = [i for i in clause if words[i] in NOUNS]  # in order: subject, then landmark
        if words[start] in ("it", "they"):
            plural = words[start] == "they"
            match = [n for n in prev if (words[n] not in SHAPE_KINDS) == plural]
            assert len(match) == 1, (" ".join(words), start, match)
            out.append((start, match[0]))
            objects = [match[0], *objects]
        prev, start = objects, stop + 1
    return out


def test_referents_are_the_previous_sentences_object_of_the_pronouns_number():
    for s in CORPUS:
        w = s.words
        assert list(s.referents) == _resolve(w), s.text
        for p, ref in s.referents:
            assert w[p] in ("it", "they") and w[ref] in NOUNS
            assert (w[p] == "they") == (w[ref] not in SHAPE_KINDS)  # number agrees with the referent
            colour = w[ref - 1]
            assert colour in COLOURS
            said = w[p + 2]
            if said in COLOURS:  # a colour said of the referent is the referent's own colour word
                assert said == colour
    # the statement after "it is" is often a colour that only the referent's words give: the colour
    # word nearest to the pronoun is a different object's in many of them (not when the referent is the
    # previous sentence's landmark, the nearest noun)
    nearest_wrong = total = 0
    for s in CORPUS:
        for p, _ in s.referents:
            if s.words[p + 2] in COLOURS:
                total += 1
                nearest_wrong += [x for x in s.words[:p] if x in COLOURS][-1] != s.words[p + 2]
    assert total > 500 and nearest_wrong > 0.3 * total


def test_resolving_a_pronoun_needs_its_number_not_a_position():
    """Attending to the first noun, the nearest noun or the previous subject resolves only some pronouns."""
    first = nearest = subject = n = it = two = two_subject = 0
    for s in corpus(3000, seed=11):
        w = s.words
        nouns = [i for i, x in enumerate(w) if x in NOUNS]
        dots = [i for i, x in enumerate(w) if x == "."]
        ref_of = dict(s.referents)  # a pronoun subject stands for its referent noun
        subjects = [ref_of.get(subj, subj) for _, subj in s.agreement]  # one per sentence
        for p, ref in s.referents:
            k = sum(d < p for d in dots)  # the pronoun's sentence; the previous one is k - 1
            n += 1
            it += w[p] == "it"
            first += nouns[0] == ref
            nearest += [i for i in nouns if i < p][-1] == ref
            subject += subjects[k - 1] == ref
            prev_start = dots[k - 2] + 1 if k >= 2 else 0
            if sum(x in NOUNS or x in ("it", "they") for x in w[prev_start : dots[k - 1]]) == 2:
                two += 1  # the previous sentence has two objects: subject or landmark, by number
                two_subject += subjects[k - 1] == ref
    shares = {"first noun": first / n, "nearest noun before the pronoun": nearest / n,
              "subject of the previous sentence": subject / n}
    print(f"\n{n} pronouns ({it} 'it', {n - it} 'they'): " + ", ".join(f"{k} {v:.3f}" for k, v in shares.items())
          + f"; the subject among {two} with two candidates: {two_subject / two:.3f}")
    assert n > 2500
    assert 0.3 <= shares["first noun"] <= 0.7, shares
    assert 0.3 <= shares["nearest noun before the pronoun"] <= 0.7, shares
    assert shares["subject of the previous sentence"] <= 0.75, shares
    assert 0.4 <= two_subject / two <= 0.6 and two > 0.5 * n
    assert 0.3 * n < it < 0.7 * n  # both "it" and "they"


def test_referent_examples():
    for text, pairs in [
        ("a red circle is to the left of two blue squares . they are large .", [("they", "squares")]),
        ("two red circles are above a white star . it is small .", [("it", "star")]),
        ("three green rings are below a black cross . they are green .", [("they", "rings")]),
        ("the red circle above the two blue squares is small . it is red .", [("it", "circle")]),
        ("there is a red star . it is above two blue rings . they are below a green cross .",
         [("it", "star"), ("they", "rings")]),
        ("there is a red star . it is above two blue rings . it is small . it is red .",
         [("it", "star")] * 3),
    ]:
        s = parse(text)
        assert [(s.words[p], s.words[r]) for p, r in s.referents] == pairs, text
        assert [(s.words[p], s.words[r]) for p, r in _resolve(s.words)] == pairs


def test_agreement_pairs_verbs_with_their_subjects_also_across_a_phrase():
    far = 0
    for s in CORPUS:
        assert len(s.agreement) == s.words.count(".")
        for v, subj in s.agreement:
            assert s.words[v] in ("is", "are")
            plural = s.words[subj] == "they" or s.words[subj] in NOUNS - set(SHAPE_KINDS)
            assert s.words[v] == ("are" if plural else "is")
            between = [x for x in s.words[subj + 1 : v] if x in NOUNS]
            if between and (between[-1] in SHAPE_KINDS) != (s.words[subj] in SHAPE_KINDS):
                far += 1  # the nearest noun has the other number: only the subject decides
    assert far > 100


def test_scene_matches_the_words():
    for s in CORPUS:
        objs = s.scene.objects
        assert 1 <= len(objs) <= 3 and len({o.colour for o in objs}) == len(objs)
        for o in objs:
            assert o.colour in s.words and 1 <= o.count <= 3 and o.size in (None, "small", "large")
        for a, rel, b in s.scene.relations:
            assert rel in ("above", "below", "left", "right") and rel in s.words and a != b


def test_every_korean_word_translates_exactly_one_english_word():
    for s in CORPUS:
        assert len(s.alignment) == len(s.korean_words)
        for ko, i in zip(s.korean_words, s.alignment, strict=True):
            assert isinstance(i, int) and 0 <= i < len(s.words)
            assert ko in LEXICON[s.words[i]], (s.text, s.korean, ko, s.words[i])
        # the English words that carry meaning are all translated
        aligned = set(s.alignment)
        for i, w in enumerate(s.words):
            if w in NOUNS or w in COLOURS or w in ("it", "they", ".", "above", "below", "left", "right"):
                assert i in aligned, (s.text, w)


def test_korean_particles_follow_batchim():
    nouns = ("원", "별", "사각형", "고리", "십자가")
    assert [particle(n, "subject") for n in nouns] == ["원이", "별이", "사각형이", "고리가", "십자가가"]
    assert [particle(n, "topic") for n in ("원", "고리")] == ["원은", "고리는"]
    assert particle("별", "of") == "별의" and particle("별", "") == "별"
    noun_forms = {ko for ko in VOCAB_KO if any(ko.startswith(forms.split()[0]) for forms in _KO_NOUN.values())}
    assert noun_forms == {w for forms in _KO_NOUN.values() for w in forms.split()}


def test_korean_examples():
    assert parse("a red circle is to the left of a blue square .").korean == "빨간 원이 파란 사각형의 왼쪽에 있다 ."
    s = parse("a red circle is to the left of a blue square .")
    assert [s.words[i] for i in s.alignment] == ["red", "circle", "blue", "square", "left", "is", "."]
    assert parse("there is a purple cross . it is large .").korean == "보라색 십자가가 있다 . 그것은 크다 ."
    s = parse("the red circle above the two blue squares is small .")
    assert s.korean == "두 개의 파란 사각형 위에 있는 빨간 원은 작다 ."
    assert [s.words[i] for i in s.alignment] == ["two", "two", "blue", "squares", "above", "above", "red", "circle",
                                                 "small", "."]
    s = parse("there are three white rings . they are white .")
    assert s.korean == "세 개의 하얀 고리가 있다 . 그것들은 하얗다 ."
    s = parse("a red circle is to the left of two blue squares . they are large .")
    assert s.korean == "빨간 원이 두 개의 파란 사각형의 왼쪽에 있다 . 그것들은 크다 ."
    assert [s.words[i] for i in s.alignment][-3:] == ["they", "large", "."]
    s = parse("two red circles are above a white star . it is to the right of a large black cross .")
    assert s.korean == "두 개의 빨간 원이 하얀 별 위에 있다 . 그것은 큰 검은 십자가의 오른쪽에 있다 ."


def test_korean_order_is_not_monotonic_for_relations():
    relations = [s for s in CORPUS if s.scene.relations]
    assert len(relations) > 1000
    for s in relations:
        al = [i for i in s.alignment if i is not None]
        assert al != sorted(al), (s.text, s.korean)
    for s in CORPUS:  # SOV: every Korean clause ends with its verb or adjective
        for k, ko in enumerate(s.korean_words):
            if ko == ".":
                assert s.korean_words[k - 1].endswith("다")


def test_determinism_by_seed():
    assert corpus(50, seed=7) == corpus(50, seed=7)
    assert [s.text for s in corpus(50, seed=7)] != [s.text for s in corpus(50, seed=8)]
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    assert [generate(a) for _ in range(20)] == [generate(b) for _ in range(20)]


def test_generation_is_fast():
    rng = np.random.default_rng(0)
    best = float("inf")
    for _ in range(3):  # best of three: a busy machine slows one run, not all of them
        t = time.perf_counter()
        for _ in range(2000):
            generate(rng)
        best = min(best, time.perf_counter() - t)
    assert 2000 / best >= 5000, f"{2000 / best:.0f} texts/s"


def test_unknown_words():
    assert unknown_words("a red circlez is ! .") == ["circlez", "!"]
    assert unknown_words("빨간 원이 안녕 .", lang="ko") == ["안녕"]
    assert unknown_words("") == []
    with pytest.raises(ValueError):
        unknown_words("x", lang="fr")
