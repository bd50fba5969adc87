"""Korean: the patch_tokenization lesson (pages/*_patch_tokenization.py, mmviz.figures.patch_tokenization)."""

STRINGS: dict[str, str] = {
    "patch_tokenization.title": "패치 토큰화",
    "patch_tokenization.cutting": "이미지를 패치로 자르는 중…",
    "patch_tokenization.intro": "트랜스포머는 **벡터의 시퀀스**만 읽습니다. 텍스트는 이미 단어의 시퀀스입니다. 이미지는 "
                                "**P×P 패치**(patch)로 잘라, 글을 읽듯 행 단위로 읽고, 각 패치를 픽셀 값의 벡터로 펼친 "
                                "다음, 공유된 행렬 **E** 하나를 곱해 숫자 **D**개로 된 토큰(token)으로 바꾸면 시퀀스가 "
                                "됩니다. 맨 앞에는 학습되는 **[CLS]** 토큰이 붙고, 그 최종 상태가 이미지를 요약합니다. "
                                "패치가 작을수록 세부가 살지만 토큰이 많아지고, 어텐션(attention)은 모든 토큰을 다른 모든 "
                                "토큰과 비교합니다.",
    "patch_tokenization.size": "이미지 크기 H = W (픽셀)",
    "patch_tokenization.patch": "패치 크기 P (픽셀)",
    "patch_tokenization.patch_help": "{size}를 나누어떨어지게 하는 크기만 고를 수 있습니다.",
    "patch_tokenization.dim": "임베딩(embedding) 차원 D",
    "patch_tokenization.dim_help": "ViT-Tiny는 192, ViT-Small은 384, ViT-Base는 768을 씁니다.",
    "patch_tokenization.cut_error": "이 이미지를 패치로 자를 수 없습니다: {why}",
    "patch_tokenization.upscaled": "{size} 픽셀보다 작으므로 같은 규칙으로 **확대**(bicubic)됩니다. 확대한다고 세부가 "
                                   "생기지는 않습니다.",
    "patch_tokenization.resized": "**{name}** ({w}×{h})은(는) 짧은 변이 {size} 픽셀이 되도록 크기를 바꾼 뒤 가운데를 "
                                  "{size}×{size}로 잘라 냅니다. ViT의 표준 평가 규칙입니다. {note}",
    "patch_tokenization.q_tokens": "이미지는 {H}×{W} 픽셀이고 패치는 {P}×{P}입니다. 패치 토큰 N은 몇 개가 될까요 "
                                   "([CLS] 제외)?",
    "patch_tokenization.q_tokens_why": "텐서 x_p의 모양은 {shape}입니다: ({H}/{P}) × ({W}/{P}) = {gh} × {gw} = 패치 "
                                       "{N}개, 패치마다 토큰 하나입니다. 맨 앞에 [CLS]를 붙이면 시퀀스는 토큰 {T}개가 "
                                       "됩니다.",
    "patch_tokenization.m_tokens": "토큰 수 N",
    "patch_tokenization.m_tokens_help": "x_p.shape[1], 텐서에서 읽은 값",
    "patch_tokenization.m_seq": "시퀀스 길이 N+1",
    "patch_tokenization.m_seq_help": "[CLS] 토큰 포함: z_0.shape[1]",
    "patch_tokenization.m_patch": "패치 벡터 P²·C",
    "patch_tokenization.m_dim": "임베딩 D",
    "patch_tokenization.m_pairs": "어텐션 쌍 N²",
    "patch_tokenization.m_pairs_help": "[CLS] 포함: (N+1)² = {n}",
    "patch_tokenization.chosen_d": "고른 D = {dim}",
    "patch_tokenization.disagree": "공식 {formula}과(와) 텐서 {measured}가 다릅니다. 이 버그를 알려 주세요.",
    "patch_tokenization.agree": "위: 텐서의 모양에서 잰 값. 아래: 공식. 둘이 일치합니다.",
    "patch_tokenization.open_numbers": "N, N + 1, N²과 공식의 숫자는 위 질문에 답하면(또는 “답만 보기”를 누르면) "
                                       "나타납니다.",
    "patch_tokenization.grid_title_open": "{P}×{P} 픽셀 패치로 자른 이미지",
    "patch_tokenization.sequence_open": "패치의 시퀀스(토큰 수를 셉니다)는 위 질문에 답하면 나타납니다.",
    # 1
    "patch_tokenization.s1": "1. 이미지를 패치로 자르고 래스터 순서로 읽기",
    "patch_tokenization.s1_caption": "패치에 마우스를 올리면 번호 k, 격자 위치(행 k // gw, 열 k % gw)와 픽셀이 보입니다. "
                                     "시퀀스의 위치 0은 [CLS] 토큰(주황)으로, 이미지에서 잘라 낸 것이 아닙니다.",
    # 2
    "patch_tokenization.s2": "2. 패치를 펼치고 숫자 D개로 투영한 뒤 [CLS] 붙이기",
    "patch_tokenization.exact": "마우스를 올리면 모든 값 보기 (무거움: 행렬 전체를 보냅니다)",
    "patch_tokenization.exact_help": "끄면 그림은 모든 값을 보여 주고, 마우스 정보는 블록 평균을 보여 줍니다.",
    "patch_tokenization.s2_caption": "x_p의 각 행은 패치 하나를 (P, P, C) 순서로(픽셀마다 R G B) 펼친 것입니다. **여기의 "
                                     "E는 학습되지 않았습니다**(시드를 고정한 무작위 초기화). 이 수업은 모양에 관한 것이며, "
                                     "학습된 투영은 어텐션 수업에 나옵니다. 위치 임베딩 E_pos는 다음 수업입니다. 같은 "
                                     "투영은 커널 P, 보폭(stride) P인 합성곱(`PatchEmbed`)과 같습니다. 여기서 계산한 두 "
                                     "경로의 차이는 최대 {diff:.1e}입니다.",
    # 3
    "patch_tokenization.s3": "3. 패치가 작을수록 토큰은 훨씬 많아집니다",
    # 4
    "patch_tokenization.s4": "4. 이미지를 토큰화하는 세 가지 방법",
    "patch_tokenization.s4_md": "**일반 패치**(ViT)는 겹치지 않게 자릅니다. **CNN 특징 맵**(하이브리드 ViT)은 작은 합성곱 "
                                "줄기(stem)로 이미지를 16배 줄이고 맵의 각 위치를 토큰으로 읽습니다. **겹치는 합성곱**(CvT)은 "
                                "보폭 4의 7×7 커널을 써서 이웃한 토큰이 픽셀을 나눠 가집니다. 토큰에 마우스를 올리면 그 "
                                "토큰이 보는 픽셀 창이 보입니다. 두 상자는 한 토큰과 그 오른쪽 이웃입니다.",
    "patch_tokenization.q_most": "{size}×{size} 이미지를 이 세 토크나이저로 나누면 어느 것이 토큰을 **가장 많이** "
                                 "만들까요?",
    "patch_tokenization.q_most_why": "{name}: 토큰 {n}개({gh}×{gw} 격자, 보폭 {stride} 픽셀). 나머지는 {others}. 개수를 "
                                     "정하는 것은 창의 크기가 아니라 보폭입니다: 한 변마다 N = ⌊(H + 2p − k)/s⌋ + 1.",
    "patch_tokenization.compare_open": "세 가지 토큰 격자와 그 개수, 표는 위 질문에 답하면 나타납니다.",
    "patch_tokenization.col_name": "토큰화 방법",
    "patch_tokenization.col_grid": "격자",
    "patch_tokenization.col_tokens": "토큰 수 N",
    "patch_tokenization.col_dim": "토큰 차원",
    "patch_tokenization.col_cls": "[CLS] 포함",
    "patch_tokenization.col_pairs": "어텐션 쌍 N²",
    "patch_tokenization.col_window": "창 (픽셀)",
    "patch_tokenization.col_stride": "보폭 (픽셀)",
    "patch_tokenization.col_overlap": "겹침",
    "patch_tokenization.s4_caption": "각 모듈의 출력 텐서에서 읽은 숫자입니다. 여기의 CNN 줄기는 **손으로 정한, 학습되지 "
                                     "않은 대역**입니다. 첫 층은 색 대립 채널마다 방향성 경계 검출기를 두고 나머지 층은 "
                                     "평균을 내므로, 모양과 토큰 수는 정직하게 보여 주지만 학습된 ResNet 줄기는 훨씬 풍부한 "
                                     "특징을 냅니다. CvT 투영도 학습되지 않았습니다(시드 고정).",
    # 그림
    "patch_tokenization.fig_tok0": "일반 패치 (ViT)",
    "patch_tokenization.fig_tok1": "CNN 특징 맵 (하이브리드)",
    "patch_tokenization.fig_tok2": "겹치는 합성곱 (CvT)",
    "patch_tokenization.fig_patch_z": "패치 %{{z}}",
    "patch_tokenization.fig_grid_rc": "격자 행 %{{customdata[0]}}, 열 %{{customdata[1]}}",
    "patch_tokenization.fig_pixels": "픽셀 y %{{customdata[2]}}–%{{customdata[3]}}, x %{{customdata[4]}}–"
                                     "%{{customdata[5]}}<extra></extra>",
    "patch_tokenization.fig_grid_title": "{gh}×{gw} = {P}×{Q} 픽셀 패치 {n}개",
    "patch_tokenization.fig_position_patch": "위치 %{{z}}: 패치 %{{customdata[1]}}",
    "patch_tokenization.fig_from_grid": "격자 행 %{{customdata[2]}}, 열 %{{customdata[3]}}에서",
    "patch_tokenization.fig_seq_pixels": "픽셀 y %{{customdata[4]}}–%{{customdata[5]}}, x %{{customdata[6]}}–…+{p}"
                                         "<extra></extra>",
    "patch_tokenization.fig_cls_pos": "위치 0: [CLS] 토큰",
    "patch_tokenization.fig_cls_learned": "학습되는 벡터로, 이미지에서 잘라 낸 것이 아닙니다<extra></extra>",
    "patch_tokenization.fig_seq_title": "[CLS] + 패치 {N}개 = 위치 {T}개",
    "patch_tokenization.fig_seq_title_more": "[CLS] + 패치 {N}개 = 위치 {T}개 (처음 {shown}개만 표시)",
    "patch_tokenization.fig_value255": "값×255",
    "patch_tokenization.fig_token": "토큰",
    "patch_tokenization.fig_feature": "특징",
    "patch_tokenization.fig_position": "위치",
    "patch_tokenization.fig_value": "값",
    "patch_tokenization.fig_feature_axis": "특징 f = (y·{P} + x)·{C} + 채널  (P·P·C = {dim})",
    "patch_tokenization.fig_token_n": "토큰 (N = {N})",
    "patch_tokenization.fig_xp_title": "x_p: 펼친 패치 {N} × {dim}",
    "patch_tokenization.fig_seq_pos": "시퀀스 위치 ({T} = N + 1; 0 = [CLS])",
    "patch_tokenization.fig_embed_feature": "임베딩 특징 (D = {D})",
    "patch_tokenization.fig_z0_title": "[x_cls; x_p E]: 토큰 {T} × {D} (학습되지 않은 E)",
    "patch_tokenization.fig_tokens_n": "토큰 수 N",
    "patch_tokenization.fig_grid_hover": "%{{x}}: 격자 %{{customdata[0]}}×%{{customdata[1]}}",
    "patch_tokenization.fig_n_tokens": "N = 토큰 %{{y:,}}개",
    "patch_tokenization.fig_with_cls": "[CLS] 포함: %{{customdata[2]:,}}",
    "patch_tokenization.fig_pairs_hover": "N² = %{{y:,}}쌍<extra></extra>",
    "patch_tokenization.fig_pairs_right": "어텐션 쌍 N² (오른쪽 축)",
    "patch_tokenization.fig_pairs_log": "어텐션 쌍 N² (로그)",
    "patch_tokenization.fig_counts_x": "패치 크기 P와 그 크기가 만드는 토큰 수 N",
    "patch_tokenization.fig_counts_title": "P를 절반으로 줄이면 N은 4배, N²은 16배 (현재: P={P})",
    "patch_tokenization.fig_token_of": "토큰 %{{z}} / {n}",
    "patch_tokenization.fig_sees": "보는 픽셀 y %{{customdata[2]}}–%{{customdata[3]}}, x %{{customdata[4]}}–"
                                   "%{{customdata[5]}}",
    "patch_tokenization.fig_window_hover": "({k}×{j} 창, 보폭 {s}; 이미지 바깥 = 0으로 채움)<extra></extra>",
    "patch_tokenization.fig_tokens_line": "{gh}×{gw} = 토큰 {n}개, D={D}",
    "patch_tokenization.fig_windows_overlapping": "{k}×{j} 창, 보폭 {s} (겹침)",
    "patch_tokenization.fig_windows_separate": "{k}×{j} 창, 보폭 {s} (겹치지 않음)",
}
