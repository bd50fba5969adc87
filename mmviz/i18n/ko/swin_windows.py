"""한국어: swin_windows 수업 (pages/*_swin_windows.py, mmviz.figures.swin_windows)."""

STRINGS: dict[str, str] = {
    "swin_windows.title": "Swin 윈도우(window)",
    "swin_windows.intro": "ViT에서는 모든 패치(patch)가 다른 모든 패치에 어텐션(attention)합니다. 그래서 비용이 패치 수의 "
                          "**제곱**으로 늘어납니다. Swin은 패치 격자를 작은 **M×M 윈도우**(window)로 자르고 각 윈도우 "
                          "안에서만 어텐션하므로 비용이 **선형으로** 늘어납니다. 이웃한 윈도우끼리 정보를 주고받도록 두 "
                          "번째 블록마다 윈도우를 M/2만큼 **이동**(shift)하고, 이동의 순환(wrap-around) 때문에만 이웃이 "
                          "된 패치들은 마스크(mask)로 떼어 놓습니다. 스테이지(stage) 사이에서는 **패치 병합**(patch "
                          "merging)이 CNN의 피라미드처럼 격자를 반으로 줄이고 채널을 두 배로 늘립니다. 아래의 모든 "
                          "그림은 모델이 실제로 실행하는 함수로 내 이미지에서 계산한 것입니다.",
    "swin_windows.running": "Swin을 한 번 실행하며 모든 윈도우의 어텐션을 저장하는 중…",
    "swin_windows.missing": "학습된 Swin이 아직 없어서 이 페이지는 **무작위 가중치**의 Swin을 씁니다. 윈도우, 이동, 마스크와 "
                            "모양은 정확하지만 어텐션에는 학습된 패턴이 없습니다.",
    "swin_windows.untrained": "무작위 가중치: 윈도우 안의 어텐션에 학습된 패턴이 없습니다.",
    "swin_windows.size": "이미지의 짧은 변 (픽셀)",
    "swin_windows.M": "윈도우 크기 M (패치)",
    "swin_windows.M_help": "모델은 M = {M}을 씁니다.",
    "swin_windows.s": "이동 s (패치)",
    "swin_windows.s_help": "Swin은 s = M // 2를 씁니다. 0 = 이동 없음.",
    "swin_windows.error": "이 이미지를 윈도우로 자를 수 없습니다: {why}",
    "swin_windows.m_grid": "패치 격자",
    "swin_windows.m_grid_help": "이미지를 {h}×{w} px로 바꾼 뒤 {P}×{P} px 패치로 자름",
    "swin_windows.m_padded": "패딩한 격자",
    "swin_windows.m_padded_help": "모델처럼 아래/오른쪽에 0을 채워 M의 배수로 맞춤",
    "swin_windows.m_nW": "윈도우 수 nW",
    "swin_windows.m_N": "윈도우당 토큰(token)",
    "swin_windows.m_keys": "쿼리당 키",
    "swin_windows.m_keys_help": "쿼리는 모든 패치(ViT)가 아니라 자기 윈도우의 M²개 토큰에만 어텐션함",
    # 1
    "swin_windows.s1": "1. 패치, 그다음 윈도우 (W-MSA)",
    "swin_windows.s1_md": "이미지를 **{P}×{P} px 패치**({gh}×{gw} 격자)로 자르고, 다시 **{M}×{M} 윈도우**로 자릅니다. "
                          "어텐션은 색칠된 각 윈도우 안에서만 계산됩니다. 이미지 밖의 패치(회색/검정)는 패딩입니다.",
    # 2
    "swin_windows.s2": "2. 이동한 윈도우 (SW-MSA), 한 단계씩",
    "swin_windows.s0": "s = 0이면 다음 블록도 같은 윈도우를 다시 씁니다. 정보가 윈도우 밖으로 나갈 수 없습니다. s > 0을 "
                       "고르세요 (Swin은 M // 2를 씁니다).",
    "swin_windows.step": "단계",
    "swin_windows.step_1": "1 · 이동",
    "swin_windows.step_2": "2 · 영역",
    "swin_windows.step_3": "3 · 마스크",
    "swin_windows.step_4": "4 · 어텐션",
    "swin_windows.step_5": "5 · 되돌리기",
    "swin_windows.shift_md": "이동한 윈도우는 아래와 오른쪽으로 {s}패치 떨어져서 시작합니다. 그러면 가장자리에서 윈도우가 더 "
                             "작은 조각이 되고 개수도 늘어납니다. 대신 Swin은 **격자를 위와 왼쪽으로 s = {s}만큼 굴립니다"
                             "**(`torch.roll`). 굴린 격자를 똑같이 규칙적으로 나누면 그것이 *바로* 이동한 윈도우 분할이고, "
                             "윈도우 수도 같습니다.",
    "swin_windows.q_shift": "이미지의 왼쪽 위 패치인 패치 0은 윈도우 0에 있습니다. `cyclic_shift(x, {s})`가 격자를 위와 "
                            "왼쪽으로 {s}만큼 굴린 뒤, 굴린 격자의 어느 윈도우에 들어갈까요 (0부터 {n}까지, 행 순서로 번호)?",
    "swin_windows.q_shift_why": "위와 왼쪽으로 s = {s}만큼 굴리면 위쪽 {s}행과 왼쪽 {s}열이 아래와 오른쪽 가장자리로 넘어가므로, "
                                "패치 0은 윈도우 {nW}개 중 **{w}**번 윈도우에 들어갑니다 (패치 0의 새 자리에서 굴린 격자의 "
                                "`window_of`). 이제 이미지 반대쪽 가장자리의 패치들과 한 윈도우를 나누므로, 3단계의 "
                                "마스크가 이들을 떼어 놓습니다.",
    "swin_windows.shift_open": "굴리기 전과 후의 격자는 위 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다. 패치 0이 "
                               "어디로 가는지 보여 줍니다.",
    "swin_windows.regions_md": "굴린 격자에서 마지막 행과 마지막 열의 윈도우에는 이미지 반대쪽 가장자리의 패치들이 섞입니다. "
                               "각 패치는 **영역 레이블(region label)**(행 띠 × 3 + 열 띠)을 받고, 레이블이 같은 패치만 "
                               "진짜 이웃입니다.",
    "swin_windows.window": "윈도우",
    "swin_windows.window_help": "마지막 윈도우(오른쪽 아래)에는 네 영역이 섞입니다.",
    "swin_windows.mask_md": "윈도우의 모든 (쿼리, 키) 쌍의 레이블을 비교합니다. 같으면 **0**, 다르면 **−100**입니다. 점수에 "
                            "더하면 −100은 소프트맥스(softmax) 가중치를 e⁻¹⁰⁰ ≈ 0으로 만듭니다.",
    "swin_windows.toy_md": "윈도우 {win} 안의 장난감 어텐션: q = k = 각 패치의 픽셀 자체(학습된 가중치 없음), 점수 = {t} × "
                           "코사인 유사도. 마스크가 없으면 이미지 반대쪽 가장자리의 패치끼리 어텐션하고, 마스크가 있으면 "
                           "각 조각은 자기 안에서만 어텐션합니다.",
    "swin_windows.back_md": "어텐션 뒤에 윈도우를 다시 붙이고(`window_reverse`) 격자를 s = {s}만큼 **되돌려** 굴립니다. 모든 "
                            "패치가 제자리로 돌아옵니다 (max |차이| = {diff}). 색: 내 이미지 위에서 각 패치가 속했던 영역, "
                            "흰 선: 이동한 윈도우.",
    # 3
    "swin_windows.s3": "3. 누가 누구와 이야기할 수 있나",
    "swin_windows.s3_md": "패치를 하나 고르세요. 블록 1(W-MSA)은 그 패치를 자기 윈도우와 섞고, 블록 2(SW-MSA)는 그 패치와 "
                          "겹치는 이동한 윈도우와 섞는 식입니다. 수용 영역(receptive field)이 블록마다 윈도우 경계를 넘어 "
                          "넓어집니다.",
    "swin_windows.row": "패치 행",
    "swin_windows.col": "패치 열",
    "swin_windows.k": "k개 블록 뒤",
    "swin_windows.after_1": "블록 {j}개 뒤",
    "swin_windows.after_n": "블록 {j}개 뒤",
    "swin_windows.sw_msa_shift": "SW-MSA, 이동 {s}",
    "swin_windows.reach_caption": "ViT는 블록 1개 뒤에 모든 패치에 닿습니다. 홀수 블록은 W-MSA, 짝수 블록은 SW-MSA(이동 {s})를 "
                                  "씁니다. 블록별: {counts}.",
    # 4
    "swin_windows.s4": "4. 상대 위치 편향(relative position bias) B",
    "swin_windows.s4_md": "Swin은 모든 점수에 학습된 편향을 더하며, 이 편향은 쿼리와 키 사이의 **오프셋(offset)** (dy, dx)으로 "
                          "고릅니다. {M}×{M} 윈도우에는 (2M−1)² = {n}개의 오프셋이 있습니다. 인덱스는 각 오프셋을 표의 한 "
                          "행으로 바꿉니다: index = (dy + M − 1)·(2M − 1) + (dx + M − 1).",
    "swin_windows.head": "헤드(head)",
    "swin_windows.query": "쿼리 토큰",
    "swin_windows.table_own": "{name}의 블록 0",
    "swin_windows.table_random": "무작위 표 (모델의 윈도우는 {m}×{m}입니다. 모델 자신의 표를 보려면 M = {m}으로 두세요)",
    "swin_windows.table_caption": "표: {src}. 표에서 테두리 친 블록이 바로 쿼리 행의 편향을 뒤집어 놓은 것입니다 (오프셋 = "
                                  "쿼리 − 키). 대칭인 오프셋은 거울상 항목을 씁니다: index(i, j) + index(j, i)는 "
                                  "일정합니다.",
    # 5
    "swin_windows.s5": "5. 패치 병합: 스테이지의 피라미드",
    "swin_windows.s5_md": "각 스테이지 뒤에 이웃한 토큰의 2×2 블록마다 이어 붙이고(4C 채널) 정규화한 뒤 2C로 투영합니다. 격자는 "
                          "반이 되고 채널은 두 배가 되며, 윈도우 하나가 4배 많은 픽셀을 덮습니다.",
    "swin_windows.merge_step": "스테이지 {a} → {b}: {c}채널 토큰 2×2개 → 이어 붙여 {c4} → Linear → **{c2}** 채널, 격자 "
                               "{g} → {g2}",
    "swin_windows.col_stage": "스테이지",
    "swin_windows.col_grid": "격자 (텐서에서)",
    "swin_windows.col_channels": "채널 C",
    "swin_windows.col_tokens": "토큰",
    "swin_windows.col_covers": "토큰이 덮는 영역",
    "swin_windows.col_shape": "텐서 모양",
    "swin_windows.swin_t_stage": "스테이지 {i} {g} (윈도우 {n}개)",
    "swin_windows.swin_t": "이 이미지를 {h}×{w} px로 넣은 Swin-T (microsoft/swin-tiny-patch4-window7-224), PyTorch의 meta "
                           "장치에서 순전파로 얻은 모양: {summary}",
    # 6
    "swin_windows.s6": "6. 왜 윈도우인가: 비용",
    "swin_windows.q_cost": "여기서 h×w = {gh}×{gw} = 패치 {n}개, C = {C}, M = {M}입니다. 윈도우 어텐션(W-MSA) 층 하나는 전역 "
                           "어텐션(MSA)보다 몇 배 저렴할까요? (10% 이내)",
    "swin_windows.q_cost_why": "Ω(MSA) / Ω(W-MSA) = **{ratio:.1f}**. 둘 다 투영 비용 4hwC²는 같고, 점수 계산이 다릅니다. 전역 "
                               "어텐션에서는 쿼리마다 패치 {n}개 전부를 만나고, 윈도우 안에서는 자기 윈도우의 M² = {N}개만 "
                               "만납니다. 이미지가 클수록 이 비율도 커집니다.",
    "swin_windows.cost_caption": "h×w = 패치 {gh}×{gw}개, C = {C} (모델의 스테이지 0), M = {M}: 윈도우가 {ratio:.1f}배 "
                                 "저렴합니다. 전역 어텐션은 패치 수의 제곱으로, 윈도우 어텐션은 선형으로 늘어납니다.",
    # 7
    "swin_windows.s7": "7. 한 윈도우 안의 어텐션, 헤드별",
    "swin_windows.block_w": "스테이지 {stage} · 블록 {block} · W-MSA",
    "swin_windows.block_sw": "스테이지 {stage} · 블록 {block} · SW-MSA (이동 {s})",
    "swin_windows.block": "블록",
    "swin_windows.mq": "윈도우 안의 쿼리 토큰",
    "swin_windows.s7_md": "`attentions[{bi}]`의 모양은 {shape} = (윈도우, 헤드, M², M²)입니다. 윈도우 {w}의 쿼리 토큰 {q}에 "
                          "대한 각 헤드: 자기 윈도우의 패치에 둔 가중치입니다(윈도우 밖은 투명). SW-MSA 블록에서 마지막 "
                          "윈도우들은 반대쪽 가장자리의 조각으로 이루어져 있고, 마스크가 다른 조각에 가중치 0을 줍니다.",
    "swin_windows.heads_shown": "헤드 {n}개 중 0–{last}를 보여 줍니다. 오른쪽 행렬은 어떤 헤드든 보여 줍니다.",
    "swin_windows.mhead": "전체 행렬을 볼 헤드",
    "swin_windows.predicts": "**모델의 예측:**",
    "swin_windows.tiny_note": "작은 Swin은 생성된 64 px 장면에 있는 도형 하나의 색(9가지)을 맞히도록 학습되었습니다. 사진에서는 "
                              "추측만 할 수 있습니다. 사전 학습된 Swin-T는 ImageNet 클래스 1000개를 맞힙니다.",
    # 그림
    "swin_windows.fig_wmsa_title": "W-MSA: {M}×{M} 패치 윈도우 {n}개",
    "swin_windows.fig_before": "이전: 이동한 윈도우",
    "swin_windows.fig_same_colour": "(같은 색 = 같은 윈도우)",
    "swin_windows.fig_after": "cyclic_shift(x, {s}) 이후:",
    "swin_windows.fig_regular": "규칙적인 윈도우",
    "swin_windows.fig_regions_title": "굴린 격자의 영역 레이블 (흰 선: 윈도우)",
    "swin_windows.fig_mask_title": "윈도우 {w}의 마스크: 쌍 {n}개 중 {a}개 허용",
    "swin_windows.fig_mask": "마스크",
    "swin_windows.fig_labels": "레이블",
    "swin_windows.fig_no_mask": "softmax(점수): 마스크 없음",
    "swin_windows.fig_with_mask": "softmax(점수 + 마스크)",
    "swin_windows.fig_back_title": "이미지 위로 되돌려 굴린 영역",
    "swin_windows.fig_reach_title": "패치 ({r}, {c})는 블록 {k}개 뒤에 패치 {m}개 중 {n}개에 닿음",
    "swin_windows.fig_index": "인덱스",
    "swin_windows.fig_offset": "오프셋 dy",
    "swin_windows.fig_matrix_title": "블록 {b}, 윈도우 {w}, 헤드 {h}: softmax(QKᵀ/√d + B + mask)",
    "swin_windows.fig_window_token": "윈도우 {w}, 토큰 {q}",
    "swin_windows.fig_to_patch": "{what} → 패치 %{{customdata}}",
    "swin_windows.fig_px": "행 %{{y:.0f}}, 열 %{{x:.0f}} (px)",
    "swin_windows.fig_patch_pad": "패치 %{{customdata[1]}} (-1 = 패딩)",
    "swin_windows.fig_window": "윈도우",
    "swin_windows.fig_region": "영역",
    "swin_windows.fig_query_rc": "쿼리 %{{y}} (r%{{customdata[0]}}, c%{{customdata[1]}})",
    "swin_windows.fig_key_rc": "키 %{{x}} (r%{{customdata[2]}}, c%{{customdata[3]}})",
    "swin_windows.fig_key_in_window": "윈도우 안의 키 토큰",
    "swin_windows.fig_col_in_window": "윈도우 안의 열",
    "swin_windows.fig_row_in_window": "윈도우 안의 행",
    "swin_windows.fig_region_label": "영역 레이블",
    "swin_windows.fig_labels_title": "윈도우 {w} 안의 영역 레이블",
    "swin_windows.fig_reached": "닿음",
    "swin_windows.fig_block": "블록",
    "swin_windows.fig_patch_n": "패치 %{{customdata}}",
    "swin_windows.fig_reached_after": "블록 %{{z:.0f}} 뒤에 닿음<extra></extra>",
    "swin_windows.fig_bias": "편향",
    "swin_windows.fig_table_row": "표의 행 %{{customdata[2]}}",
    "swin_windows.fig_table_row3": "표의 행 %{{customdata[3]}}",
    "swin_windows.fig_table": "표",
    "swin_windows.fig_bias_of_query": "쿼리의 편향",
    "swin_windows.fig_key_offset": "키 %{{customdata[0]}}: 오프셋 dy=%{{customdata[1]}}, dx=%{{customdata[2]}}",
    "swin_windows.fig_key_col": "윈도우 안의 키 열",
    "swin_windows.fig_key_row": "키 행",
    "swin_windows.fig_bias_title": "헤드 {h}: 표 ((2M−1)² = 항목 {n}개) → 쿼리 {q}의 편향 (r{r}, c{c})",
    "swin_windows.fig_stage_title": "스테이지 {i}: 토큰 {g}개 × 채널 {c}개",
    "swin_windows.fig_stage_token": "스테이지 {i}: 토큰 %{{z}}",
    "swin_windows.fig_stage_px": "{p} px, 채널 {c}개<extra></extra>",
    "swin_windows.fig_side": "변 %{{x}} px (토큰 %{{customdata:,.0f}}개)",
    "swin_windows.fig_macs": "곱셈-덧셈 %{{y:.3s}}회<extra>%{{fullData.name}}</extra>",
    "swin_windows.fig_side_axis": "이미지 변 (픽셀, 정사각형, 패치 4)",
    "swin_windows.fig_macs_axis": "어텐션 층 하나의 곱셈-덧셈 수",
    "swin_windows.fig_cost_title": "어텐션 층 하나, C = {C}, M = {M}",
}
