"""The shell (app.py): the browser tab's title and the lessons' names in the navigation."""

STRINGS = {
    "app.page_title": "mmviz: transformers, token by token",
    "app.nav_home": "Tokens everywhere",
    "app.nav_patch_tokenization": "Patch tokenization",
    "app.nav_positional_encoding": "Positional encoding",
    "app.nav_attention_maps": "Attention maps",
    "app.nav_swin_windows": "Swin windows",
    "app.nav_audio_tokens": "Audio tokens",
    "app.nav_clip_similarity": "CLIP similarity",
    "app.nav_bert_gpt": "BERT and GPT",
    "app.nav_encoder_decoder": "Encoder–decoder",
    "app.nav_image_tokens": "Images as tokens",
    "app.nav_fusion": "Multimodal fusion",
}
