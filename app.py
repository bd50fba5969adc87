"""mmviz: the entry point. Page config, the shared sidebar, and navigation over the lessons.

Run with ``streamlit run app.py``. Every lesson is a thin script in ``pages/``; what they share
(sidebar, model picker, caches, charts, language, links, presenter mode) is ``mmviz.ui``, the only
mmviz module that imports streamlit. ``?lang=ko`` opens the Korean interface, ``?present=1`` presenter
mode (read here, before the page config, so the sidebar starts folded away).
"""

import streamlit as st

from mmviz import ui

st.set_page_config(page_title=ui.t("app.page_title"), page_icon=":material/token:", layout="wide",
                   initial_sidebar_state=ui.sidebar_state())

slot = ui.classroom_controls()
ui.sidebar()
LESSONS = [  # (script, name, icon): the name keys the title in the catalogue (app.nav_<name>)
    ("0_home", "home", ":material/token:"),
    ("1_patch_tokenization", "patch_tokenization", ":material/grid_on:"),
    ("2_positional_encoding", "positional_encoding", ":material/pin_drop:"),
    ("3_attention_maps", "attention_maps", ":material/visibility:"),
    ("4_swin_windows", "swin_windows", ":material/grid_view:"),
    ("5_audio_tokens", "audio_tokens", ":material/graphic_eq:"),
    ("6_clip_similarity", "clip_similarity", ":material/join_inner:"),
    ("7_bert_gpt", "bert_gpt", ":material/text_fields:"),
    ("8_encoder_decoder", "encoder_decoder", ":material/translate:"),
    ("9_image_tokens", "image_tokens", ":material/brush:"),
    ("10_fusion", "fusion", ":material/merge:"),
]
nav = st.navigation([st.Page(f"pages/{script}.py", title=ui.t(f"app.nav_{name}"), icon=icon, default=name == "home")
                     for script, name, icon in LESSONS])
nav.run()
ui.classroom_finish(slot)
ui.release_when_idle()  # a quiet server gives its freed memory back
