"""The texts inside a figure in another language: titles, axis titles, annotations, trace names,
tick labels and hover labels, swapped on the figure's dict just before it is drawn.

The figure builders (``mmviz.figures``) write English; every English text the catalogue lists under a
``<page>.fig_<name>`` key is replaced by that key's text in the chosen language. A template with
placeholders matches too ("head {h} · max {m}" finds "head 3 · max 0.42" and writes the Korean with
the same values). A text is matched whole, then line by line (``<br>``), then as a hover line's label
("query=%{y}": the label before ``=``/``:``). Each text is translated once per language (cached).
"""

from __future__ import annotations

import functools
import re
import string

from mmviz.i18n import CATALOGUES, DEFAULT, en, fields

__all__ = ["translate", "translate_figure"]

_BR = re.compile(r"(<br\s*/?>)")
_HOVER = re.compile(r"^(?P<label>[^%=:<]*?[^%=:\s<])(?P<rest>\s*[=:]?\s*%\{(?:(?!<br).)*)$", re.S)  # one line
_TAGS = re.compile(r"^((?:<[^>]+>)*)(.*?)((?:<[^>]+>)*)$", re.S)


def _parts(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) pieces of a ``str.format`` template, braces unescaped."""
    return [(lit, name.split(".")[0].split("[")[0] if name else None)
            for lit, name, _, _ in string.Formatter().parse(template)]


def _pattern(template: str) -> re.Pattern:
    """A regex that matches what ``template`` formats to, capturing each placeholder's text."""
    out, seen = [], set()
    for lit, name in _parts(template):
        out.append(re.escape(lit))
        if name:
            out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
    return re.compile("^" + "".join(out) + "$", re.S)


@functools.lru_cache(maxsize=len(CATALOGUES))
def _table(lang: str) -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    """The figure texts of ``lang``: exact English -> text, and (pattern, template) for templates."""
    cat = CATALOGUES[lang]
    exact, templates = {}, []
    for key, english in en.STRINGS.items():
        if ".fig_" not in key or key not in cat:
            continue
        if fields(english):
            templates.append((_pattern(english), cat[key]))
        else:
            exact[english.format()] = cat[key].format()
    templates.sort(key=lambda pt: -len(pt[0].pattern))  # the most specific first
    return exact, templates


def _fill(template: str, values: dict[str, str]) -> str:
    """A template filled with already formatted texts (format specs are dropped: the values are strings)."""
    return "".join(lit + (values.get(name, "") if name else "") for lit, name in _parts(template))


def _line(s: str, exact: dict, templates: list) -> str | None:
    if s in exact:
        return exact[s]
    for pattern, template in templates:
        m = pattern.match(s)
        if m:
            return _fill(template, {k: _translate(v, exact, templates) for k, v in m.groupdict().items()})
    tags = _TAGS.match(s)
    if tags and (tags.group(1) or tags.group(3)) and tags.group(2):  # "<b>Encoder</b>", "<span ...>x</span>"
        inner = _line(tags.group(2), exact, templates)
        return None if inner is None else tags.group(1) + inner + tags.group(3)
    hover = _HOVER.match(s)
    if hover and hover.group("label") in exact:
        return exact[hover.group("label")] + hover.group("rest")
    return None


def _translate(s: str, exact: dict, templates: list) -> str:
    whole = _line(s, exact, templates)
    if whole is not None:
        return whole
    if "<br" in s:
        parts = _BR.split(s)
        return "".join(p if i % 2 else (_line(p, exact, templates) or p) for i, p in enumerate(parts))
    return s


@functools.lru_cache(maxsize=50_000)
def translate(s: str, lang: str) -> str:
    """One figure text in ``lang`` (unchanged when the catalogue does not list it, or for English)."""
    if lang == DEFAULT or lang not in CATALOGUES or not s or not isinstance(s, str):
        return s
    return _translate(s, *_table(lang))


def _title(obj, lang: str) -> None:
    t = obj.get("title") if isinstance(obj, dict) else None
    if isinstance(t, dict) and isinstance(t.get("text"), str):
        t["text"] = translate(t["text"], lang)
    elif isinstance(t, str):
        obj["title"] = translate(t, lang)


def _texts(value, lang: str):
    if isinstance(value, str):
        return translate(value, lang)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [translate(v, lang) for v in value]
    return value


def translate_figure(spec: dict, lang: str) -> dict:
    """Translate a figure's dict (``fig.to_dict()``) in place; returns it.

    Changed: the layout's title, every axis' title and tick labels (``ticktext``), the legend's and colour
    bars' titles, the annotations' texts, each trace's name, hover template and colour-bar title, and the text of
    traces drawn as text only (``mode="text"``: a diagram's labels). Data values (tokens, numbers) are never touched.
    """
    if lang == DEFAULT or lang not in CATALOGUES:
        return spec
    layout = spec.get("layout") or {}
    _title(layout, lang)
    for name, part in layout.items():
        if not isinstance(part, dict):
            continue
        if name.startswith(("xaxis", "yaxis", "coloraxis", "legend", "polar", "scene")):
            _title(part, lang)
            if "ticktext" in part:
                part["ticktext"] = _texts(part["ticktext"], lang)
            if isinstance(part.get("colorbar"), dict):
                _title(part["colorbar"], lang)
    for a in layout.get("annotations") or ():
        if isinstance(a, dict) and isinstance(a.get("text"), str):
            a["text"] = translate(a["text"], lang)
    for trace in spec.get("data") or ():
        for field in ("name", "hovertemplate"):
            if field in trace:
                trace[field] = _texts(trace[field], lang)
        if trace.get("mode") == "text" and "text" in trace:  # labels drawn as text (a diagram's boxes), not data
            trace["text"] = _texts(trace["text"], lang)
        if isinstance(trace.get("colorbar"), dict):
            _title(trace["colorbar"], lang)
        if isinstance(trace.get("legendgrouptitle"), dict) and "text" in trace["legendgrouptitle"]:
            trace["legendgrouptitle"]["text"] = translate(trace["legendgrouptitle"]["text"], lang)
    return spec
