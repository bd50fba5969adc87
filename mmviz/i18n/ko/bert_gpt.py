"""BERT와 GPT (pages/7_bert_gpt.py, mmviz.figures.bert_gpt)."""

STRINGS = {
    "bert_gpt.title": "BERT와 GPT",
    "bert_gpt.s_intro": "내 문장과 두 모델",
    "bert_gpt.intro": "둘 다 같은 트랜스포머(transformer) 블록을 쌓은 것입니다. **BERT**(인코더, encoder)는 모든 토큰(token)이 "
                      "다른 모든 토큰을 보게 하고, 가려진 단어를 채우도록 학습합니다. 즉 *이해*합니다. **GPT**(디코더, "
                      "decoder)는 토큰이 자기 앞의 토큰만 보게 하고, 다음 토큰을 예측하도록 학습합니다. 즉 *글을 씁니다*. "
                      "내부의 유일한 차이는 어텐션(attention) 점수에 더하는 행렬 하나, **마스크(mask)** M입니다.",
    "bert_gpt.pick_bert": "BERT (인코더)",
    "bert_gpt.pick_gpt": "GPT (디코더)",
    "bert_gpt.missing_bert": "학습된 작은 BERT가 아직 없어서, 학습되지 않은 쌍둥이(무작위 가중치)가 대신합니다.",
    "bert_gpt.missing_gpt": "학습된 작은 GPT가 아직 없어서, 학습되지 않은 쌍둥이(무작위 가중치)가 대신합니다.",
    "bert_gpt.load_error": "모델을 불러오지 못했습니다: {why}",
    "bert_gpt.text_label": "내 문장",
    "bert_gpt.text_help": "무엇이든 됩니다. 어떤 텍스트든 토큰이 됩니다.",
    "bert_gpt.running": "모델을 한 번 실행하고 모든 어텐션 맵을 저장하는 중…",
    "bert_gpt.grammar_note": "작은 모델들은 도형 세계의 문법만 배웠는데, 이 텍스트는 그 문법에 맞지 않습니다({reason}).",
    "bert_gpt.grammar_unknown": "처음 보는 단어: {words}. 이런 단어는 글자 조각이나 [UNK]로 흩어집니다.",
    "bert_gpt.grammar_try": "그래도 읽기는 하지만 추측의 의미는 줄어듭니다. 예제를 골라 보세요.",
    "bert_gpt.look": "들여다볼 모델",
    # 1
    "bert_gpt.s_tokens": "1. 토큰: id가 된 문장",
    "bert_gpt.tokens_md": "토크나이저(tokenizer)는 텍스트를 정해진 어휘의 조각으로 자르고 번호를 매깁니다. BERT는 [CLS]와 "
                          "[SEP]를 붙이고, GPT는 <bos>(GPT-2는 <|endoftext|>)로 시작합니다. 어휘에 없는 조각은 [UNK] (빨강)가 "
                          "되거나, GPT-2의 바이트 수준 BPE에서는 한 글자의 바이트들(노랑)이 됩니다. 어떤 텍스트도 거부되지 "
                          "않습니다. 칩 위에 마우스를 올리면 위치가 보입니다.",
    "bert_gpt.tokens_head": "**{model}** · {tokenizer} · T = 토큰 {T}개",
    # 2
    "bert_gpt.s_embed": "2. 임베딩 조회 ({look}): 토큰마다 한 행, 그리고 위치",
    "bert_gpt.embed_md": "id는 행 번호입니다. 각 토큰은 학습된 V × D 표에서 자기 행을 가져오고, 모델이 토큰의 위치를 알 수 "
                         "있도록 위치 벡터를 더합니다(어텐션 자체는 순서를 모릅니다). 이 행이 임베딩(embedding)입니다.",
    "bert_gpt.embed_caption": "표 E는 {V:,} × {D} (V × D)이고, id {T}개를 조회하면 {T} × {D}이 됩니다. 여기서 다시 계산한 "
                              "값과 모델 자신의 임베딩의 차이: max |Δ| = {diff:.1e}.",
    # 3
    "bert_gpt.s_masks": "3. 같은 문장, 두 가지 마스크",
    "bert_gpt.masks_md": "회색 칸은 소프트맥스(softmax) 전에 −∞이므로 가중치가 정확히 0입니다. GPT의 토큰 t는 미래를 절대 "
                         "보지 못합니다. 그래서 GPT는 모든 위치를 한 번의 계산으로 학습할 수 있고(8절), 글을 쓸 수 있습니다.",
    "bert_gpt.layer": "층(layer)",
    "bert_gpt.head": "헤드(head)",
    "bert_gpt.q_mask": "GPT는 이 문장을 T = {T}개의 토큰으로 읽습니다. 인과 마스크의 T × T 칸 가운데 보이는(파란) 칸은 "
                       "몇 개일까요?",
    "bert_gpt.q_mask_why": "행 t는 토큰 0…t, 즉 t + 1칸을 봅니다: 1 + 2 + … + {T} = {T}·({T} + 1)/2. 여기서는 마스크 "
                           "자체에서 셌습니다(BERT는 {T}²칸을 모두 봅니다).",
    "bert_gpt.mask_title_bidirectional": "{model}: 양방향 (전체 {size}칸 중 {n}칸 보임)",
    "bert_gpt.mask_title_causal": "{model}: 인과 (전체 {size}칸 중 {n}칸 보임)",
    "bert_gpt.q_mask_wait": "GPT의 인과 마스크와 어텐션(회색 칸이 가려진 칸입니다)은 위 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "bert_gpt.att_title": "{model}의 어텐션, 층 {layer}, 헤드 {head}",
    # 4
    "bert_gpt.s_heads": "4. 누가 누구를 보는가 ({look}, 층 {layer}, 헤드 {head})",
    "bert_gpt.heads_md": "각 선은 토큰(왼쪽)에서 그 토큰이 주의를 기울이는 토큰(오른쪽)으로 이어지며, 굵을수록 가중치가 "
                         "큽니다. 왼쪽의 토큰을 클릭하거나(아래에서 골라도 됩니다) 그 선을 따라가 보고, 마우스를 올려 "
                         "가중치를 확인하세요.",
    "bert_gpt.query": "쿼리(query) 토큰",
    "bert_gpt.headview_title": "{model} 층 {layer}, 헤드 {head}",
    "bert_gpt.matrix_title": "{T}×{T} 행렬 (각 행의 합은 1)",
    "bert_gpt.row_caption": "행 {q} ({tok}): {top} · 행의 합 {sum:.4f} · 헤드 {h}개, 각각 d = {D}/{h} = {d}차원.",
    # 5
    "bert_gpt.s_summary": "5. {look}의 모든 헤드를 한눈에",
    "bert_gpt.summary_md": "모든 층의 모든 헤드를 한 번에 봅니다(BertViz의 모델 뷰). 헤드는 전문화됩니다. 어떤 헤드는 이전 "
                           "토큰을, 어떤 헤드는 첫 토큰(어텐션을 맡겨 두는 자리)을 보고, 어떤 헤드는 고르게 퍼집니다.",
    "bert_gpt.summary_caption": "각 헤드에는 이 문장에서 하는 일을 이름으로 붙였습니다. 행 2…T−1에 대한 평균 가중치가 가장 "
                                "큰 위치(이전 토큰 A[i,i−1], 첫 토큰 A[i,0], 자기 자신 A[i,i], 다음 토큰 A[i,i+1], 마지막 "
                                "토큰 A[i,T−1])가 40% 이상이면 그 이름을, 아니면 '넓게'(엔트로피가 최댓값의 60% 이상) 또는 "
                                "'섞임'을 붙입니다. 개수: {counts}.",
    "bert_gpt.q_heads": "이 문장에서 {model}의 헤드 {n}개 가운데 가장 흔한 종류는 무엇일까요?",
    "bert_gpt.q_heads_why": "이 문장의 맵에서 잰 값: {counts}.",
    "bert_gpt.q_heads_wait": "답하기 전에는 헤드에 이름이 없습니다. 각 맵의 이름(그 헤드가 하는 일)과 개수는 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "bert_gpt.pattern_previous_token": "이전 토큰",
    "bert_gpt.pattern_first_token": "첫 토큰",
    "bert_gpt.pattern_itself": "자기 자신",
    "bert_gpt.pattern_next_token": "다음 토큰",
    "bert_gpt.pattern_last_token": "마지막 토큰",
    "bert_gpt.pattern_broad": "넓게",
    "bert_gpt.pattern_mixed": "섞임",
    # 6
    "bert_gpt.s_fill": "6. BERT가 가려진 단어를 채웁니다",
    "bert_gpt.fill_md": "토큰 하나를 [MASK] 뒤에 숨기세요. BERT의 마스크 언어 모델(masked-LM) 헤드는 그 위치의 벡터를 어휘의 "
                        "모든 단어에 대한 점수로 바꾸며, 빈칸의 **양쪽**을 모두 읽습니다.",
    "bert_gpt.mask_pos": "가릴 토큰",
    "bert_gpt.fill_title": "위치 {pos}의 [MASK]: BERT의 추측",
    "bert_gpt.its_rank": "원래 토큰의 순위",
    "bert_gpt.entropy": "엔트로피 (nats)",
    "bert_gpt.gpt_left": "**GPT는 왼쪽만 읽습니다.** 위치 {pos}에서의 추측: `{guess}` ({p:.3f}); p({tok}) = {p_tok:.3f}.",
    "bert_gpt.fill_card": "보류 데이터(모델 카드, 가려진 토큰 {n:,}개): BERT는 {acc:.1%}를 맞힙니다. 가장 흔한 토큰"
                          "('{unigram}')만 찍으면 {uacc:.1%}입니다.",
    "bert_gpt.no_mlm": "이 BERT 체크포인트에는 마스크 언어 모델 헤드가 없어서 단어를 채울 수 없습니다.",
    "bert_gpt.recipe_md": "**BERT의 학습 방법**: 토큰의 15%를 고르고, 그중 80%는 [MASK], 10%는 무작위 토큰으로 바꾸고, "
                          "10%는 그대로 둡니다. 손실은 고른 토큰만 셉니다(그래서 BERT는 모든 토큰의 벡터를 쓸모 있게 "
                          "유지해야 합니다).",
    "bert_gpt.seed": "추첨 (시드)",
    "bert_gpt.chosen": "선택됨",
    "bert_gpt.chosen_help": "일반 토큰 중, {draws:,}번 추첨 (목표 15%)",
    "bert_gpt.how_help": "선택된 것 중 (목표 80 / 10 / 10%)",
    "bert_gpt.draw_loss": "이번 추첨의 손실",
    "bert_gpt.nothing_chosen": "선택된 것 없음",
    # 7
    "bert_gpt.s_generate": "7. GPT가 한 토큰씩 씁니다",
    "bert_gpt.generate_md": "마지막 토큰 뒤의 점수 z가 분포가 됩니다. **온도(temperature)** τ는 분포를 날카롭게(<1) 또는 "
                            "평평하게(>1) 만들고, **top-k**는 가장 좋은 k개를, **top-p**는 확률의 합이 p가 되는 최소한의 "
                            "토큰을 남깁니다. 토큰 하나를 뽑아 붙이고, 모델을 다시 실행합니다. <eos>나 길이 제한까지 "
                            "반복합니다.",
    "bert_gpt.temperature": "온도 τ",
    "bert_gpt.top_k": "top-k (0 = 전부)",
    "bert_gpt.sampling_seed": "샘플링 시드",
    "bert_gpt.q_next": "“{after}” 다음에 GPT가 가장 그럴듯하다고 보는 토큰(탐욕적 디코딩이 쓰는 토큰)은 무엇일까요?",
    "bert_gpt.q_next_why": "점수 z가 가장 커서 보통의 소프트맥스 확률도 가장 큽니다: p = {p:.3f}. 샘플링은 그래도 다른 "
                           "토큰을 뽑을 수 있고, 온도·top-k·top-p가 그 빈도를 바꿉니다.",
    "bert_gpt.next_title": "“{after}” 다음: 다음 토큰",
    "bert_gpt.q_next_wait": "다음 토큰의 확률 막대는 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "bert_gpt.kept": "남은 토큰",
    "bert_gpt.kept_mass": "남은 토큰의 원래 확률",
    "bert_gpt.entropy_change": "엔트로피 (nats), 전 → 후",
    "bert_gpt.next_btn": "다음 토큰",
    "bert_gpt.all_btn": "<eos>까지 쓰기",
    "bert_gpt.reset": "처음으로",
    "bert_gpt.step_title": "{k}단계: {prev} → {tok} (p {p:.3f}); 그 어텐션, 층 {layer}, 헤드 {head}",
    "bert_gpt.stop_eos": "멈춤: <eos>.",
    "bert_gpt.stop_length": "멈춤: 길이 제한.",
    "bert_gpt.written": "프롬프트 {n}개 뒤에 토큰 {k}개를 썼습니다.",
    # 8
    "bert_gpt.s_teacher": "8. 교사 강요(teacher forcing): 한 번의 계산으로 모든 위치의 손실",
    "bert_gpt.teacher_md": "학습할 때는 정답 문장을 넣고 모든 위치에 다음 토큰을 한꺼번에 묻습니다. 마스크가 위치 t가 토큰 "
                           "t+1을 보지 못하게 하므로, 한 번의 계산이 T번의 따로 한 예측과 같습니다(아래에서 한 토큰씩 한 "
                           "계산과 비교합니다).",
    "bert_gpt.mean_loss": "평균 손실",
    "bert_gpt.perplexity": "퍼플렉서티 e^손실",
    "bert_gpt.one_pass": "한 번에 vs 한 단계씩",
    "bert_gpt.one_pass_help": "{steps}단계에 걸친 max |Δ 로짓|",
    "bert_gpt.card_perplexity": "보류 데이터 퍼플렉서티 (카드)",
    "bert_gpt.card_perplexity_help": "유니그램 {unigram_perplexity:.1f}, 바이그램 {bigram_perplexity:.1f}; 문법에 맞는 "
                                     "샘플 {grammatical:.0%}",
    # 9
    "bert_gpt.s_cache": "9. KV 캐시가 아끼는 것",
    "bert_gpt.cache_md": "인과 마스크 아래에서는 앞선 토큰의 키(key)와 값(value)이 변하지 않으므로, 한 단계는 그것을 보관하고 "
                         "새 토큰만 계산하면 됩니다. 아래의 횟수는 가중치의 모양에서 나옵니다(qkv: 3D × D, MLP: M × D).",
    "bert_gpt.cache_caption": "이 프롬프트(토큰 {n}개)와 새 토큰 {k}개에 대해; 가중치에서 읽은 L = {L}, D = {D}, M = {M}.",
    "bert_gpt.macs_full": "곱셈-덧셈, 캐시 없이",
    "bert_gpt.macs_cached": "캐시 사용",
    "bert_gpt.ratio": "비율",
    "bert_gpt.numel_help": "2·L·T·D = {formula:,}; {kib:.0f} KiB; 한 층의 k: {shape}",
    # 10
    "bert_gpt.s_pronoun": "10. “it”은 어디를 볼까? ({look})",
    "bert_gpt.pronoun_md": "“The animal didn't cross the street because it was too tired”에서 “it”은 동물(animal)이고, "
                           "“too wide”라면 길(street)입니다. “it”에서 나온 헤드의 어텐션은 가리키는 명사에서 가장 클까요? "
                           "이 문장에서 헤드마다 재고, (작은 모델은) 보류 텍스트에서 아무것도 풀지 못하는 두 기준선, 즉 "
                           "늘 첫 명사를 고르기와 늘 대명사 바로 앞의 명사를 고르기와 비교합니다.",
    "bert_gpt.pronoun_hits": "헤드 {n}개 중 {hits}개가 지시 대상에서 가장 큽니다.",
    "bert_gpt.pronoun_none": "이 문장의 지시 대상은 알려져 있지 않습니다. 글자는 각 헤드의 행이 가장 큰 토큰입니다.",
    "bert_gpt.no_pronoun": "이 문장에는 'it'이나 'they'가 없습니다. 대명사가 있는 예제를 고르세요.",
    "bert_gpt.coref_card": "**{model}, 보류 텍스트에서 잰 값(모델 카드):** {verdict}",
    "bert_gpt.coref_beaten_1": "헤드 {k}개가 더 나은 기준선({base:.0%})을 넘습니다. 가장 좋은 층 {layer} 헤드 {head}는 대명사 "
                               "{n}개 중 {share:.0%}에서 지시 대상에 가장 큰 가중치를 둡니다.",
    "bert_gpt.coref_beaten_n": "헤드 {k}개가 더 나은 기준선({base:.0%})을 넘습니다. 가장 좋은 층 {layer} 헤드 {head}는 대명사 "
                               "{n}개 중 {share:.0%}에서 지시 대상에 가장 큰 가중치를 둡니다.",
    "bert_gpt.coref_none": "기준선을 넘는 헤드가 없습니다. 가장 좋은 층 {layer} 헤드 {head}도 대명사 {n}개 중 {share:.0%}"
                           "에서만 지시 대상에 가장 큰 가중치를 두는데, 늘 첫 명사를 보면 {first:.0%}, 가장 가까운 명사를 "
                           "보면 {nearest:.0%}입니다. 어떤 헤드의 어텐션도 위치만으로 고르는 것보다 지시 대상을 더 자주 "
                           "집어내지 못합니다.",
    # 11
    "bert_gpt.s_uses": "11. 언제 무엇을 쓸까",
    "bert_gpt.uses_md": "같은 블록, 다른 마스크와 과제. 인코더는 텍스트 전체를 반영한 벡터를 토큰마다 주므로 이해에 좋습니다. "
                        "디코더는 다음 토큰의 분포를 주므로 글쓰기에 좋습니다. 인코더–디코더(다음 강의)는 번역을 위해 둘을 "
                        "합칩니다.",
    "bert_gpt.col_bert": "BERT (인코더)",
    "bert_gpt.col_gpt": "GPT (디코더)",
    "bert_gpt.uses_mask": "마스크",
    "bert_gpt.uses_mask_bert": "없음: 모든 토큰이 모든 토큰을 봄",
    "bert_gpt.uses_mask_gpt": "인과: 토큰 t는 토큰 0..t를 봄",
    "bert_gpt.uses_trained": "학습 과제",
    "bert_gpt.uses_trained_bert": "가려진 15%의 토큰 채우기",
    "bert_gpt.uses_trained_gpt": "모든 다음 토큰 예측하기",
    "bert_gpt.uses_pass": "한 번의 계산이 주는 것",
    "bert_gpt.uses_pass_bert": "양쪽을 아는, 토큰마다의 벡터",
    "bert_gpt.uses_pass_gpt": "모든 위치에서의 다음 토큰 분포",
    "bert_gpt.uses_good": "잘하는 일",
    "bert_gpt.uses_good_bert": "텍스트 분류, 단어 태깅, 빈칸 채우기, 검색",
    "bert_gpt.uses_good_gpt": "글쓰기: 이어 쓰기, 답하기, 번역, 대화",
    "bert_gpt.uses_write": "토큰 n개를 쓰려면",
    "bert_gpt.uses_write_bert": "그런 용도가 아님 (왼쪽에서 오른쪽 순서가 없음)",
    "bert_gpt.uses_write_gpt": "n단계, 단계마다 KV 캐시 재사용",
    "bert_gpt.uses_params": "여기 모델의 파라미터 수",
    # 그림 (mmviz.figures.bert_gpt)
    "bert_gpt.fig_token": "토큰 E[id]",
    "bert_gpt.fig_position": "위치 P[t]",
    "bert_gpt.fig_segment": "세그먼트 S[0]",
    "bert_gpt.fig_x0_ln": "x₀ = LayerNorm(합)",
    "bert_gpt.fig_x0_sum": "x₀ = 합",
    "bert_gpt.fig_dims": "차원 ({D}개 중 처음 {d}개)",
    "bert_gpt.fig_colours": "색 범위 ±{lim}",
    "bert_gpt.fig_hover_token": "토큰",
    "bert_gpt.fig_hover_dim": "차원",
    "bert_gpt.fig_key_seen": "키 (볼 수 있는 토큰)",
    "bert_gpt.fig_probability": "확률",
    "bert_gpt.fig_both_sides": "p(토큰 | 양쪽)",
    "bert_gpt.fig_not_chosen": "선택 안 됨",
    "bert_gpt.fig_random": "무작위 토큰",
    "bert_gpt.fig_kept": "그대로",
    "bert_gpt.fig_original": "원래 토큰",
    "bert_gpt.fig_reads": "BERT가 읽는 것",
    "bert_gpt.fig_guess": "추측",
    "bert_gpt.fig_original_token": "원래 토큰",
    "bert_gpt.fig_recipe_title": "학습 방법을 거친 뒤 BERT가 읽는 것 (색: 토큰에 일어난 일)",
    "bert_gpt.fig_after_controls": "온도, top-k, top-p를 거친 뒤",
    "bert_gpt.fig_attention_weight": "어텐션 가중치",
    "bert_gpt.fig_truth": "위치 %{{x}}: 정답은 %{{customdata[0]}}",
    "bert_gpt.fig_truth_p": "p(정답) %{{customdata[1]:.3f}}, 손실 −log p = %{{y:.3f}}",
    "bert_gpt.fig_best_guess": "최선의 추측 %{{customdata[2]}} (%{{customdata[3]:.3f}})<extra></extra>",
    "bert_gpt.fig_mean": "평균",
    "bert_gpt.fig_mean_loss": "평균 손실 {m}<extra></extra>",
    "bert_gpt.fig_nll": "−log p(다음 토큰)",
    "bert_gpt.fig_tf_title": "교사 강요: 한 번의 계산에서 나온 손실 {n}개 (평균 {m})",
    "bert_gpt.fig_no_cache": "캐시 없음: 전체 시퀀스를 다시",
    "bert_gpt.fig_kv_cache": "KV 캐시: 새 토큰만",
    "bert_gpt.fig_macs_step": "단계 %{{x}}: 곱셈-덧셈 %{{y:,.0f}}번<extra></extra>",
    "bert_gpt.fig_gen_step": "생성 단계",
    "bert_gpt.fig_macs_log": "곱셈-덧셈 (로그 눈금)",
    "bert_gpt.fig_macs_title": "생성한 토큰 하나당 곱셈-덧셈",
    "bert_gpt.fig_layer_head": "층 %{{y}}, 헤드 %{{x}}",
    "bert_gpt.fig_coref_title": "보류 대명사 {n}개: 행이 지시 대상에서 가장 큰 비율",
    "bert_gpt.fig_coref_sub": "<span style='font-size:13px'>파랑: 더 나은 기준선보다 위 (첫 명사 {a}, 가장 가까운 명사 {b}); "
                              "빨강: 아래</span>",
    "bert_gpt.fig_coref_hover": "대명사의 %{{z:.1%}}에서 지시 대상에 가장 큰 가중치",
    "bert_gpt.fig_coref_base": "(더 나은 기준선 {b})<extra></extra>",
    "bert_gpt.fig_where_looks": "{p}은(는) 어디를 보는가",
    "bert_gpt.fig_where_sub": "<span style='font-size:13px'>색: {what}; 글자: 행이 가장 큰 토큰</span>",
    "bert_gpt.fig_weight_on": "{r}에 대한 가중치",
    "bert_gpt.fig_no_referent": "알려진 지시 대상 없음",
    "bert_gpt.fig_peak": "최댓값: %{{text}}",
    "bert_gpt.fig_weight_on_hover": "{r}에 대한 가중치: %{{z:.3f}}<extra></extra>",
    "bert_gpt.fig_no_referent_hover": "알려진 지시 대상 없음: %{{z:.3f}}<extra></extra>",
    "bert_gpt.fig_prev": "이전 {v}",
    "bert_gpt.fig_first": "첫 토큰 {v}",
    "bert_gpt.fig_self": "자신 {v}",
    "bert_gpt.fig_next": "다음 {v}",
    "bert_gpt.fig_last": "마지막 {v}",
    "bert_gpt.fig_broad": "넓게 {v}",
    "bert_gpt.fig_mixed": "섞임",
}
