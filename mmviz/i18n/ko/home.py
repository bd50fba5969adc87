"""Korean: the home lesson (pages/*_home.py, mmviz.figures.home)."""

STRINGS: dict[str, str] = {
    "home.title": "모든 모달리티는 토큰(token)의 시퀀스가 됩니다",
    "home.intro": "트랜스포머(Transformer)는 문장도, 사진도, 소리도 직접 보지 않습니다. 트랜스포머가 보는 것은 $(N, D)$ 모양의 "
                  "**토큰(token) 행렬**, 곧 $D$개의 숫자로 된 벡터 $N$개입니다. 텍스트는 문자나 단어 조각으로, 이미지는 "
                  "패치(patch)로, 오디오는 스펙트로그램의 패치로 잘리고, 조각 하나가 행 하나가 됩니다. 그다음부터는 같은 "
                  "장치, 곧 **어텐션**(attention)이 행들을 섞습니다. 모든 토큰이 다른 모든 토큰을 보고, 찾은 것의 가중 "
                  "평균을 취합니다.",
    "home.text_label": "토큰으로 나눌 텍스트 (한국어나 이모지를 넣어 보세요: 문자 하나가 여러 바이트입니다)",
    "home.row": "{mod}: 토큰 수 N × 너비 D",
    "home.mod_text": "텍스트",
    "home.mod_image": "이미지",
    "home.mod_audio": "오디오",
    "home.how_text": "문자 {c}개 -> UTF-8 바이트 {n}개 -> 토큰 {n}개",
    "home.how_text_multi": "문자 {c}개 -> UTF-8 바이트 {n}개 -> 토큰 {n}개 (여러 바이트를 차지하는 문자가 있습니다)",
    "home.how_image": "{S}x{S} 이미지 / {P}x{P} 패치 = {gh}x{gw} = 토큰 {n}개",
    "home.how_audio": "로그 멜 {M}개 빈 x {F}개 프레임 / {P}x{P} 패치 = {gh}x{gw} = 토큰 {n}개",
    "home.q_bytes": "“{text}”는 문자 {c}개, 단어 {w}개입니다. 바이트 수준 토크나이저(tokenizer)는 UTF-8 바이트를 읽습니다. "
                    "이 텍스트는 토큰 몇 개가 될까요?",
    "home.q_bytes_why": "토큰 행렬의 행은 {n}개입니다. 단어({w}개)나 문자({c}개)마다가 아니라 UTF-8 바이트마다 하나입니다. "
                        "문자 {c}개 중 {multi}개가 두 바이트 이상을 차지합니다(한글 음절은 3바이트, 이모지는 4바이트).",
    "home.text_open": "텍스트의 토큰 행렬은 바이트 단위로 위 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "home.caption": "위의 (N, D) 행렬은 각 수업의 실제 토크나이저가 여러분의 입력으로 만든 것입니다. 이 페이지는 모양에 관한 "
                    "것이므로 여기의 임베딩(embedding) 가중치는 학습되지 않은(시드 고정) 값입니다. 학습된 가중치는 각 "
                    "수업에서 볼 수 있습니다.",
    "home.lessons": "**수업**: *패치 토큰화*는 이미지를 패치로 자르고 어텐션의 비용을 셉니다. *위치 인코딩*은 토큰이 자기 "
                    "위치를 알아야 하는 이유를 보여 줍니다. *어텐션 맵*은 모든 층의 모든 헤드가 어디를 보는지 보여 줍니다. "
                    "*Swin 윈도우*는 이동하는 윈도우 안에서만 어텐션을 계산해 비용을 선형으로 유지합니다. *오디오 토큰*은 "
                    "소리를 스펙트로그램 패치로 바꿉니다. *CLIP 유사도*는 이미지와 문장을 한 공간에 놓고 비교합니다. "
                    "사이드바에서 이미지나 소리를 고르세요. 예제는 클릭 한 번이면 되고, 직접 올릴 수도 있습니다.",
    # 그림
    "home.fig_value": "값",
    "home.fig_dimension_d": "차원 (D = {D})",
    "home.fig_token_n": "토큰 (N = {N})",
    "home.fig_byte_in_row": "행 안의 바이트 (+0 … +15)",
    "home.fig_row_index": "행의 첫 토큰 번호",
    "home.fig_byte_hover": "토큰 %{{customdata[0]}}: 바이트 0x%{{customdata[1]}}",
    "home.fig_byte_of_hover": "%{{customdata[2]}}: “%{{customdata[3]}}” (%{{customdata[4]}})<extra></extra>",
    "home.fig_text_title": "텍스트: 문자 {c}개 → UTF-8 바이트 {n}개 = 토큰 {m}개; 주황: 여러 바이트로 된 문자",
    "home.fig_text_title_more": "텍스트: 문자 {c}개 → UTF-8 바이트 {n}개 = 토큰 {m}개 (바이트 {k}개 중 처음 {shown}개만 "
                                "그림); 주황: 여러 바이트로 된 문자",
    "home.fig_patch_token": "패치 %{{z}} → 토큰 %{{z}}<extra></extra>",
    "home.fig_x_pixels": "x (픽셀)",
    "home.fig_y_pixels": "y (픽셀)",
    "home.fig_image_title": "이미지: {W}×{H} 픽셀을 {p}×{q} 픽셀 패치 {gh}×{gw}개로 = 토큰 {N}개 (행 단위로 읽음)",
    "home.fig_frame": "프레임 (각 {ms} ms)",
    "home.fig_mel_bin": "멜 빈 (낮음 → 높음)",
    "home.fig_audio_title": "오디오: 로그 멜 {M}개 빈 × {T}개 프레임을 {p}×{q} 패치 {nf}×{nt}개로 = 토큰 {N}개",
    "home.fig_pooled": "{r} ≈ %{{y:.0f}}, {c} ≈ %{{x:.0f}}",  # a pooled hover cell of any matrix (mmviz.figures.common.matrix_traces)
    "home.fig_pooled_mean": "{v} (주변 {a}×{b} 칸의 평균)",
    "home.fig_token_hover": "토큰",
    "home.fig_dim_hover": "차원",
    "home.fig_mel_hover": "멜 빈",
    "home.fig_frame_hover": "프레임",
}
