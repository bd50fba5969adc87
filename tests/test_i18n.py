"""The catalogues (mmviz.i18n): every key in both languages with the same placeholders, every key where its
module says, Korean that is Korean, and figure texts swapped on a figure's dict."""

from __future__ import annotations

import re
import string

import pytest

from mmviz import i18n
from mmviz.i18n import en, ko
from mmviz.i18n.figures import translate, translate_figure

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_every_key_exists_in_both_catalogues():
    assert set(en.STRINGS) == set(ko.STRINGS), sorted(set(en.STRINGS) ^ set(ko.STRINGS))
    assert len(en.STRINGS) > 200


@pytest.mark.parametrize("key", sorted(en.STRINGS))
def test_placeholders_match_and_format(key):
    e, k = en.STRINGS[key], ko.STRINGS[key]
    assert i18n.fields(e) == i18n.fields(k), key
    # both parse as str.format templates (a lone brace would raise here, not in front of a class)
    for template in (e, k):
        list(string.Formatter().parse(template))


def test_each_module_holds_its_own_keys_once():
    for lang in (en, ko):
        seen: dict[str, str] = {}
        for module in lang.MODULES:
            prefix = module.__name__.rsplit(".", 1)[1] + "."
            for key in module.STRINGS:
                assert key.startswith(prefix), (module.__name__, key)
                assert key not in seen, (key, seen.get(key))
                seen[key] = module.__name__
        assert [m.__name__.rsplit(".", 1)[1] for m in en.MODULES] == [m.__name__.rsplit(".", 1)[1] for m in ko.MODULES]


def test_korean_is_korean_and_markdown_stays_markdown():
    english_left = [k for k, v in ko.STRINGS.items() if v == en.STRINGS[k] and re.search(r"[a-z]{4,}", v)
                    and not re.fullmatch(r"[\w\s.()=%{}:<>/-]*", v)]
    assert not english_left, english_left[:20]
    words = [k for k, v in ko.STRINGS.items() if re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}|`[^`]*`|%\{\{[^}]*\}\}|"
                                                                                    r"<[^>]+>", "", v))]
    korean = [k for k, v in ko.STRINGS.items() if HANGUL.search(v)]
    assert len(korean) > 0.85 * len(ko.STRINGS), len(korean)
    # "[UNK](빨강)" would be a Markdown link: a bracket is followed by a space in Korean where English has one
    links = [k for k, v in ko.STRINGS.items() if "](" in v and "](" not in en.STRINGS[k]]
    assert not links, links
    assert words  # English terms stay where Korean courses use them (BERT, GPT, top-k ...)


def test_text_falls_back_and_fills_placeholders():
    assert i18n.text("bert_gpt.title", "ko") == "BERT와 GPT"
    assert i18n.text("bert_gpt.title", "fr") == "BERT and GPT"  # an unknown language: English
    assert i18n.text("no.such.key", "ko") == "no.such.key"
    assert i18n.text("common.section_of", "en", k=2, n=5) == "Section 2 of 5 · ← →"
    assert i18n.normalize("ko-KR") == "ko" and i18n.normalize("de") == "en" and i18n.normalize(None) == "en"


def test_figure_texts_are_swapped_whole_by_line_and_by_template():
    assert translate("query token", "ko") == "쿼리 토큰"
    assert translate("query token", "en") == "query token"
    assert translate("layer 3, head 2", "ko") == "층 3, 헤드 2"  # a template: the values carried over
    assert translate("<b>token E[id]</b><br>colours ±0.5", "ko") == "<b>토큰 E[id]</b><br>색 범위 ±0.5"
    assert translate("weight %{z:.4f}<extra></extra>", "ko") == "가중치 %{z:.4f}<extra></extra>"  # a hover label
    assert translate("not in the catalogue", "ko") == "not in the catalogue"
    spec = {"layout": {"title": {"text": "query token"}, "xaxis": {"title": {"text": "key token"}},
                       "yaxis2": {"ticktext": ["head 0", "head 1"]}, "annotations": [{"text": "layer 1"}]},
            "data": [{"name": "true alignment", "hovertemplate": "weight %{z:.3f}", "z": [[1]]}]}
    out = translate_figure(spec, "ko")
    assert out["layout"]["title"]["text"] == "쿼리 토큰" and out["layout"]["xaxis"]["title"]["text"] == "키 토큰"
    assert out["layout"]["yaxis2"]["ticktext"] == ["헤드 0", "헤드 1"] and out["layout"]["annotations"][0]["text"] == "층 1"
    assert out["data"][0]["name"] == "실제 정렬" and out["data"][0]["hovertemplate"].startswith("가중치")
    assert out["data"][0]["z"] == [[1]]


def test_every_line_of_a_hover_is_translated():
    two = "query token=%{y}<br>weight %{z:.4f}<extra></extra>"
    out = translate(two, "ko")
    assert out == "쿼리 토큰=%{y}<br>가중치 %{z:.4f}<extra></extra>", out


def test_the_keys_the_shared_helpers_and_lessons_read_exist():
    """A key spelt out in mmviz.ui or a lesson (t("common.x"), i18n.text("page.x", ...)) is in the catalogues, and
    every option id the shared helpers show through the catalogue (sources, shapes-world words) has its key."""
    from pathlib import Path

    from mmviz.data.shapes import BACKGROUNDS, COLOURS, SHAPE_KINDS, SIZES

    root = Path(i18n.__file__).resolve().parents[1]
    used = set()
    for path in [*root.joinpath("ui").glob("*.py"), *root.joinpath("lessons").rglob("*.py")]:
        used |= set(re.findall(r"\b(?:t|text)\(\s*\"([a-z_0-9]+\.[a-z_0-9]+)\"", path.read_text(encoding="utf-8")))
    assert {"common.show_code", "common.loading_model", "clip_similarity.stop_done"} <= used
    assert not sorted(used - set(en.STRINGS)), sorted(used - set(en.STRINGS))
    ids = [("src", w) for w in ("Sample", "Upload", "Record")] + [("shape", w) for w in SHAPE_KINDS] + \
        [("colour", w) for w in COLOURS] + [("size", w) for w in SIZES] + [("bg", w) for w in BACKGROUNDS]
    for group, word in ids:
        key = f"common.{group}_{word.lower()}"
        assert key in en.STRINGS and key in ko.STRINGS, key
        assert en.STRINGS[key] == word, key  # English shows the option itself (what browser tests click)
        if group != "src":  # Korean keeps the prompt's English word in brackets: "빨강 (red)"
            assert word in ko.STRINGS[key], key
    for kind in ("image", "audio"):
        for name in ("source", "no_samples", "sample", "upload", "rejected"):
            assert f"common.{name}_{kind}" in en.STRINGS


def test_bold_text_renders_in_both_languages():
    """CommonMark does not close ``**`` after punctuation when a letter follows ("**어텐션(attention)**이" stays
    literal): every ``**`` of a catalogue text must become <strong> (placeholders filled with a word)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    for lang in (en, ko):
        left = [k for k, v in lang.STRINGS.items()
                if "**" in v and "**" in md.render(re.sub(r"\{[^{}]*\}", "X", v.replace("{{", "(").replace("}}", ")")))]
        assert not left, left
