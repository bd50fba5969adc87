"""멀티모달 융합 (pages/10_fusion.py, mmviz.ui.fusion, mmviz.figures.fusion)."""

STRINGS = {
    "fusion.title": "멀티모달 융합",
    "fusion.s_inputs": "내 이미지와 내 질문",
    "fusion.intro": "이미지가 패치 토큰(patch token)의 한 줄이 되고 질문이 단어 토큰의 한 줄이 되면, 트랜스포머(transformer)는 "
                    "둘을 섞을 수 있습니다. **두 흐름이 어디서 만나는가**가 설계의 선택입니다. 이 강의가 따르는 서베이(Xu, "
                    "Zhu & Clifton, *Multimodal Learning with Transformers: A Survey*, 그림 (a)–(f))는 여섯 가지 방법을 "
                    "꼽습니다. 여기서는 방법마다 하나씩, 같은 폭(96), 같은 깊이(블록 4개), 같은 데이터로 학습한 작은 모델 "
                    "여섯 개가 도형에 관한 질문에 답합니다. 모두 같은 어텐션(attention)을 계산하며, 다른 것은 **어떤 "
                    "토큰이 어떤 토큰을 읽을 수 있는가**, 즉 마스크(mask) M뿐입니다:",
    "fusion.missing": "아직 학습되지 않음: **{names}**. 모델의 가중치가 assets/models/에 생기기 전까지 그 행은 **학습되지 않은 "
                      "구조**(무작위 융합 블록, 학습 때처럼 고정된 CNN)를 보여 줍니다. 그림, 마스크, 개수는 진짜지만 답은 "
                      "잡음입니다. `python -m mmviz.train {first}`로 학습하세요(CPU 스레드 하나로 약 한 시간).",
    "fusion.bad_image": "이 이미지를 읽지 못했습니다: {why}",
    "fusion.resized": "**{name}** ({w}×{h}) → 가운데를 정사각형으로 잘라 {S}×{S} px로 줄임 ({p} px 패치 {n}개).",
    "fusion.as_is": "**{name}**, 64×64 픽셀.",
    "fusion.question": "아래 이미지에 대한 내 질문 (“?”로 끝남; 최대 12단어까지 읽음)",
    "fusion.photo": "여섯 모델은 **64×64 도형 세계 장면**(단색이나 그라데이션 배경 위에 종류와 색이 다른 도형 두세 개)에서만 "
                    "학습했습니다. 사진에도 답은 하지만(답 19개 중 하나를 골라야 하므로), 거기 없는 도형에 대한 답입니다. "
                    "모델이 아는 데이터를 보려면 **도형 장면**을 고르세요.",
    "fusion.q_empty": "질문이 비어 있습니다. 질문을 입력하거나 예제 질문을 클릭하세요.",
    "fusion.q_cut": "질문은 토큰 {n:,}{more}개인데 모델은 최대 {max}개까지 읽으므로 앞의 {max}개로 잘랐습니다.",
    "fusion.q_unknown": "모델의 작은 어휘 밖의 단어(각각 모델이 아무것도 배우지 않은 토큰 [UNK]가 됨): {words}. 모델이 아는 "
                        "단어 {n}개: {vocab}.",
    "fusion.until": "질문을 입력하기 전까지 모델은 예제 질문 “{q}”에 답합니다.",
    "fusion.tokens_caption": "질문 토큰 L = {L}개(단어마다 하나, “?” 포함); 이미지는 토큰 N = 64개를 줍니다. 각 토큰은 96개의 "
                             "숫자로 된 벡터가 됩니다. 단어의 임베딩(embedding), 또는 패치의 픽셀과 CNN 특징에 위치와 "
                             "모달리티를 더한 것입니다.",
    "fusion.reading": "여섯 모델이 질문을 읽는 중…",
    "fusion.src_scene": "도형 장면",
    "fusion.src_sidebar": "사이드바",
    "fusion.src_upload": "업로드",
    "fusion.new_scene": "새 무작위 장면",
    "fusion.new_scene_help": "mmviz.data.vqa.scene의 도형 두세 개 (시드 고정).",
    "fusion.scene_name": "도형 세계 장면 #{seed}: {what}",
    # 여섯 설계의 이름
    "fusion.survey_a": "이른 합 (early summation)",
    "fusion.survey_b": "이른 연결 (early concatenation)",
    "fusion.survey_c": "계층적 어텐션 (여러 흐름 → 한 흐름)",
    "fusion.survey_d": "계층적 어텐션 (한 흐름 → 여러 흐름)",
    "fusion.survey_e": "교차 어텐션 (cross-attention)",
    "fusion.survey_f": "교차 어텐션 후 연결",
    "fusion.short_a": "이른 합",
    "fusion.short_b": "이른 연결",
    "fusion.short_c": "여러 흐름 → 한 흐름",
    "fusion.short_d": "한 흐름 → 여러 흐름",
    "fusion.short_e": "교차 어텐션",
    "fusion.short_f": "교차 어텐션 → 연결",
    "fusion.kind_joint": "한 흐름: 모든 토큰이 모든 토큰을 읽음",
    "fusion.kind_text": "질문만: 단어가 단어를 읽음",
    "fusion.kind_image": "이미지만: 패치가 패치를 읽음",
    "fusion.kind_text<-image": "교차: 단어가 패치를 읽음",
    "fusion.kind_image<-text": "교차: 패치가 단어를 읽음",
    # 1
    "fusion.s_answers": "1. 여섯 설계가 내 질문에 답합니다",
    "fusion.q_best": "막대를 보기 전에: 어느 설계가 이 질문에 가장 자신 있게 답할까요 (학습된 모델이 학습되지 않은 모델보다 "
                     "먼저)?",
    "fusion.q_best_why": "({k})는 **{answer}**라고 p = {p:.0%}로 답하며, 여섯 모델 중 최고 확률이 가장 큽니다.{truth}",
    "fusion.q_best_wait": "여섯 설계의 답과 확률은 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "fusion.trained": "학습됨",
    "fusion.untrained": "학습 안 됨: 잡음",
    "fusion.true_answer": "**정답: {truth}** (초록).",
    "fusion.one_softmax": "모든 모델은 같은 답 19개(색 9개, 종류 6개, yes, no, 2, 3)에 대한 소프트맥스(softmax) 하나로 끝납니다.",
    # 2
    "fusion.s_designs": "2. 흐름이 만나는 곳: 모델에서 그린 여섯 설계",
    "fusion.design": "들여다볼 설계 (2–5절)",
    "fusion.rule_head": "**({k}) {name}**, `FusionVQA.forward`가 계산하는 것 (w: 질문 토큰, v: 이미지 토큰, Block: 셀프 어텐션 "
                        "+ MLP, CA: 교차 어텐션, 쿼리는 왼쪽에서):",
    "fusion.designs_caption": "상자 하나는 `model.plan()`의 블록 하나이며 실행 순서대로 놓였습니다. 마우스를 올리면 어텐션의 "
                              "모양과 파라미터 수가 보입니다. 교차 블록의 화살표는 그 블록이 읽는 흐름(키와 값)에서 옵니다.",
    # 3
    "fusion.s_masks": "3. 어떤 토큰이 어떤 토큰을 읽는가: 내 질문에서 ({k})의 모든 블록",
    "fusion.masks_md": "설계는 곧 **마스크**입니다. 같은 어텐션 코드에 어떤 쌍을 계산해도 되는지 알려 줄 뿐입니다. 단계마다 "
                       "정사각형 하나, 행이 열을 읽습니다. 단어의 행이 패치에 닿는 곳에서 질문이 이미지를 봅니다.",
    "fusion.weights_of": "가중치",
    "fusion.mean_heads": "헤드 평균",
    "fusion.head_n": "헤드 {i}",
    "fusion.weight_of": "가중치 ({what})",
    "fusion.masks_caption": "행: 읽는 토큰(쿼리); 열: 읽히는 토큰(키); 토큰 {T}개 = {tokens}나란히 실행되는 블록은 행렬 "
                            "하나를 함께 씁니다(서로 다른 쌍을 읽으므로). 회색: 마스크로 막힘(소프트맥스 전에 −∞). 색: 그 "
                            "블록의 최대 가중치에 대한 비율; 마우스를 올리면 가중치가 보입니다. 단계별 허용된 쌍: "
                            "{T}² = {T2:,}개 중 {allowed}.",
    "fusion.tokens_summed": "패치 {N}개, 그중 앞의 {L}개에 단어를 더함. ",
    "fusion.tokens_joined": "단어 {L}개, 그다음 패치 {N}개. ",
    "fusion.no_words": "이른 합에는 단어 토큰이 아예 없습니다. 각 단어는 패치 토큰에 더해졌습니다.",
    # 4
    "fusion.s_word": "4. ({k})에서 단어 하나와 이미지 패치, 헤드별로",
    "fusion.word_md": "단어를 고르세요. 그 단어가 패치를 읽을 수 있는 블록에서 각 헤드는 단어의 어텐션(합이 1)을 키들에 "
                      "나눠 줍니다. 여기 그린 것은 8×8 패치 각각에 돌아간 몫입니다. 학습된 “circle”은 원을 찾아야 합니다.",
    "fusion.reads": "단어가 패치를 읽음",
    "fusion.reads_help": "끄면: 패치가 단어를 읽음.",
    "fusion.never": "({k})에서는 패치가 단어를 직접 읽지 않습니다.",
    "fusion.word": "단어",
    "fusion.in_patch": " (패치 {i} 안)",
    "fusion.block": "블록",
    "fusion.map_title": "헤드 {i} · 최대 {m:.3f}",
    "fusion.on_image": " · 이미지에 {s:.0%}",
    "fusion.reads_patch": "“{tok}”이(가) 읽는 패치",
    "fusion.read_by": "“{tok}”을(를) 읽는 패치",
    "fusion.row_caption": "블록의 어텐션에서 단어의 행, 그중 이미지 부분을 8×8 패치 위에 그렸습니다",
    "fusion.row_joint": "; 한 흐름 블록에서는 행의 나머지가 다른 단어를 읽습니다(이미지에 간 몫은 제목에)",
    "fusion.column_caption": "단어의 열: 각 패치가 그 단어를 얼마나 읽는지",
    "fusion.range_caption": ". 헤드마다 색 범위가 0부터 자기 최댓값까지입니다. 마우스를 올리면 가중치가 보입니다.",
    "fusion.untrained_even": " 학습되지 않은 가중치는 거의 고르게 퍼집니다.",
    # 5
    "fusion.s_costs": "5. 내 입력에서의 비용: 토큰, 어텐션 점수, 파라미터",
    "fusion.costs_md": "블록은 읽을 수 있는 쌍마다, 헤드마다 점수 q·k 하나를 계산합니다: h·Tq·Tk. 한 흐름 블록은 (L+N)²쌍 "
                       "모두의 값을 치르고, 교차 블록은 단어–패치 L·N쌍만 치릅니다. 그래서 흐름이 만나는 곳이 계산서를 "
                       "정합니다.",
    "fusion.disagree": "공식과 어텐션 텐서가 일치하지 않습니다. 이 버그를 알려 주세요.",
    "fusion.clip_name": "CLIP (융합 없음)",
    "fusion.col_design": "설계",
    "fusion.col_tokens": "토큰: {s}",
    "fusion.stream_question": "질문",
    "fusion.stream_image": "이미지",
    "fusion.stream_one_stream": "한 흐름",
    "fusion.col_blocks": "블록",
    "fusion.col_scores": "어텐션 점수",
    "fusion.col_parameters": "파라미터",
    "fusion.col_trainable": "학습 가능",
    "fusion.costs_caption": "점수는 L = {L}, N = {N}일 때 어텐션 텐서의 모양(블록마다 h × Tq × Tk)에서 읽은 것입니다. 한 흐름 "
                            "블록은 토큰 {T}개의 모든 쌍을, 교차 블록은 단어–패치 쌍만 치릅니다. 파라미터는 모듈에서 "
                            "셌습니다(학습하지 않는 고정 CNN 포함).",
    "fusion.col_part": "({k}) 부분",
    "fusion.part_image": "이미지 토큰 (패치 임베딩, CNN 투영, 위치)",
    "fusion.part_cnn": "고정 CNN (학습 안 함)",
    "fusion.part_question": "질문 토큰 (단어 임베딩, 위치)",
    "fusion.part_modality": "모달리티 임베딩",
    "fusion.part_blocks": "{kind} 블록 ×{n}",
    "fusion.part_head": "답 헤드 (norm + linear)",
    # 6
    "fusion.s_trained": "6. 학습된 여섯 모델 나란히",
    "fusion.accuracy_caption": "새 질문 {n:,}개에 대한 보류 정확도(모델 카드), 질문 종류별. 검은 선: 질문만 읽어서 얻는 "
                               "정확도(그 종류에서 가장 흔한 답).",
    "fusion.none_trained": "아직 학습된 융합 모델이 없습니다. `python -m mmviz.train fusion-a` … `fusion-f`가 끝나면 이 표가 "
                           "채워집니다.",
    "fusion.col_model": "모델",
    "fusion.col_status": "상태",
    "fusion.col_accuracy": "정확도",
    "fusion.col_train_min": "학습 분",
    "fusion.status_trained": "학습됨",
    "fusion.status_untrained": "아직 학습 안 됨",
    "fusion.status_clip": "VQA 없음 (캡션 {top1:.1%})",
    # 7
    "fusion.s_clip": "7. 융합이 전혀 없는 경우: CLIP의 이중 인코더",
    "fusion.clip_md": "CLIP은 서로를 보지 않는 두 탑(tower)을 실행합니다. 이미지는 벡터 하나, 캡션도 벡터 하나가 되고, 둘이 "
                      "만나는 **유일한** 곳은 내적 하나입니다. 캡션에 점수는 매길 수 있지만, 어떤 단어도 패치를 읽지 "
                      "않습니다.",
    "fusion.no_clip": "내장 CLIP이 없습니다: `python -m mmviz.train clip-tiny`로 학습하세요.",
    "fusion.clip_colour": "“what colour is the {kind}?”는 캡션 {n}개 “a … {kind}”가 됩니다. CLIP의 답은 이미지에 가장 가까운 "
                          "캡션의 색입니다.",
    "fusion.clip_shape": "“what shape is the {colour} one?”은 캡션 {n}개 “a {colour} …”가 됩니다. CLIP의 답은 이미지에 가장 "
                         "가까운 캡션의 종류입니다.",
    "fusion.clip_there": "“is there a {colour} {kind}?”에는 yes나 no가 필요합니다. CLIP은 “a {colour} {kind}”가 다른 캡션에 "
                         "비해 이미지에 얼마나 가까운지(아래의 순위)만 말할 수 있고, 어디서부터 yes인지 정하는 기준은 "
                         "없습니다.",
    "fusion.clip_many": "개수는 CLIP이 학습한 캡션이 아니며, 이미지 벡터 하나와 캡션 벡터 하나에는 개수를 셀 자리가 없습니다.",
    "fusion.clip_relation": "관계에는 한 도형의 위치를 다른 도형과 비교해야 합니다. 이미지는 단어를 보기 전에 벡터 하나로 "
                            "모이므로, 어떤 단어도 두 도형을 찾을 수 없습니다.",
    "fusion.clip_none": "이 질문은 도형 하나의 캡션으로 바꿀 수 없습니다.",
    "fusion.clip_says": "CLIP의 답: **{a}**.",
    "fusion.clip_rank": "“{cap}”은(는) {n}개 중 {r}위입니다.",
    "fusion.truth_is": "정답: **{truth}**.",
    "fusion.clip_bars_question": "CLIP: 캡션으로 바꾼 질문 (학습된 스케일의 소프트맥스)",
    "fusion.clip_bars_closest": "CLIP: 캡션 {n}개 중 가장 가까운 것",
    "fusion.clip_caption": "CLIP은 도형 하나짜리 장면과 캡션으로 학습했습니다. 여기서 두 탑은 어텐션 점수 {scores:,}개를 "
                           "치르고, 둘은 {E}개 숫자의 내적 하나에서 만납니다.",
    # 그림
    "fusion.fig_words": "단어",
    "fusion.fig_patches": "패치",
    "fusion.fig_self": "셀프",
    "fusion.fig_cross": "교차",
    "fusion.fig_joint": "한 흐름",
    "fusion.fig_answer": "답",
    "fusion.fig_scores_axis": "계산한 어텐션 점수 q·k (h × Tq × Tk, 블록 합)",
    "fusion.fig_accuracy_axis": "보류 정확도 (%)",
    "fusion.fig_blind": "눈감고 찍기",
    "fusion.fig_blind_hover": "%{{x}}: 눈감고 찍기(가장 흔한 답)는 %{{y:.1f}}%",
    "fusion.fig_probability_pct": "확률 (%)",
    "fusion.fig_cosine": "코사인 유사도",
    "fusion.fig_reads_hover": "%{{y}}이(가) %{{x}}을(를) 읽음",
    "fusion.fig_blocked_hover": "%{{y}} → %{{x}}: 막힘 (소프트맥스 전에 −∞)<extra></extra>",
    "fusion.fig_image_layer": "이미지 층 {i}",
    "fusion.fig_caption_layer": "캡션 층 {i}",
}
