"""인코더–디코더 (pages/8_encoder_decoder.py, mmviz.figures.encoder_decoder)."""

STRINGS = {
    "encoder_decoder.title": "인코더–디코더와 교차 어텐션",
    "encoder_decoder.s_intro": "내 문장과 번역기",
    "encoder_decoder.intro": "원래의 트랜스포머(Transformer, Vaswani 외, 2017)는 두 개의 스택으로 번역합니다. **인코더**"
                             "(encoder)는 원문 전체를 읽으며, 모든 단어가 모든 단어를 봅니다. **디코더**(decoder)는 번역을 "
                             "한 토큰(token)씩 씁니다. 지금까지 쓴 것만 보고(GPT처럼 마스크됨), 모든 블록에서 **교차 "
                             "어텐션(cross-attention)으로 원문을 읽습니다**. 쿼리(query)는 번역문에서, 키(key)와 값(value)은 "
                             "인코더의 출력 H (S × D)에서 옵니다. 새로 쓰는 각 단어(지금까지의 Y: T × D)는 원문의 어느 "
                             "단어를 볼까요?",
    "encoder_decoder.model": "모델",
    "encoder_decoder.missing": "학습된 작은 번역기가 아직 없어서, 학습되지 않은 쌍둥이(무작위 가중치)가 대신합니다. 그 번역과 "
                               "어텐션은 잡음입니다.",
    "encoder_decoder.marian_note": "영어 → 독일어, 실제 Marian 모델",
    "encoder_decoder.load_error": "{name}을(를) 불러오지 못했습니다: {why}",
    "encoder_decoder.text_label": "번역할 영어 문장",
    "encoder_decoder.unknown_1": "작은 번역기는 도형 세계의 문법만 배웠고, 이 텍스트의 단어 {n}개를 모릅니다: {words}. 그래도 "
                                 "무언가 쓰겠지만, 본 적 없는 것은 번역할 수 없습니다.",
    "encoder_decoder.unknown_n": "작은 번역기는 도형 세계의 문법만 배웠고, 이 텍스트의 단어 {n}개를 모릅니다: {words}. 그래도 "
                                 "무언가 쓰겠지만, 본 적 없는 것은 번역할 수 없습니다.",
    "encoder_decoder.not_grammar": "모든 단어를 알지만 이 텍스트는 문법에 맞는 문장이 아니어서({reason}) 비교할 참조 번역이 "
                                   "없습니다.",
    "encoder_decoder.translating": "한 토큰씩 번역하는 중…",
    # 1
    "encoder_decoder.s_translation": "1. 번역",
    "encoder_decoder.source": "**원문** ({tokenizer}, S = 토큰 {S}개, 끝 토큰으로 끝남):",
    "encoder_decoder.written": "**디코더가 쓴 것**, 탐욕적으로(단계마다 가장 그럴듯한 토큰), 토큰 {n}개, 멈춘 이유:",
    "encoder_decoder.stopped_eos": "끝 토큰",
    "encoder_decoder.stopped_length": "길이 제한 ({max})",
    "encoder_decoder.reference": "문법의 참조 번역: **{korean}** ·",
    "encoder_decoder.same": "모델이 정확히 이렇게 썼습니다.",
    "encoder_decoder.different": "모델은 다르게 썼습니다.",
    "encoder_decoder.exact": "보류 데이터 완전 일치",
    "encoder_decoder.exact_help": "탐욕적 디코딩, 새 텍스트 {n}개 (카드)",
    "encoder_decoder.aligned": "올바른 단어에 둔 교차 어텐션",
    "encoder_decoder.aligned_help": "마지막 층의 헤드 평균, 그 단어를 쓰는 단계에서 (카드)",
    "encoder_decoder.diagonal": "대각선이라면",
    "encoder_decoder.diagonal_help": "번역 단어 k에 원문 단어 k/K·S",
    # 2
    "encoder_decoder.s_kinds": "2. 세 종류의 어텐션",
    "encoder_decoder.kind": "어텐션 종류",
    "encoder_decoder.kind_encoder": "인코더 셀프 어텐션",
    "encoder_decoder.kind_decoder": "디코더 마스크드 셀프 어텐션",
    "encoder_decoder.kind_cross": "교차 어텐션",
    "encoder_decoder.hover_encoder": "인코더 셀프 어텐션: Q, K, V 모두 원문(토큰 {S}개)에서; 마스크 없음; 층 {L}개 × 헤드 "
                                     "{h}개, 각각 {S}×{S}",
    "encoder_decoder.hover_decoder": "디코더 마스크드 셀프 어텐션: Q, K, V 모두 지금까지의 번역문(토큰 {n}개)에서; 인과 "
                                     "마스크",
    "encoder_decoder.hover_cross": "교차 어텐션: Q는 번역문({n})에서, K와 V는 인코더 출력({S})에서; 헤드마다 {n}×{S}",
    "encoder_decoder.hover_cross_open": "교차 어텐션: Q는 번역문({n})에서, K와 V는 인코더 출력({S})에서",
    "encoder_decoder.about_encoder": "**인코더 셀프 어텐션.** 모든 원문 토큰이 모든 원문 토큰을 봅니다(패딩만 가려집니다). "
                                     "인코더는 문장마다 한 번 실행되고, 그 출력 H가 기억이 됩니다.",
    "encoder_decoder.about_decoder": "**디코더 마스크드 셀프 어텐션.** 각 번역 토큰은 자기 앞의 번역 토큰과 자기 자신만 "
                                     "보고 앞으로는 보지 않습니다. GPT와 똑같습니다. 생성할 때는 미래가 아직 없기 "
                                     "때문입니다.",
    "encoder_decoder.about_cross": "**교차 어텐션.** 디코더의 쿼리가 인코더의 출력을 봅니다. 번역이 원문을 읽는 곳이 바로 "
                                   "여기입니다. 행 t는 번역 토큰 t를 쓰는 단계입니다.",
    "encoder_decoder.shape_caption": "이 문장: 헤드마다 쿼리 {Tq}개 × 키 {Tk}개, 층 {L}개 × 헤드 {h}개. 그림의 상자에 "
                                     "마우스를 올리면 모양이 보입니다.",
    "encoder_decoder.q_scores": "디코더는 원문 토큰 {S}개에서 토큰 {n}개를 썼습니다. 이 번역에서 헤드 하나가 계산하는 교차 "
                                "어텐션 가중치는 몇 개일까요?",
    "encoder_decoder.q_scores_why": "(번역 쿼리, 원문 키) 쌍마다 가중치 하나: {n} × {S}. 층 {L}개 × 헤드 {h}개를 합치면 "
                                    "텐서에 {total:,}개가 있습니다.",
    "encoder_decoder.q_scores_wait": "헤드 하나의 교차 어텐션 모양은 아래 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "encoder_decoder.layer": "층(layer)",
    "encoder_decoder.head": "헤드(head)",
    "encoder_decoder.query": "쿼리 토큰 (또는 선들의 왼쪽에서 클릭)",
    "encoder_decoder.view_title": "{kind}, 층 {layer}, 헤드 {head}",
    "encoder_decoder.matrix": "{Tq}×{Tk} 행렬",
    "encoder_decoder.matrix_open": "어텐션 행렬",
    "encoder_decoder.grid_caption": "이 종류의 어텐션에서 모든 층의 모든 헤드 (고른 헤드는 테두리). 헤드마다 색 범위가 "
                                    "0부터 자기 최댓값까지입니다.",
    # 3
    "encoder_decoder.s_align": "3. 교차 어텐션은 번역하는 단어를 찾을까?",
    "encoder_decoder.avg": "층의 헤드를 평균 (모델 카드의 측정 방법)",
    "encoder_decoder.align_md": "한국어는 동사를 끝에 두고 관계를 기준 대상 뒤에 두므로 실제 정렬(초록)은 **대각선이 "
                                "아닙니다**. 여기서는 디코더에 문법의 참조 번역을 넣으므로(학습 때처럼 교사 강요) 각 행은 참조 "
                                "단어 하나를 쓰는 단계입니다.",
    "encoder_decoder.what_mean": "층 {layer}, 헤드 평균",
    "encoder_decoder.what_head": "층 {layer}, 헤드 {head}",
    "encoder_decoder.align_title": "교차 어텐션, {what}",
    "encoder_decoder.align_caption": "이 문장에서 정렬된 단어 {n}개. 가장 좋은 헤드 하나가 그중 {best:.0%}를 찾고, 마지막 "
                                     "층의 헤드 평균은 {last:.0%}를 찾습니다{extra}.",
    "encoder_decoder.align_card": " (보류 텍스트 {n}개에서: {share:.0%})",
    "encoder_decoder.no_alignment": "문법의 실제 정렬은 작은 영어 → 한국어 모델과 그 문법의 문장에만 있습니다(예제를 "
                                    "고르세요). 2절은 모델 자신의 번역에 대한 교차 어텐션을 보여 줍니다.",
    # 4
    "encoder_decoder.s_steps": "4. 한 단계씩 디코딩",
    "encoder_decoder.steps_md": "단계 t에서 디코더는 가장 새 토큰만 계산하고(그 키와 값은 캐시에 들어가며, 인코더의 키와 "
                                "값은 한 번만 계산합니다), 교차 어텐션의 행은 단어 t를 고르는 동안 원문의 어디를 읽는지 "
                                "보여 줍니다(초록: 모델이 참조 번역을 썼을 때 문법이 짝지은 원문 단어).",
    "encoder_decoder.step": "단계",
    "encoder_decoder.q_read": "“{tok}”을(를) 쓰는 동안 디코더가 가장 많이 읽는 원문 토큰은 무엇일까요 (이 층과 헤드)?",
    "encoder_decoder.q_read_why": "교차 어텐션 행이 “{tok}”에 가중치 {w:.3f}를 두며, 다른 어떤 원문 토큰보다 큽니다 "
                                  "(아래 막대).",
    "encoder_decoder.q_read_wait": "이 단계의 교차 어텐션 행 막대(와 쓸 후보들)는 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "encoder_decoder.step_title": "{step}단계에서 {tok}을(를) 씀: 교차 어텐션 (층 {layer}, {what})과 후보",
    "encoder_decoder.mean_heads": "헤드 평균",
    "encoder_decoder.head_n": "헤드 {head}",
    "encoder_decoder.step_caption": "디코딩 중에 저장한 행은 2절의 전체 계산의 행과 같습니다: max |Δ| = {diff:.1e}.",
    # 그림
    "encoder_decoder.fig_self": "셀프 어텐션",
    "encoder_decoder.fig_no_mask": "(마스크 없음)",
    "encoder_decoder.fig_masked_self": "마스크드 셀프 어텐션",
    "encoder_decoder.fig_causal": "(인과)",
    "encoder_decoder.fig_cross": "교차 어텐션",
    "encoder_decoder.fig_q_target": "Q 번역문 · K, V 원문",
    "encoder_decoder.fig_ffn": "피드포워드",
    "encoder_decoder.fig_src_tokens": "원문 토큰 (영어)",
    "encoder_decoder.fig_embed_pos": "임베딩 + 위치",
    "encoder_decoder.fig_target_so_far": "지금까지의 번역문, 오른쪽으로 한 칸 밀기",
    "encoder_decoder.fig_output": "Linear + softmax → 다음 토큰",
    "encoder_decoder.fig_encoder_n": "<b>인코더</b> ×{n}",
    "encoder_decoder.fig_decoder_n": "<b>디코더</b> ×{n}",
    "encoder_decoder.fig_enc_output": "인코더 출력 H → K, V",
    "encoder_decoder.fig_every_cross": "모든 교차 어텐션으로",
    "encoder_decoder.fig_source_hover": "원문 %{{x}}: %{{customdata}}",
    "encoder_decoder.fig_cross_weight": "교차 어텐션 가중치",
    "encoder_decoder.fig_probability": "확률",
    "encoder_decoder.fig_right_word": "단어 {n}개 중 %{{z:.0%}}에서 올바른 원문 단어에 가장 큰 가중치<extra></extra>",
    "encoder_decoder.fig_right_title": "헤드별로 올바른 원문 단어 (마지막 층의 헤드 평균: {m})",
    "encoder_decoder.fig_query_target": "쿼리 (번역문)",
    "encoder_decoder.fig_query_source": "쿼리 (원문)",
    "encoder_decoder.fig_key_source": "키 (원문)",
    "encoder_decoder.fig_key_target": "키 (번역문)",
    "encoder_decoder.fig_korean_word": "한국어 단어",
    "encoder_decoder.fig_english_source": "영어 원문",
    "encoder_decoder.fig_korean_written": "쓴 한국어 단어",
    "encoder_decoder.fig_english_token": "영어 원문 토큰",
    "encoder_decoder.fig_head_max": "헤드 {h} · 최대 {m}",
}
