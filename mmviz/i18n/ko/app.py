"""앱 껍데기(app.py): 브라우저 탭 제목과 내비게이션의 강의 이름."""

STRINGS = {
    "app.page_title": "mmviz: 토큰 하나하나로 보는 트랜스포머",
    "app.nav_home": "모든 것은 토큰",
    "app.nav_patch_tokenization": "패치 토큰화",
    "app.nav_positional_encoding": "위치 인코딩",
    "app.nav_attention_maps": "어텐션 맵",
    "app.nav_swin_windows": "Swin 윈도우",
    "app.nav_audio_tokens": "오디오 토큰",
    "app.nav_clip_similarity": "CLIP 유사도",
    "app.nav_bert_gpt": "BERT와 GPT",
    "app.nav_encoder_decoder": "인코더–디코더",
    "app.nav_image_tokens": "토큰으로 된 이미지",
    "app.nav_fusion": "멀티모달 융합",
}
