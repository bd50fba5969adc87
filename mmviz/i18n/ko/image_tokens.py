"""토큰으로 된 이미지 (pages/9_image_tokens.py, mmviz.figures.image_tokens)."""

STRINGS = {
    "image_tokens.title": "토큰으로 된 이미지",
    "image_tokens.no_vq": "이미지 토크나이저가 없어서 이 페이지는 아직 실행할 수 없습니다. {why}",
    "image_tokens.s_image": "내 이미지",
    "image_tokens.intro": "GPT가 하는 일은 하나입니다. 지금까지의 토큰(token)이 주어지면 가능한 모든 **다음 토큰**에 확률을 "
                          "줍니다. GPT로 이미지를 생성하려면 먼저 이미지가 유한한 어휘의 짧은 토큰 시퀀스가 되어야 합니다. "
                          "**VQ-VAE**가 그 일을 합니다. 이미지를 칸의 격자로 자르고, 각 칸을 학습된 **코드북**(codebook)에서 "
                          "가장 가까운 항목의 번호로 부릅니다. 그다음 트랜스포머(transformer)가 래스터 순서로 코드를 하나씩 "
                          "쓰고, VQ 디코더가 그것을 그립니다(DALL·E, Parti):",
    "image_tokens.tokenizing": "이미지를 토큰으로 바꾸는 중…",
    "image_tokens.reads": "토크나이저가 읽는 것",
    "image_tokens.painted": "코드 {N}개로 다시 그린 것",
    "image_tokens.painted_open": "코드로 다시 그린 것",
    "image_tokens.input_same": "**{name}** ({W}×{H} px)은(는) 이미 토크나이저의 입력 크기인 **{S}×{S} px**입니다: "
                               "`pixels.shape = (1, 3, {S}, {S})`.",
    "image_tokens.input_resized": "**{name}** ({W}×{H} px)은(는) 가운데를 정사각형으로 잘라 토크나이저의 입력 크기인 "
                                  "**{S}×{S} px**로 줄입니다: `pixels.shape = (1, 3, {S}, {S})`.",
    # 1
    "image_tokens.s_dilemma": "1. 픽셀의 딜레마",
    "image_tokens.dilemma_md": "트랜스포머에게 픽셀을 쓰게 하면 안 될까요? 내 이미지라면 256가지 중 하나를 고르는 선택(R, G, B "
                               "값 하나하나)을 **{steps:,}단계**, 또는 2²⁴ = 16,777,216가지 색 중 하나를 고르는 선택을 "
                               "{pixels:,}단계 해야 합니다. 어떤 어휘보다 넓은 소프트맥스(softmax)입니다. 어텐션"
                               "(attention)은 모든 토큰을 다른 모든 토큰과 비교하므로 비용이 길이의 제곱으로 늘어납니다. "
                               "{S}×{S} px에서도 서브픽셀 시퀀스는 VQ 코드 {N}개보다 **{ratio:.0f}배 깁니다**. VQ 코드 "
                               "하나하나는 학습된 패턴 K = {K}개 중 하나를 가리킵니다.",
    "image_tokens.dilemma_md_open": "트랜스포머에게 픽셀을 쓰게 하면 안 될까요? 내 이미지라면 256가지 중 하나를 고르는 선택(R, G, B 값 하나하나)을 "
                                    "**{steps:,}단계**, 또는 2²⁴ = 16,777,216가지 색 중 하나를 고르는 선택을 {pixels:,}단계 해야 합니다. 어떤 "
                                    "어휘보다 넓은 소프트맥스(softmax)입니다. 어텐션(attention)은 모든 토큰을 다른 모든 토큰과 비교하므로 비용이 길이의 제곱으로 "
                                    "늘어납니다. VQ 토크나이저는 {S}×{S} px 이미지를 훨씬 적은 토큰으로 쓰며, 토큰 하나하나는 학습된 패턴 K = {K}개 중 하나를 "
                                    "가리킵니다. 몇 개인지는 아래 질문에서 묻습니다.",
    "image_tokens.dl_image": "내 이미지, {W}×{H}",
    "image_tokens.dl_input": "토크나이저 입력, {W}×{H}",
    "image_tokens.dl_subpixel": "서브픽셀 (R, G, B)",
    "image_tokens.dl_pixel": "픽셀 (RGB 색)",
    "image_tokens.dl_vq": "VQ 코드 (각 {d}×{d} px)",
    "image_tokens.col_size": "크기",
    "image_tokens.col_tokens": "토큰",
    "image_tokens.col_steps": "단계",
    "image_tokens.col_classes": "클래스",
    "image_tokens.col_bits": "비트",
    "image_tokens.q_codes": "토크나이저는 {S}×{S} px 이미지를 읽고 {d}×{d} px 칸마다 코드 하나를 붙입니다. 이미지 하나는 "
                            "코드(토큰) 몇 개가 될까요?",
    "image_tokens.q_codes_why": "({S} / {d}) × ({S} / {d}) = {h} × {w}개의 코드이며, 여기서는 텐서 `codes`에서 셌습니다. "
                                "코드가 K = {K}개이므로 이미지 하나에 {bits:,.0f}비트입니다.",
    "image_tokens.q_codes_wait": "VQ 코드의 행(몇 단계, 몇 비트)과 식은 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    # 2
    "image_tokens.s_tokenize": "2. 내 이미지를 토큰으로",
    "image_tokens.tokenize_md": "인코더(stride 2 합성곱 세 개)는 이미지를 {f}배 줄여 폭 C = {C}인 벡터 z의 {h}×{w} 격자로 "
                                "만듭니다. 각 벡터는 **가장 가까운 코드북 벡터** e_k로 바뀌고, 그 번호 k가 토큰입니다. 칸에 "
                                "마우스를 올리면 코드와 그 벡터가 얼마나 멀었는지 보입니다.",
    "image_tokens.m_grid": "격자 h×w",
    "image_tokens.m_codebook": "코드북 K",
    "image_tokens.m_distinct": "여기 쓰인 서로 다른 코드",
    "image_tokens.m_distance": "평균 거리",
    "image_tokens.decoding_codebook": "코드 하나하나를 따로 디코딩하고 보류 장면을 토큰으로 바꾸는 중…",
    "image_tokens.codebook_md": "**코드북.** 코드 하나는 무엇을 *뜻할까요*? 격자 전체를 코드 하나로 채우고 디코더에게 그리게 "
                                "하면, 가운데 칸이 그 코드의 패치(patch)입니다. 코드는 물체가 아니라 색, 가장자리, 질감입니다.",
    "image_tokens.vq_card": "보류된 도형 세계 장면 {n}개에서 이 토크나이저는 PSNR **{psnr_db:.1f} dB**로 다시 그리고, **코드 "
                            "{codebook_size}개 중 {codes_used}개**를 쓰며(퍼플렉서티 {perplexity:.0f}: 코드 "
                            "{perplexity:.0f}개를 고르게 쓴 것과 같음), 이미지 하나를 원래의 {raw_bits:,}비트 대신 "
                            "**{bits_per_image}비트**({g0}×{g1}개 코드 × {bits_per_code:.0f}비트)로 저장합니다.",
    "image_tokens.recount": "같은 보류 장면 {n}개(시드 {seed})에서 여기서 다시 센 값: 코드 {codes_used}개 사용, 퍼플렉서티 "
                            "{perplexity:.1f}.",
    "image_tokens.recon_md": "**복원.** 디코더는 코드만으로 이미지를 다시 그립니다. 오차 지도는 {bits:.0f}비트가 담지 못한 "
                             "것을 보여 줍니다.",
    "image_tokens.p_input": "입력 ({S}×{S})",
    "image_tokens.p_codes": "코드에서 ({db:.1f} dB)",
    "image_tokens.p_error": "픽셀별 제곱 오차",
    "image_tokens.budget_md": "**더 적은 비트: 더 작은 코드북 또는 더 성긴 격자.** 가장 많이 쓰인 코드 M개만 남기고 다시 "
                              "양자화하거나(각 칸은 *허용된* 코드 중 가장 가까운 것을 받습니다), 같은 토크나이저에 더 작은 "
                              "이미지를 주어 칸을 줄입니다. 솔직한 주석: 둘 다 **학습된** 토크나이저를 제한한 것입니다. 그 "
                              "크기로 처음부터 학습한 코드북이나 격자라면 더 잘할 것입니다.",
    "image_tokens.keep": "가장 많이 쓰인 코드 M개만 남기기",
    "image_tokens.p_plain": "입력",
    "image_tokens.p_m": "M = {M}: {db:.1f} dB",
    "image_tokens.p_grid": "{g}×{g} 격자: {db:.1f} dB",
    # 3
    "image_tokens.s_raster": "3. 래스터 순서 생성 (DALL·E)",
    "image_tokens.raster_md": "작은 DALL·E는 **[캡션 토큰 {Lc}개 ; 이미지 코드 {N}개]** 위의 디코더 하나입니다. 캡션을 읽고, "
                              "코드 1(왼쪽 위), 코드 2, … 코드 {N}(오른쪽 아래)을 씁니다. 각 코드는 K = {K}개의 코드에 대한 "
                              "소프트맥스에서 뽑히고, VQ 디코더가 그것을 그립니다.",
    "image_tokens.caption": "캡션 (도형 세계의 단어)",
    "image_tokens.cap_empty": "캡션이 비어 있습니다. 모델은 시작 토큰과 끝 토큰만 보므로, 어떤 캡션에나 그럴듯한 것을 "
                              "그립니다.",
    "image_tokens.cap_cut": "모델은 토큰을 최대 {length}개(시작과 끝 포함) 읽습니다. “{kept}” 뒤의 단어는 버려집니다.",
    "image_tokens.cap_unknown": "이 모델이 모르는 단어: {words}. 모델은 도형 세계의 단어(색, 종류, 크기, 배경)만 알며, 모르는 "
                                "단어는 모두 같은 `<unk>` 토큰이 됩니다.",
    "image_tokens.temperature": "온도(temperature)",
    "image_tokens.temperature_help": "로짓을 나눕니다: 1보다 작으면 더 날카롭게.",
    "image_tokens.top_k_help": "가장 그럴듯한 코드 k개만 뽑힐 수 있습니다.",
    "image_tokens.all": "전부",
    "image_tokens.seed": "시드",
    "image_tokens.no_dalle": "작은 DALL·E가 아직 학습되지 않아서 여기서는 아무것도 생성할 수 없습니다. {why} 1, 2, 5절은 "
                             "토크나이저만 있으면 됩니다.",
    "image_tokens.code_of": "코드 {N}개 중 {k}번째",
    "image_tokens.showing": "“{caption}”(시드 {seed}, T = {temp}, top-k {k})의 샘플을 보여 주고 있습니다. 위의 설정으로 "
                            "샘플링하려면 **생성**을 누르세요.",
    "image_tokens.step": "단계: 지금 고르는 코드",
    "image_tokens.attention_of": "어텐션",
    "image_tokens.all_layers": "모든 층의 평균",
    "image_tokens.layer_n": "층 {k}",
    "image_tokens.q_next": "{t}단계(행 {row}, 열 {col})에서 DALL·E가 가장 그럴듯하다고 보는 코드는 무엇일까요?",
    "image_tokens.q_next_why": "소프트맥스가 이 코드에 p = {p:.3f}를 주며, K개 코드 중 가장 큽니다. 여기서 뽑힌 코드는 "
                               "{drawn}입니다. 샘플링이 늘 가장 그럴듯한 것을 고르지는 않습니다.",
    "image_tokens.q_next_wait": "가장 그럴듯한 코드 다섯 개와 뽑힌 코드는 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "image_tokens.code_n": "코드 {k}",
    "image_tokens.frame_title": "{t}단계: 행 {row}, 열 {col}의 코드 {code}",
    "image_tokens.frame_title_open": "{t}단계: 행 {row}, 열 {col}에는 어느 코드가 올까요?",
    "image_tokens.drawn": "뽑힌 코드: {code}, p = {p:.4f} (T = {temp}, top-k {k}), 캡션 토큰 {Lc}개와 앞선 코드 {t}개를 읽은 "
                          "뒤. 코드 {N}개 전부: KV 캐시로 {s:.2f}초; log p(이미지 | 캡션) = {lp:.2f}.",
    "image_tokens.factor_md": "**이 샘플의 숫자로 본 인수분해.** 뽑힌 모든 코드의 확률을 곱하면(로그를 더하면) 캡션이 "
                              "주어졌을 때 이미지 전체의 확률입니다. 학습은 바로 이것을 모든 코드에 대해 한 번에 "
                              "최대화합니다(교사 강요, teacher forcing).",
    # 4
    "image_tokens.s_parti": "4. DALL·E 대 Parti: 디코더 하나, 또는 인코더와 디코더",
    "image_tokens.parti_md": "Parti는 양방향 인코더로 캡션을 **한 번** 읽습니다. 디코더는 코드를 쓰면서 매 단계 **교차 "
                             "어텐션**(cross-attention)으로 인코딩된 캡션을 봅니다. 같은 캡션과 시드가 둘 모두를 "
                             "거칩니다. 지도: 캡션 토큰마다, Parti의 각 이미지 토큰이 그 토큰을 얼마나 보았는지.",
    "image_tokens.needs_both": "비교하려면 두 생성기가 모두 필요합니다.",
    "image_tokens.decoder_only": "디코더만",
    "image_tokens.encoder_decoder": "인코더 + 디코더",
    "image_tokens.cost_md": "**이미지 하나의 비용, 가중치 모양에서 센 것.** Linear 층은 토큰마다 D_in × D_out번의 곱셈-덧셈"
                            "(모두 합쳐 P), 어텐션은 L개 층 각각에서 (쿼리, 키) 쌍마다 2·D입니다. **KV 캐시**가 있으면 한 "
                            "단계는 새 토큰만 계산하고, 없으면 전체 시퀀스를 다시 계산합니다(아래는 DALL·E; Parti는 "
                            "인코더를 한 번 실행하고 교차 어텐션을 위해 단계마다 2·D·L·L_c를 더합니다).",
    "image_tokens.cmp_design": "설계",
    "image_tokens.cmp_params": "파라미터 수 (VQ 제외)",
    "image_tokens.cmp_cost_cache": "이미지당 곱셈-덧셈, KV 캐시",
    "image_tokens.cmp_cost_no_cache": "이미지당 곱셈-덧셈, 캐시 없음",
    "image_tokens.cmp_saved": "캐시로 아낀 배수",
    "image_tokens.cmp_colour": "카드: 색이 맞음 (작은 ViT 판정)",
    "image_tokens.cmp_kind": "카드: 종류가 맞음 (cnn-kind-judge)",
    "image_tokens.cmp_both": "카드: 둘 다 맞음",
    "image_tokens.cmp_seconds": "카드: 이미지당 초",
    "image_tokens.cmp_log_p": "이 샘플: log p(이미지 | 캡션)",
    "image_tokens.cmp_sample_seconds": "이 샘플: 초 (어텐션 기록 포함)",
    # 5
    "image_tokens.s_sequence": "5. 모든 것을 위한 시퀀스 하나",
    "image_tokens.sequence_md": "디코더에게 텍스트와 이미지는 **토큰 id의 한 줄**입니다. 이미지 코드 k는 텍스트 id {V}개 "
                                "뒤의 토큰 {V} + k입니다. CM3Leon은 한 걸음 더 나아가 텍스트와 이미지를 어떤 순서로든 "
                                "섞습니다. 마스크(mask)는 누가 누구를 볼 수 있는지 정합니다. 시퀀스 전체에 인과 마스크이므로 "
                                "캡션은 이미지를 보지 못하고, 각 코드는 캡션과 앞선 코드를 봅니다.",
    "image_tokens.mask_title": "[캡션 ; 코드] 위에서의 디코더 어텐션 {how}",
    "image_tokens.how_sample": "(이 샘플, 층과 헤드의 평균)",
    "image_tokens.how_uniform": "(모든 점수가 같음: 학습된 디코더가 아직 없음)",
    "image_tokens.parti_masks_md": "Parti의 세 마스크: **인코더**는 양방향(모든 캡션 토큰이 실제 캡션 토큰을 모두 봄), "
                                   "**디코더**는 코드에 대해 인과, **교차 어텐션**은 모든 코드가 캡션을 보게 합니다.",
    # 그림
    "image_tokens.fig_pixel_hover": "픽셀 x=%{{x:.0f}}, y=%{{y:.0f}}<extra></extra>",
    "image_tokens.fig_steps_hover": "%{{y}}: <b>%{{x:,}}</b>단계",
    "image_tokens.fig_choice_hover": "단계마다 %{{customdata[0]:,}}개 클래스 중 하나를 고름",
    "image_tokens.fig_bits_hover": "모두 %{{customdata[1]:,.0f}}비트",
    "image_tokens.fig_pairs_hover": "층과 헤드마다 어텐션 점수: %{{customdata[2]:,}}<extra></extra>",
    "image_tokens.fig_steps_axis": "이미지 하나를 쓰는 단계 수 (로그 눈금)",
    "image_tokens.fig_dilemma_title": "픽셀 하나하나가 토큰이라면…",
    "image_tokens.fig_cell_hover": "칸 %{{customdata[0]}} (행 %{{customdata[1]}}, 열 %{{customdata[2]}})",
    "image_tokens.fig_code_hover": "<b>코드 %{{customdata[3]:.0f}}</b>",
    "image_tokens.fig_dist_hover": "그 코드까지의 거리: %{{customdata[4]:.3f}}",
    "image_tokens.fig_second_hover": "두 번째로 가까운 코드까지: %{{customdata[5]:.3f}}",
    "image_tokens.fig_share_hover": "보류 칸 중 이 코드의 비율: %{{customdata[6]:.2f}}%",
    "image_tokens.fig_distance": "거리",
    "image_tokens.fig_code_ids": "{h}×{w} = 코드 id {n}개 (래스터 순서)",
    "image_tokens.fig_distance_title": "각 칸의 거리 ‖z − e_code‖",
    "image_tokens.fig_codebook_title": "코드북: 코드 {K}개, 하나씩 따로 디코딩 (주황: 내 이미지에 쓰임)",
    "image_tokens.fig_code0_hover": "<b>코드 %{{customdata[0]}}</b>",
    "image_tokens.fig_in_image_hover": "내 이미지에서: %{{customdata[1]:.0f}}번",
    "image_tokens.fig_share2_hover": "보류 칸 중 비율: %{{customdata[2]:.2f}}%",
    "image_tokens.fig_rank_hover": "<b>코드 %{{customdata[0]}}</b> (보류 장면에서 %{{customdata[1]}}위)",
    "image_tokens.fig_heldout_hover": "보류 장면: 칸의 %{{customdata[3]:.2f}}%",
    "image_tokens.fig_yours_hover": "내 이미지: %{{customdata[2]}}번 (%{{customdata[4]:.1f}}%)<extra></extra>",
    "image_tokens.fig_heldout_scenes": "보류 장면",
    "image_tokens.fig_your_image": "내 이미지",
    "image_tokens.fig_code_axis": "코드 id (보류 장면에서 가장 많이 쓰인 {top}개, 그다음 내 이미지의 나머지)",
    "image_tokens.fig_cells_log": "칸의 % (로그 눈금)",
    "image_tokens.fig_code_use": "코드 사용",
    "image_tokens.fig_error2": "오차²",
    "image_tokens.fig_sq_error": "제곱 오차 %{{z:.4f}}<extra></extra>",
    "image_tokens.fig_keep_m": "가장 많이 쓰인 코드 M개만",
    "image_tokens.fig_m_hover": "허용된 코드 M = %{{customdata[0]}}개",
    "image_tokens.fig_bits_per_image_hover": "이미지당 %{{x:.0f}}비트",
    "image_tokens.fig_uses_hover": "내 이미지는 그중 %{{customdata[1]}}개를 씀<extra></extra>",
    "image_tokens.fig_coarser": "더 성긴 격자 (더 작은 입력)",
    "image_tokens.fig_grid_hover": "%{{customdata[0]}}×%{{customdata[0]}} 격자: 코드 %{{customdata[1]}}개",
    "image_tokens.fig_bits_axis": "이미지당 비트 (로그 눈금)",
    "image_tokens.fig_psnr_axis": "PSNR (dB, 높을수록 가까움)",
    "image_tokens.fig_budget_title": "비트마다 얻는 것",
    "image_tokens.fig_after": "코드 {n}개 중 {s}개 뒤",
    "image_tokens.fig_caption_hover": "캡션 토큰 %{{x}}",
    "image_tokens.fig_earlier_hover": "앞선 코드, 행 %{{y}}, 열 %{{x}}",
    "image_tokens.fig_on_caption": "캡션에",
    "image_tokens.fig_on_codes": "앞선 코드에 (열)",
    "image_tokens.fig_looks_title": "행 {row}, 열 {col}의 토큰이 보는 곳",
    "image_tokens.fig_p_next": "p(다음 코드)",
    "image_tokens.fig_top5_title": "다음 코드 상위 5개 (주황: 뽑힘)",
    "image_tokens.fig_factor_hover": "단계 %{{x}}: <b>코드 %{{customdata[0]:.0f}}</b>",
    "image_tokens.fig_sum_hover": "지금까지의 합 %{{customdata[2]:.2f}}<extra></extra>",
    "image_tokens.fig_running_sum": "누적 합",
    "image_tokens.fig_step_raster": "단계 i (래스터 순서)",
    "image_tokens.fig_sum_axis": "지금까지의 Σ log p",
    "image_tokens.fig_factor_title": "p(이미지 | 캡션)의 모든 인수",
    "image_tokens.fig_image_token_hover": "이미지 토큰 %{{customdata[0]}} (행 %{{y}}, 열 %{{x}})",
    "image_tokens.fig_cost_cache": "{name}, KV 캐시",
    "image_tokens.fig_cost_no_cache": "{name}, 캐시 없음",
    "image_tokens.fig_step_macs": "단계 %{{x}}: 곱셈-덧셈 %{{y:,}}번<extra></extra>",
    "image_tokens.fig_step_written": "단계 (쓰고 있는 코드)",
    "image_tokens.fig_cost_title": "단계별 비용",
    "image_tokens.fig_position_hover": "위치 %{{customdata[0]}}: <b>%{{customdata[1]}}</b>",
    "image_tokens.fig_token_id_hover": "토큰 id %{{customdata[2]}}<extra></extra>",
    "image_tokens.fig_text_token": "텍스트 토큰",
    "image_tokens.fig_image_code": "이미지 코드",
    "image_tokens.fig_sequence_title": "토큰 {T}개의 시퀀스 하나, 왼쪽에서 오른쪽으로, 줄마다 읽기",
    "image_tokens.fig_masked_hover": "마스크됨: 소프트맥스 전에 −∞<extra></extra>",
    "image_tokens.fig_parti_encoder": "Parti 인코더",
    "image_tokens.fig_parti_decoder": "Parti 디코더",
    "image_tokens.fig_parti_cross": "Parti 교차 어텐션",
}
