"""Korean: the positional_encoding lesson (pages/*_positional_encoding.py, mmviz.figures.positional_encoding)."""

STRINGS: dict[str, str] = {
    "positional_encoding.title": "위치 인코딩",
    "positional_encoding.intro": "셀프 어텐션(self-attention)은 모든 토큰(token)을 다른 모든 토큰과 **내용만으로** "
                                 "비교합니다. 어느 토큰이 먼저 왔는지는 전혀 모릅니다. 시퀀스를 섞으면 출력도 똑같이 "
                                 "섞일 뿐 다른 것은 바뀌지 않습니다. 그러면 단어 순서(또는 이미지에서 패치(patch)의 "
                                 "자리)를 잃으므로, 어텐션 전에 모든 토큰에 **위치 신호를 더합니다**. RoPE라면 위치에 "
                                 "따라 커지는 각도만큼 쿼리와 키를 회전합니다.",
    # 1
    "positional_encoding.s1": "1. 사인파 위치",
    "positional_encoding.d_model": "d_model (너비 D)",
    "positional_encoding.length": "길이 (위치 수 N)",
    "positional_encoding.table_md": "표의 모양(측정값): **{shape}** = (길이, d_model). 열 한 쌍 (2i, 2i+1)이 주파수 "
                                    "하나입니다. 왼쪽 열은 빠르게, 오른쪽 열은 아주 느리게 돌아서 모든 위치가 고유한 "
                                    "무늬를 얻습니다(논문처럼 밑은 10000).",
    "positional_encoding.heatmap_title": "PE: 위치 × 차원",
    "positional_encoding.lines_title": "위치에 따른 몇몇 차원의 값",
    # 2
    "positional_encoding.s2": "2. 유사도는 거리에만 달려 있습니다",
    "positional_encoding.sim_md": "모든 위치를 다른 모든 위치와 비교합니다. "
                                  "$\\langle PE_i, PE_j\\rangle = \\sum_k \\cos\\big((i-j)\\,\\omega_k\\big)$이므로 "
                                  "유사도는 오프셋 j − i에만 달려 있습니다. 행렬은 대각선을 따라 일정합니다(퇴플리츠, "
                                  "Toeplitz). 대각선을 따라 잰 편차: **{spread:.2e}** (반올림 오차). (d_model = {d}, "
                                  "위치 {n}개: 1절에서 정하세요.)",
    "positional_encoding.q_side": "위치 {k}와(과) 같은 거리 {d}에 있는 두 위치, {before}(앞)와 {after}(뒤)를 비교합니다. "
                                  "어느 쪽이 위치 {k}와 더 비슷할까요?",
    "positional_encoding.opt_before": "위치 {j} (앞)",
    "positional_encoding.opt_after": "위치 {j} (뒤)",
    "positional_encoding.opt_same": "똑같이 비슷하다",
    "positional_encoding.q_side_why": "cos(PE {k}, PE {before}) = {a:.6f}, cos(PE {k}, PE {after}) = {b:.6f}: 차이는 "
                                      "{diff:.1e}입니다. 모든 항이 cos((i − j)ω)이고 코사인은 짝함수이므로, 방향이 "
                                      "아니라 거리 |i − j|만 중요합니다(히트맵이 대칭입니다).",
    "positional_encoding.q_side_why_not": "cos(PE {k}, PE {before}) = {a:.6f}와(과) cos(PE {k}, PE {after}) = {b:.6f}의 "
                                          "차이는 {diff:.1e}입니다.",
    "positional_encoding.sim_open": "유사도 행렬과 오프셋에 따른 행의 그래프는 위 질문에 답하면(또는 “답만 보기”를 누르면) "
                                    "나타납니다.",
    "positional_encoding.sim_title": "위치 i와 위치 j의 코사인 유사도",
    # 3
    "positional_encoding.s3": "3. 위치가 없으면 어텐션은 순서를 볼 수 없습니다",
    "positional_encoding.patch_size": "패치 크기 P",
    "positional_encoding.seed": "섞기 시드",
    "positional_encoding.perm_error": "이 이미지를 패치 토큰으로 바꿀 수 없습니다. 다른 이미지를 써 보세요.",
    "positional_encoding.perm_md": "**{name}**의 패치 토큰 {N}개(224×224로 크기 변경, {P}×{P} 패치, 무작위 선형층으로 "
                                   "D = {D}에 투영하고 LayerNorm 적용)가 무작위로 고정된 가중치의 멀티헤드 어텐션 층 하나를 "
                                   "지납니다. 토큰을 무작위 순열로 섞고 비교합니다. 위치가 없으면 섞은 입력의 출력은 출력을 "
                                   "나중에 섞은 것과 같습니다. 어텐션은 내용만 보므로 이는 **어떤** 가중치에서도 "
                                   "성립합니다. 위치를 슬롯에 더하면(위치는 슬롯에 남고 내용만 움직임: x[perm] + pos) "
                                   "출력이 정말로 달라집니다.",
    "positional_encoding.diff_nopos": "최대 차이, 위치 없음",
    "positional_encoding.diff_pos": "최대 차이, 위치 있음",
    "positional_encoding.perm_caption": "마지막 칸: 두 행 모두 같은 회색 척도의 |차이| (흰색 = 0).",
    "positional_encoding.label_nopos": "위치 없음",
    "positional_encoding.label_pos": "위치 있음",
    # 4
    "positional_encoding.s4": "4. 패치 격자를 위한 2D sin-cos 위치",
    "positional_encoding.grid_md": "이미지 패치에는 행과 열이 있습니다. 2D sin-cos 표(MAE, ViT)는 차원의 절반을 행에, "
                                   "절반을 열에 쓰며, 각각이 1D 사인파입니다. 아래는 ViT 논문의 그림 7처럼, 타일 (R, C)가 "
                                   "패치 (R, C)의 위치 벡터가 다른 모든 패치의 위치 벡터와 얼마나 비슷한지 보여 줍니다. 각 "
                                   "타일은 자기 패치 주변과 그 행과 열을 따라 밝아집니다.",
    "positional_encoding.grid": "격자 크기 (한 변의 패치 수)",
    "positional_encoding.grid_caption": "표의 모양(측정값): {shape} = (격자² 패치, D).",
    "positional_encoding.grid_title": "각 패치 위치와 모든 패치 위치의 코사인 유사도",
    # 5
    "positional_encoding.s5": "5. 회전 위치 임베딩(RoPE)",
    "positional_encoding.rope_md": "RoPE는 토큰에 아무것도 더하지 않습니다. 위치 $m$에 있는 쿼리의 각 쌍 "
                                   "$(q_{{2i}}, q_{{2i+1}})$을 각도 $m\\theta_i$만큼, 위치 $n$에 있는 키의 각 쌍을 "
                                   "$n\\theta_i$만큼 **회전**합니다. 회전한 두 벡터의 내적은 각도의 차이만 보므로 어텐션 "
                                   "점수는 상대 오프셋 $m - n$에만 달려 있고, 벡터의 길이는 변하지 않습니다.",
    "positional_encoding.head_dim": "헤드 차원 d",
    "positional_encoding.positions": "위치 수",
    "positional_encoding.steps": "원 위에 표시할 위치 수",
    "positional_encoding.rope_seed": "q, k 시드",
    "positional_encoding.rope_caption": "각 대각선(m − n 고정)을 따라 잰 점수의 편차: {spread:.2e}.",
    "positional_encoding.rope_title": "위치 m의 고정된 q와 위치 n의 고정된 k의 점수",
    "positional_encoding.circles_title": "q의 처음 4쌍을 위치 0..{last}로 회전 (구분되는 곳에 위치 번호 표시)",
    # 6
    "positional_encoding.s6": "6. 위치 표를 새 해상도로 바꾸기",
    "positional_encoding.interp_md": "16×16 패치로 224×224에서 학습한 ViT에는 학습된 위치의 14×14 표가 있습니다. "
                                     "384×384에서는 패치가 24×24개이므로, 표를 이미지처럼(bicubic) 새 격자로 크기 "
                                     "조정합니다. [CLS] 행은 격자에 자리가 없어 그대로 둡니다. 여기서는 학습된 표 대신 2D "
                                     "sin-cos 표를 씁니다(ViT 수업에서 실제 학습된 표를 보여 줍니다).",
    "positional_encoding.old": "이전 격자",
    "positional_encoding.new": "새 격자",
    "positional_encoding.mode": "방식",
    "positional_encoding.dim_shown": "보여 줄 차원",
    "positional_encoding.interp_shapes": "측정한 모양: **{old_shape}** → **{new_shape}** ([CLS] 1개 + {old}² → 1 + "
                                         "{new}² 행). 보간은 새 격자의 sin-cos 표를 직접 만드는 것과 같지 않습니다: 최대 "
                                         "차이 {gap:.3f}.",
    "positional_encoding.row_dim": "차원 {d}",
    "positional_encoding.row_cos": "패치 {a} / {b}와의 cos",
    "positional_encoding.interp_title": "보간 전과 후",
    # 7
    "positional_encoding.s7": "7. 상대 위치 인덱스 (Swin)",
    "positional_encoding.rel_md": "Swin은 토큰에 위치를 더하지 않습니다. 각 M×M 윈도우 안에서 모든 (쿼리, 키) 쌍의 "
                                  "어텐션 점수에 학습된 편향을 더하며, 편향은 두 토큰의 상대 오프셋 (dy, dx)로 고릅니다. "
                                  "가능한 오프셋은 (2M−1)²개이고, 이 표는 각 쌍이 어느 것을 쓰는지 보여 줍니다. 오프셋이 "
                                  "같은 쌍은 같은 색입니다.",
    "positional_encoding.window": "윈도우 크기 M",
    "positional_encoding.rel_caption": "인덱스의 모양(측정값): {shape}; 값은 {lo}부터 {hi}까지 = (2M−1)² − 1 = {top}.",
    "positional_encoding.rel_title": "M×M 윈도우의 상대 위치 인덱스",
    # 그림
    "positional_encoding.fig_dimension": "차원",
    "positional_encoding.fig_position": "위치",
    "positional_encoding.fig_dim_sin": "차원 {d} (sin)",
    "positional_encoding.fig_dim_cos": "차원 {d} (cos)",
    "positional_encoding.fig_dim_n": "차원 {d}",
    "positional_encoding.fig_pos": "위치",
    "positional_encoding.fig_pe_value": "PE 값",
    "positional_encoding.fig_position_i": "위치 i",
    "positional_encoding.fig_position_j": "위치 j",
    "positional_encoding.fig_sim_offset": "오프셋 j − i에 따른 유사도 (대각선을 따른 최대 편차: {s})",
    "positional_encoding.fig_offset": "오프셋 j − i",
    "positional_encoding.fig_cosine": "코사인 유사도",
    "positional_encoding.fig_slot_hover": "슬롯=%{{y}} (토큰 %{{customdata}})",
    "positional_encoding.fig_slot": "슬롯",
    "positional_encoding.fig_difference": "|차이|",
    "positional_encoding.fig_ref_patch": "기준 패치 (행 %{{customdata[0]}}, 열 %{{customdata[1]}})",
    "positional_encoding.fig_cmp_patch": "비교 패치 (행 %{{customdata[2]}}, 열 %{{customdata[3]}})",
    "positional_encoding.fig_tile_x": "패치 열 (타일) → 타일 안의 열",
    "positional_encoding.fig_tile_y": "패치 행 (타일) → 타일 안의 행",
    "positional_encoding.fig_query_m": "쿼리 위치 m",
    "positional_encoding.fig_key_n": "키 위치 n",
    "positional_encoding.fig_position_m": "위치 m",
    "positional_encoding.fig_pair": "쌍 %{{customdata[0]}}",
    "positional_encoding.fig_angle": "각도 m·θ",
    "positional_encoding.fig_pair_theta": "쌍 {k}: θ{j} = {t} rad",
    "positional_encoding.fig_original": "{lab} — {g} (원래)",
    "positional_encoding.fig_interpolated": "{lab} — {g} (보간)",
    "positional_encoding.fig_on_grid": "{h}×{w}의 {lab}",
    "positional_encoding.fig_col": "열",
    "positional_encoding.fig_index": "인덱스",
    "positional_encoding.fig_query_tok": "쿼리 토큰 %{{y}} (행 %{{customdata[0]}}, 열 %{{customdata[1]}})",
    "positional_encoding.fig_key_tok": "키 토큰 %{{x}} (행 %{{customdata[2]}}, 열 %{{customdata[3]}})",
    "positional_encoding.fig_offset_dydx": "오프셋 (dy, dx)=(%{{customdata[4]}}, %{{customdata[5]}})",
    "positional_encoding.fig_bias_index": "편향 인덱스=%{{z}}<extra></extra>",
    "positional_encoding.fig_key_j": "키 토큰 j",
    "positional_encoding.fig_query_i": "쿼리 토큰 i",
}
