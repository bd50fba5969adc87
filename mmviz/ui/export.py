"""Figures and tables, drawn for this session (its language, presenter mode) and exported.

:func:`chart` draws a ``mmviz.figures`` figure: its texts in the session's language
(``mmviz.i18n.figures``), projector-sized in presenter mode (``mmviz.ui.present``), with Plotly's own
PNG export in its toolbar (the camera icon) and, under it, a button that downloads the figure as a
standalone HTML file (Plotly's JavaScript inside: it opens offline, in slides too) and, given
``numbers``, one for the figure's numbers as NPZ (matrices) or CSV (one row of values). :func:`table`
draws rows with a CSV download. The files are made only when a button is pressed (Streamlit calls
``data`` then), so a re-run costs one small button per figure.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from mmviz.figures.common import CONFIG
from mmviz.i18n.figures import translate_figure
from mmviz.ui.lang import lang, t
from mmviz.ui.present import hidden, presenter_layout, presenting

__all__ = ["chart", "table", "figure_html", "numbers_npz", "rows_csv"]


class _Drawn(go.Figure):
    """A figure already turned into its dict: ``st.plotly_chart`` asks a figure for ``to_dict()`` only, so the
    dict is translated and restyled once and is not validated again."""

    def __init__(self, spec: dict) -> None:  # noqa: D107 - no go.Figure.__init__: nothing to validate
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def figure_html(spec: dict) -> str:
    """A figure as a standalone HTML page (Plotly's JavaScript inside)."""
    import plotly.io as pio

    return pio.to_html(spec, include_plotlyjs=True, full_html=True, config=CONFIG)


def numbers_npz(numbers: Mapping[str, object]) -> bytes:
    """Arrays as an ``.npz`` file (``np.load`` reads it back by name)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **{k: np.asarray(v) for k, v in numbers.items()})
    return buf.getvalue()


def rows_csv(rows: Sequence[Mapping]) -> str:
    """Rows (dicts) as CSV text, one column per key of the first row."""
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def _file(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", key)


def chart(fig, key: str | None = None, *, into=None, toolbar: bool = True, numbers: Mapping | None = None,
          export: bool = True, **kwargs):
    """Draw a Plotly figure for this session, with its exports.

    Args:
        fig: a ``go.Figure`` from ``mmviz.figures`` (never changed: a cached figure is shared).
        key: the widget key (tests and clicks find the chart by it; the exported files are named by it).
        into: a container or placeholder to draw into (default: the page).
        toolbar: show Plotly's mode bar (its camera icon saves a PNG).
        numbers: name -> array of the numbers the figure draws, offered as NPZ.
        export: offer the HTML (and numbers) download; needs ``key``.
        **kwargs: passed to ``st.plotly_chart`` (``on_select``, ``selection_mode``, ...).

    Returns:
        what ``st.plotly_chart`` returns (the selection state when ``on_select`` is set).
    """
    if hidden():  # a section nobody sees this run (closed): the browser would draw it for nothing
        return None
    spec = fig.to_dict()  # what st.plotly_chart does first anyway: a copy that is ours to change
    language = lang()
    if language != "en":
        translate_figure(spec, language)
    if presenting():
        presenter_layout(spec)
    config = {**CONFIG, "toImageButtonOptions": {**CONFIG.get("toImageButtonOptions", {}), "filename": _file(key or
              "figure")}} if toolbar else {**CONFIG, "displayModeBar": False}
    if not (export and key):
        return (into or st).plotly_chart(_Drawn(spec), key=key, config=config, **kwargs)
    box = (into or st).container()
    out = box.plotly_chart(_Drawn(spec), key=key, config=config, **kwargs)
    row = box.container(horizontal=True, gap="small")
    row.download_button(t("common.export_html"), lambda: figure_html(spec), file_name=f"{_file(key)}.html",
                        mime="text/html", key=f"{key}__html", on_click="ignore", type="tertiary",
                        icon=":material/download:", help=t("common.export_html_help"))
    if numbers:
        row.download_button(t("common.export_numbers"), lambda: numbers_npz(numbers), file_name=f"{_file(key)}.npz",
                            mime="application/octet-stream", key=f"{key}__npz", on_click="ignore", type="tertiary",
                            icon=":material/data_array:", help=t("common.export_numbers_help", names=", ".join(numbers)))
    return out


def table(rows: Sequence[Mapping], formats: Mapping[str, str] | None = None, *, key: str | None = None) -> None:
    """A table of rows (dicts) without the index column, with a CSV download when it has a ``key``.

    Args:
        rows: one dict per row, column name -> value.
        formats: column -> number format ("%.4f", "localized", ...).
        key: names the CSV file (and the button).
    """
    if hidden():  # a closed section: the browser would load and draw its data grid for nothing
        return
    st.dataframe(rows, hide_index=True, column_config={c: st.column_config.NumberColumn(format=f)
                                                       for c, f in (formats or {}).items()})
    if key:
        st.download_button(t("common.export_csv"), lambda: rows_csv(rows), file_name=f"{_file(key)}.csv",
                           mime="text/csv", key=f"{key}__csv", on_click="ignore", type="tertiary",
                           icon=":material/table:")
