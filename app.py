"""mmviz: the entry point. Page config, the shared sidebar, and navigation over the lessons.

Run with ``streamlit run app.py``. Every lesson is a thin script in ``pages/``; what they share
(sidebar, model picker, caches, charts) is ``mmviz.ui``, the only mmviz module that imports streamlit.
"""

import streamlit as st

from mmviz import ui

st.set_page_config(page_title="mmviz: transformers, token by token", page_icon=":material/token:", layout="wide")

ui.sidebar()
nav = st.navigation(
    [
        st.Page("pages/0_home.py", title="Tokens everywhere", icon=":material/token:", default=True),
        st.Page("pages/1_patch_tokenization.py", title="Patch tokenization", icon=":material/grid_on:"),
        st.Page("pages/2_positional_encoding.py", title="Positional encoding", icon=":material/pin_drop:"),
        st.Page("pages/3_attention_maps.py", title="Attention maps", icon=":material/visibility:"),
        st.Page("pages/4_swin_windows.py", title="Swin windows", icon=":material/grid_view:"),
        st.Page("pages/5_audio_tokens.py", title="Audio tokens", icon=":material/graphic_eq:"),
        st.Page("pages/6_clip_similarity.py", title="CLIP similarity", icon=":material/join_inner:"),
        st.Page("pages/7_bert_gpt.py", title="BERT and GPT", icon=":material/text_fields:"),
        st.Page("pages/8_encoder_decoder.py", title="Encoder–decoder", icon=":material/translate:"),
        st.Page("pages/9_image_tokens.py", title="Images as tokens", icon=":material/brush:"),
        st.Page("pages/10_fusion.py", title="Multimodal fusion", icon=":material/merge:"),
    ]
)
nav.run()
