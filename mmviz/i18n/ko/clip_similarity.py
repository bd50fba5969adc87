"""한국어: clip_similarity 수업 (pages/*_clip_similarity.py, mmviz.figures.clip_similarity)."""

STRINGS: dict[str, str] = {
    "clip_similarity.title": "CLIP 유사도",
    "clip_similarity.intro": "CLIP에는 **인코더가 둘** 있습니다. ViT는 이미지를 벡터 하나로, 텍스트 트랜스포머는 문장을 같은 "
                             "폭의 벡터 하나로 바꿉니다. 둘 다 길이로 나누므로 모든 이미지와 모든 프롬프트(prompt)가 같은 "
                             "단위 구 위의 점이 되고, **프롬프트가 이미지에 얼마나 맞는지는 둘 사이 각도의 코사인**입니다. "
                             "CLIP은 짝이 맞는 (이미지, 캡션) 쌍의 배치로 학습했습니다. 각 이미지는 배치의 모든 캡션 중에서 "
                             "자기 캡션을, 각 캡션은 자기 이미지를 골라내야 했습니다. 아래는 내 이미지와 내 프롬프트의 "
                             "비교입니다.",
    "clip_similarity.encoding": "이미지를 인코딩하는 중…",
    "clip_similarity.pretrained_note": "일상의 단어와 사진을 압니다",
    "clip_similarity.missing": "내장된 학습된 CLIP이 없어서 이 페이지는 학습되지 않은 CLIP만 보여 줄 수 있습니다 (무작위 "
                               "가중치: 유사도는 아직 아무 의미가 없습니다. 맨 아래에서 직접 학습시켜 보세요).",
    "clip_similarity.untrained": "무작위 가중치: 아래의 유사도는 아직 아무 의미가 없습니다. clip-tiny-shapes와 비교하거나 "
                                 "페이지 맨 아래에서 직접 학습시켜 보세요.",
    "clip_similarity.load_error": "{name}을(를) 불러오지 못했습니다: {why}",
    "clip_similarity.s_batch": "배치: 이미지와 프롬프트",
    "clip_similarity.batch_md": "이미지 *i*와 프롬프트 *i*가 **쌍**을 이룹니다(행렬에서 테두리): CLIP이 그 이미지에 골라야 "
                                "할 캡션입니다. 이미지를 추가할 때마다 그 이미지의 줄에 프롬프트가 함께 들어옵니다(자유롭게 "
                                "고치세요). 도형 세계의 장면(작은 모델이 학습한 것), 예제 사진, 사이드바의 이미지, 내 파일을 "
                                "쓸 수 있습니다. 마지막 이미지 뒤의 줄은 추가 프롬프트로, 어느 이미지에도 속하지 않는 "
                                "후보입니다.",
    "clip_similarity.prompt_toggle": "프롬프트도 함께 추가 (예: “a red circle”)",
    "clip_similarity.remove_help": "마지막 이미지(장면, 예제, 사진)와 그 프롬프트를 지웁니다.",
    "clip_similarity.reset_help": "페이지가 처음 보여 주는 장면 네 개와 프롬프트로 돌아갑니다.",
    "clip_similarity.samples_label": "예제 사진 (클릭하면 추가하거나 뺍니다. 각 사진은 프롬프트를 하나 가져옵니다)",
    "clip_similarity.prompts_label": "프롬프트, 한 줄에 하나: i번째 줄이 이미지 i의 프롬프트 (최대 {n}개)",
    "clip_similarity.tpl_on": "프롬프트 템플릿 적용",
    "clip_similarity.tpl_help": "CLIP 논문: 웹에서 학습한 CLIP에는 맨 레이블보다 “a photo of a {{label}}”이 더 잘 맞습니다. "
                                "프롬프트 앞의 “a”/“an”은 먼저 지웁니다.",
    "clip_similarity.tpl": "템플릿 ({{}} = 프롬프트)",
    "clip_similarity.over_images": "처음 {n}개의 이미지만 씁니다.",
    "clip_similarity.over_prompts": "처음 {n}개의 프롬프트만 씁니다.",
    "clip_similarity.tpl_error": "템플릿을 쓰지 않습니다: {why}.",
    "clip_similarity.tiny_photo": "**{name}**은(는) 도형 세계만 압니다: 단색 또는 무늬가 있는 64×64 배경 위의 색칠된 도형 "
                                  "하나와, 그 캡션에 나오는 수십 개의 단어입니다. 사진에서도 숫자는 내놓지만 고양이나 우주 "
                                  "비행사에 대해서는 아무것도 말해 주지 않습니다. 사진에는 사전 학습된 CLIP을 한 번 받으세요"
                                  "(인터넷 필요): `python -m mmviz.download {pretrained}`, 그다음 **Model**에서 고르세요.",
    "clip_similarity.empty": "유사도 행렬을 보려면 이미지와 프롬프트를 하나 이상 추가하세요.",
    "clip_similarity.encode_error": "이미지를 인코딩하지 못했습니다: {why}",
    "clip_similarity.seen": "모델이 보는 각 이미지: 정사각형으로 가운데를 잘라 {px}×{px} px로 바꿈 (`pixels.shape = "
                            "{shape}`).",
    "clip_similarity.tokens_of": "프롬프트 {n}개의 토큰(token) ({tok}: `input_ids.shape = {shape}`)",
    "clip_similarity.text_tower": "텍스트 타워는 이 id들을 인과적 어텐션(attention)으로 왼쪽에서 오른쪽으로 읽고, "
                                  "`<|endoftext|>`에서의 출력을 프롬프트의 임베딩(embedding)으로 삼습니다",
    "clip_similarity.unk_tiny": ". 어휘 밖의 단어는 모두 같은 `<unk>` id가 되어 모델이 구별할 수 없습니다.",
    "clip_similarity.unk_bpe": ". 바이트 수준 BPE에는 `<unk>`가 필요 없습니다. 드문 단어는 조각으로 나뉘고, `</w>`가 "
                               "단어를 끝내는 조각을 표시합니다.",
    "clip_similarity.m_images": "이미지 수 I",
    "clip_similarity.m_prompts": "프롬프트 수 T",
    "clip_similarity.m_width": "임베딩 폭 E",
    "clip_similarity.m_patches": "이미지당 패치",
    "clip_similarity.m_patches_help": "{P} px 패치 {gh}×{gw}개",
    "clip_similarity.m_scale": "학습된 스케일 s",
    "clip_similarity.s1": "1. 유사도 행렬",
    "clip_similarity.s1_md": "모든 이미지 임베딩과 모든 프롬프트 임베딩의 비교: `image_embeds @ text_embeds.T`, 모양 "
                             "({I}, {T}). 값은 {lo:.3f}부터 {hi:.3f}까지입니다. 좋은 모델이라면 테두리 친 쌍이 자기 행에서 "
                             "가장 큽니다.",
    "clip_similarity.q_pick": "CLIP은 이미지 #0 ({name})에 어느 프롬프트를 고를까요? 자기 행에서 코사인이 가장 큰 것입니다.",
    "clip_similarity.q_pick_why": "아래 행렬의 0번 행은 프롬프트 {j} “{p}”에서 가장 큽니다: cos = {c:.3f}, 프롬프트 {n}개 중 "
                                  "최대입니다. 제로샷(zero-shot) 분류가 바로 이 argmax입니다.",
    "clip_similarity.best": "이미지별 최고의 프롬프트: {best}.",
    "clip_similarity.q_pick_wait": "유사도 행렬과 이미지별 최고의 프롬프트는 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "clip_similarity.narrow": "웹에서 학습한 CLIP의 코사인은 좁은 띠(약 0.15~0.35)에 모여 있습니다. 중요한 것은 어느 것이 "
                              "가장 큰가입니다. 학습된 스케일 s가 소프트맥스 전에 이 작은 차이를 늘립니다.",
    "clip_similarity.s2": "2. 유사도에서 확률로: 온도(temperature)",
    "clip_similarity.temperature": "각 행에 소프트맥스(softmax)를 적용하면 이미지의 유사도가 프롬프트마다의 확률이 됩니다. "
                                   "코사인은 [−1, 1] 안에 있어 날카로운 소프트맥스에는 서로 너무 가까우므로, CLIP은 여기에 "
                                   "**학습된 스케일 s**를 곱합니다 (이 모델이 배운 s = {s:.2f}, 온도 τ = 1/s = {tau:.3f}). "
                                   "s를 움직여 보세요. s가 작으면 확률이 모든 프롬프트에 퍼지고, 크면 가장 좋은 하나에 "
                                   "모입니다.",
    "clip_similarity.scale": "로짓 스케일 s = 1/τ",
    "clip_similarity.scale_help": "기본값: 모델이 학습한 exp(logit_scale). CLIP은 100에서 자릅니다.",
    "clip_similarity.pick": "제로샷 막대와 날카로워지는 곡선에 쓸 이미지",
    "clip_similarity.cand": "후보",
    "clip_similarity.cand_prompts": "내 프롬프트",
    "clip_similarity.cand_kinds": "도형 종류 6가지",
    "clip_similarity.cand_colours": "색 9가지",
    "clip_similarity.zero_shot": "제로샷 분류는 바로 이 행입니다: 클래스마다 프롬프트를 하나 쓰고 가장 비슷한 것을 고릅니다. "
                                 "이 클래스들을 위해 학습한 분류기는 없습니다.",
    "clip_similarity.card": "새 장면 {n}개에서 측정 (모델 카드): 이 작은 CLIP은 “a … shape” 프롬프트 9개 중 올바른 색을 "
                            "{colour:.0%} 고르지만, 6개 중 올바른 종류는 {kind:.0%}만 고릅니다. 캡션 {candidates}개 중 자기 "
                            "캡션은 {caption:.0%}입니다. 64×64 장면에서 가장 배우기 쉬운 단어는 색입니다.",
    "clip_similarity.s3": "3. 배치의 InfoNCE 손실",
    "clip_similarity.s3_md": "학습은 각 쌍의 로짓을 자기 행(이미지 → 텍스트)의 다른 로짓 **그리고** 자기 열(텍스트 → "
                             "이미지)의 다른 로짓보다 위로 밀어 올립니다. 대각선의 쌍 {K}개를 양성으로 하면 (s = {s}, 2절에서 "
                             "설정):",
    "clip_similarity.loss_note": "처음 {K}개의 이미지와 프롬프트만 손실에 들어갑니다 (I = {I}, T = {T}).",
    "clip_similarity.loss_caption": "학습이 쓰는 함수 `clip_loss(logits[:K, :K])`로 계산했습니다: "
                                    "`(cross_entropy(logits, arange(K)) + cross_entropy(logits.T, arange(K))) / 2`. "
                                    "손실이 log K보다 낮으면 쌍이 두드러진다는 뜻입니다. 이미지의 {acc:.0%}가 자기 "
                                    "프롬프트를 고릅니다.",
    "clip_similarity.col_pair": "쌍",
    "clip_similarity.col_image": "이미지",
    "clip_similarity.col_prompt": "프롬프트",
    "clip_similarity.s4": "4. 한 공간 안의 두 모달리티(modality)",
    "clip_similarity.pca_md": "이미지 임베딩과 텍스트 임베딩을 함께 두 주축에 투영했습니다(PCA). 점선은 쌍을 잇습니다. 대조 "
                              "학습은 각 쌍을 끌어당기지만, 이미지와 텍스트는 구 위의 **두 개의 떨어진 영역**에 남고 대략 "
                              "일정한 오프셋만큼 어긋나 있습니다 (*모달리티 갭(modality gap)*, Liang 외 2022). 그래서 "
                              "연결선이 거의 평행합니다. 짝을 정하는 것은 얼마나 가까운지가 아니라 어느 프롬프트가 "
                              "*상대적으로* 가장 가까운지입니다.",
    "clip_similarity.pca_numbers": "여기서 {width}차원 임베딩으로 계산한 평균 코사인: 두 이미지 **{ii:.3f}**, 두 프롬프트 "
                                   "**{tt:.3f}**, 아무 이미지와 프롬프트 **{it:.3f}**{pair}. 두 모달리티의 평균 임베딩 사이 "
                                   "거리 {gap:.3f}.",
    "clip_similarity.pca_pair": ", 이미지와 자기 프롬프트 **{c:.3f}**",
    "clip_similarity.pca_caption": "두 축이 분산의 {share:.0%}를 담습니다. 그림의 거리는 E차원의 거리와 대략만 같습니다. 점에 "
                                   "마우스를 올리면 짝과의 정확한 코사인이 보입니다.",
    "clip_similarity.s5": "5. 프롬프트는 어디를 볼까?",
    "clip_similarity.where_md": "패치 토큰도 이미지 타워의 마지막 LayerNorm과 투영을 지나므로 같은 공간의 벡터를 얻습니다. "
                                "프롬프트와 각 패치의 코사인을 이미지 위에 그렸습니다. 이상적으로는 “cat”이 고양이를, "
                                "“boots”가 장화를 밝힙니다.",
    "clip_similarity.trust": "이 그림은 조금만 믿으세요. CLIP은 패치가 아니라 **[CLS]** 임베딩을 텍스트와 맞추도록 "
                             "학습했습니다. 패치 임베딩은 부산물이라 잡음이 많고, 때로는 배경에서 가장 밝습니다. 분할이 "
                             "아니라 어느 패치가 프롬프트와 닮았는지에 대한 힌트로 읽으세요.",
    "clip_similarity.image": "이미지",
    "clip_similarity.first_9": "프롬프트 {n}개 중 처음 9개를 보여 줍니다.",
    "clip_similarity.maps_caption": "모든 프롬프트에 색 척도 하나 (밝음 = 패치의 임베딩이 프롬프트의 임베딩과 같은 방향). "
                                    "각 제목에는 이미지 전체의 코사인([CLS])과 패치들의 범위가 있습니다.",
    "clip_similarity.s6": "6. CLIP을 직접 학습시키기",
    "clip_similarity.live_md": "**무작위 가중치**(작은 CLIP의 구조, 시드 고정)에서 시작해 여기 CPU에서 학습시킵니다. 단계마다 "
                               "장면과 캡션의 새 배치를 뽑아 InfoNCE 손실로 AdamW 한 걸음을 갑니다. 고정된 보류 배치를 "
                               "지켜보세요. 그 행렬은 균일하게 시작해 두 인코더가 서로 맞춰 가면서 **대각선**이 됩니다. "
                               "처음에는 두 인코더가 모든 것을 같은 점으로 보내므로 손실이 log B에 머뭅니다. (내장 모델은 "
                               "전체 도형 세계에서 {card} 학습했습니다.) 최대 {steps}단계, {seconds:.0f}초, CPU 스레드 "
                               "하나.",
    "clip_similarity.steps": "단계 수",
    "clip_similarity.data": "학습 데이터",
    "clip_similarity.data_help": "easy: 차분한 배경, “a red circle” 같은 캡션 (수백 단계면 배웁니다). full: 내장 모델의 "
                                 "데이터 (수천 단계가 필요합니다).",
    "clip_similarity.data_easy": "쉬움 (easy)",
    "clip_similarity.data_full": "전체 (full)",
    "clip_similarity.batch": "배치당 쌍 B",
    "clip_similarity.train": "처음부터 학습",
    "clip_similarity.heldout": "보류 배치 (학습에 쓰지 않음), 이미지 i와 캡션 i:",
    # 그림
    "clip_similarity.fig_pairs": "쌍 (손실의 양성)",
    "clip_similarity.fig_prompt_axis": "프롬프트 (텍스트 임베딩)",
    "clip_similarity.fig_image_axis": "이미지 (이미지 임베딩)",
    "clip_similarity.fig_softmax_title": "각 행의 소프트맥스, s = {s}",
    "clip_similarity.fig_scale_axis": "로짓 스케일 s = 1/τ (로그 축)",
    "clip_similarity.fig_sharpen_title": "{image}: s가 커지면 프롬프트에 대한 소프트맥스가 날카로워짐",
    "clip_similarity.fig_zero_shot_title": "제로샷: #{i}에 맞는 캡션은? (s = {s})",
    "clip_similarity.fig_prob_axis": "확률 (후보에 대한 소프트맥스)",
    "clip_similarity.fig_pca_title": "이미지 임베딩 {I}개와 텍스트 임베딩 {T}개의 PCA (E = {E} → 2)",
    "clip_similarity.fig_pair": "쌍 (이미지 i, 프롬프트 i)",
    "clip_similarity.fig_images": "이미지",
    "clip_similarity.fig_prompts": "프롬프트",
    "clip_similarity.fig_pc1": "PC 1 (분산의 {p})",
    "clip_similarity.fig_batch_loss": "배치 손실",
    "clip_similarity.fig_heldout_loss": "보류 손실",
    "clip_similarity.fig_heldout_top1": "보류 top-1 (오른쪽 축)",
    "clip_similarity.fig_training_step": "학습 단계",
    "clip_similarity.fig_heldout_top1_axis": "보류 top-1",
    "clip_similarity.fig_loss_title": "학습 중의 손실",
    "clip_similarity.fig_heldout_title": "{n}단계 뒤의 보류 배치: cos(이미지 i, 캡션 j)",
    # 수업 모듈이 쓰는 문장 (mmviz.lessons.clip_similarity.live, .batch)
    "clip_similarity.card_unknown": "수천 단계를",
    "clip_similarity.card_summary": "쌍 {batch}개짜리 배치로 {steps}단계를 {minutes:.0f}분 동안",
    "clip_similarity.stop_done": "완료: {steps}단계를 모두 {seconds:.0f}초에 마쳤습니다.",
    "clip_similarity.stop_limited": "{steps}단계 중 {reached}단계에서 멈췄습니다. 한 번의 실행은 {max_seconds:.0f}초까지 "
                                    "할 수 있는데, 초당 {rate:.2g}단계로는(서버의 CPU를 다른 학생들의 페이지와 실행이 함께 "
                                    "씁니다) {steps}단계에 {need:.0f}초가 걸렸을 것입니다. 단계 수나 배치를 줄이거나 덜 "
                                    "붐비는 때에 하면 끝까지 실행됩니다.",
    "clip_similarity.stop_no_step": "{steps}단계 중 {reached}단계에서 멈췄습니다. 한 번의 실행은 {max_seconds:.0f}초까지 "
                                    "할 수 있는데, 초당 {rate:.2g}단계로는(서버의 CPU를 다른 학생들의 페이지와 실행이 함께 "
                                    "씁니다) 한 단계도 마치지 못했습니다. 단계 수나 배치를 줄이거나 덜 붐비는 때에 하면 "
                                    "끝까지 실행됩니다.",
    "clip_similarity.live_message": "{step}/{steps}단계 · 배치 손실 {loss:.3f} · 보류 손실 {heldout_loss:.3f}, "
                                    "top-1 {acc:.0%} · 학습된 s = {scale:.1f} · {seconds:.0f}초",
    "clip_similarity.live_summary": "{stop} 마지막 평가: {message}.",
    "clip_similarity.tpl_no_slot": "템플릿에는 프롬프트가 들어갈 자리 “{{}}”가 있어야 합니다. 예: “a photo of a {{}}”",
}
