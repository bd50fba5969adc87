"""Korean: the attention_maps lesson (pages/*_attention_maps.py, mmviz.figures.attention_maps)."""

STRINGS: dict[str, str] = {
    "attention_maps.title": "어텐션 맵",
    "attention_maps.running": "ViT를 한 번 실행하고 모든 어텐션 맵을 저장하는 중…",
    "attention_maps.intro": "트랜스포머의 어텐션(attention) 안에서 모든 토큰(token)은 **질문을 던지고**(쿼리 q), **이름표를 내밀고**(키 k), "
                            "**메시지를 내놓습니다**(값 v). 토큰의 새 내용은 모든 메시지의 평균인데, 자기 질문이 각 "
                            "이름표와 얼마나 잘 맞는지로 가중합니다. 헤드(head)마다 자기만의 q, k, v로 이 일을 하므로 "
                            "헤드마다 다른 것을 찾을 수 있습니다. 아래는 여러분의 이미지에 적용한 학습된 ViT의 실제 "
                            "가중치입니다. 모든 층의 모든 헤드는 어디를 볼까요?",
    "attention_maps.missing": "내장된 학습 모델이 없어서 학습되지 않은 모델만 보여 줄 수 있습니다.",
    "attention_maps.shapes_btn": "도형 세계 예제",
    "attention_maps.shapes_help": "mmviz.data.shapes의 새 장면 (시드 고정).",
    "attention_maps.back_btn": "내 이미지로 돌아가기",
    "attention_maps.tiny_note": "이 작은 모델은 **도형 세계**로만 학습했습니다. 단색, 질감 또는 사진 배경(64×64 픽셀) 위의 "
                                "색칠된 도형 하나를 보고 **도형의 색 이름을 말하는** 과제라서, 어수선한 배경에서 물체 하나를 "
                                "찾는 법을 배웠습니다. 사진에서도 어텐션은 하지만 그 [CLS]는 고양이를 본 적이 없습니다. "
                                "**도형 세계 예제**를 누르면 아는 데이터에서 어떻게 하는지 볼 수 있습니다.",
    "attention_maps.card_caption": "새 장면 {n}개에서 잰 값(모델 카드): 정확도 {acc:.1%}. 층별로 [CLS]의 어텐션이 물체의 "
                                   "패치에 가는 비율: {layers} (균등한 어텐션: {uniform:.0%}). 어디를 보라고 알려 준 것은 "
                                   "없습니다. 학습 신호는 색의 이름뿐이었습니다.",
    "attention_maps.dino_note": "왜 물체에 더 집중하지 않을까요? 레이블로만 학습한 ViT는 레이블만 맞히면 되므로, 그 "
                                "어텐션은 **자기 지도 학습**한 ViT보다 물체 모양을 훨씬 덜 따른다고 알려져 있습니다. DINO "
                                "(Caron 외 2021, *Emerging Properties in Self-Supervised Vision Transformers*)는 레이블 "
                                "없이 학습했고, 마지막 층의 [CLS] 헤드들이 물체의 윤곽을 그립니다. 그 체크포인트는 명령 "
                                "하나면 됩니다: `python -m mmviz.download facebook/dino-vits16`, 그다음 **모델**에서 "
                                "고르세요.",
    "attention_maps.size": "입력 크기 (짧은 변, 픽셀)",
    "attention_maps.size_help": "학습 크기와 다른 크기에서는 위치를 보간(bicubic)합니다.",
    "attention_maps.read_error": "모델이 이 이미지를 읽지 못했습니다: {why}",
    "attention_maps.tiny": "패치(patch) 하나({P} 픽셀)보다 작아서 **확대**했습니다. 어텐션할 세부가 없습니다.",
    "attention_maps.upscaled": "**확대**했습니다. 확대한다고 세부가 생기지는 않습니다.",
    "attention_maps.panorama": "**파노라마**(또는 아주 긴 세로 이미지)라서 가운데 부분만 남겼습니다.",
    "attention_maps.rule": "RGB로 변환(흑백은 3채널로 복사), 긴 변이 짧은 변의 최대 {aspect}배가 되도록 가운데를 자르고, "
                           "짧은 변이 {size} 픽셀이 되도록 크기를 바꾸고(bicubic), 긴 변은 {P} 픽셀 패치의 배수로 "
                           "잘랐습니다.",
    "attention_maps.m_patches": "패치 수 N",
    "attention_maps.m_tokens": "토큰 수 T",
    "attention_maps.m_tokens_help": "tokens.shape[1], [CLS] 포함",
    "attention_maps.m_width": "너비 D",
    "attention_maps.m_heads": "헤드 수 h",
    "attention_maps.m_layers": "층 수",
    "attention_maps.m_head_dim": "헤드 크기 d",
    "attention_maps.attention_shape": "어텐션 {h}×{T}×{T}",
    "attention_maps.disagree": "공식과 텐서가 다릅니다. 이 버그를 알려 주세요.",
    "attention_maps.predicts": "**모델의 예측:** {classes}",
    "attention_maps.layer": "층(layer)",
    "attention_maps.layer_help": "0 = 첫 블록",
    "attention_maps.head": "헤드",
    "attention_maps.query": "쿼리 패치 번호 (또는 2절에서 패치를 클릭)",
    # 1
    "attention_maps.s1": "1. [CLS]가 보는 곳: 층의 모든 헤드",
    "attention_maps.layer_heads": "**층 {layer}**, 헤드 {h}개 전부.",
    "attention_maps.late": "이 작은 모델에서 **[CLS]는 층 {late}에서야 패치들과 합류합니다**(CaiT 방식의 클래스 어텐션). "
                           "층 0–{before}에서는 자기 자신만 보고 어떤 패치도 [CLS]를 보지 않으므로, 패치들이 먼저 서로 "
                           "무엇이 어디 있는지 정리하고, [CLS]는 이미지에 대해 아는 모든 것을 층 {late}에서 읽습니다.",
    "attention_maps.late_empty": " 이 층에서는 아래 맵이 비어 있습니다.",
    "attention_maps.s1_caption": "각 헤드의 {T}×{T} 어텐션 행렬의 0번 행에서 [CLS] 열을 뺀 것을 패치 위에 그렸습니다. "
                                 "헤드마다 색 범위가 따로입니다(0부터 자기 최댓값까지). 마우스를 올리면 가중치가 "
                                 "보입니다.",
    # 2
    "attention_maps.s2": "2. 아무 패치나 고르세요: 그 패치는 어디를 볼까요?",
    "attention_maps.patch_arrow": "패치 {q} →",
    "attention_maps.s2_caption": "앞쪽 층은 쿼리 패치 근처를, 뒤쪽 층은 더 멀리와 물체를 보는 경향이 있습니다. [CLS] "
                                 "자신에 대한 가중치는 그리지 않았습니다.",
    # 3
    "attention_maps.s3": "3. 헤드 하나의 T×T 행렬 전체",
    "attention_maps.matrix_title": "A = softmax(QKᵀ/√d), 층 {layer}, 헤드 {head}: 행 = 쿼리, 열 = 키",
    "attention_maps.s3_caption": "모든 행의 합은 1입니다. 0번 행이 [CLS] (1절)이고, 청록색 선은 쿼리 패치의 행(2절)입니다. "
                                 "색은 99번째 백분위수에서 멈춥니다. 마우스를 올리면 정확한 가중치가 보입니다.",
    # 4
    "attention_maps.s4": "4. 어텐션 롤아웃: 모든 층을 따라 어텐션 추적하기",
    "attention_maps.rollout_md": "한 층의 맵은 잔차 연결과 아래 층들을 무시합니다. **롤아웃(rollout)**(Abnar & Zuidema, "
                                 "2020)은 헤드를 합치고, 잔차 경로를 위해 단위 행렬을 더하고, 다시 정규화한 뒤, 층들을 "
                                 "모두 곱합니다.",
    "attention_maps.fusion": "헤드 합치기",
    "attention_maps.discard": "버리는 비율 (층마다 합친 가중치 중 가장 약한 것을 버림)",
    "attention_maps.rollout_title": "층 {L}개에 걸친 롤아웃 ({fusion}, {discard:.0%} 버림)",
    "attention_maps.last_only": "마지막 층만, 헤드 {h}개의 평균",
    # 5
    "attention_maps.s5": "5. 문턱값 마스크: [CLS] 어텐션의 대부분을 가진 패치",
    "attention_maps.layer_masks": "**층 {layer}**, 헤드별 마스크.",
    "attention_maps.keep": "남길 어텐션 질량의 비율",
    "attention_maps.keep_help": "DINO는 60%를 남깁니다: 패치를 가중치 순으로 정렬하고, 그 비율이 찰 때까지 위에서부터 "
                                "남깁니다.",
    # 6
    "attention_maps.s6": "6. 각 헤드는 얼마나 멀리 볼까요?",
    "attention_maps.distance_md": "쿼리 패치마다 각 키 패치까지의 픽셀 거리를 어텐션으로 가중하고, 쿼리에 대해 평균합니다. "
                                  "작으면 합성곱처럼 국소적, 크면 전역적입니다. ViT 논문에서는 어떤 헤드는 층 0에서부터 "
                                  "멀리 보고, 깊어질수록 그 폭이 좁아집니다.",
    "attention_maps.q_far": "층 {layer}의 헤드 {h}개 중 어느 헤드가 쿼리에서 **가장 멀리** 볼까요(평균 어텐션 거리가 "
                            "가장 큰 헤드)?",
    "attention_maps.head_n": "헤드 {h}",
    "attention_maps.q_far_why": "헤드 {h}: 평균 {d:.1f} 픽셀. 층 {layer}의 헤드들은 {lo:.1f}에서 {hi:.1f} 픽셀 사이입니다. "
                                "이미지 전체에 균등한 어텐션이라면 {u:.1f} 픽셀입니다(아래 점선).",
    "attention_maps.distance_open": "모든 헤드의 평균 어텐션 거리는 위 질문에 답하면(또는 “답만 보기”를 누르면) 나타납니다.",
    "attention_maps.compare": "학습되지 않은 모델과 비교 (같은 구조, 무작위 가중치)",
    "attention_maps.s6_caption": "점선: 균등한 어텐션 ({u:.1f} 픽셀). 이 모델의 행 엔트로피 평균: {ent:.2f} nats. 완전히 "
                                 "균등하면 log T = {max:.2f}.",
    "attention_maps.before_after": "**학습 전과 후.** 학습되지 않은 모델의 행 엔트로피는 {ue:.2f} nats입니다(균등: "
                                   "{um:.2f}). 무작위 가중치는 어텐션을 거의 고르게 퍼뜨리므로 그 맵은 잡음입니다. 이 "
                                   "모델: {ent:.2f} nats.",
    "attention_maps.untrained_caption": "학습되지 않은 모델, [CLS] → 패치, 층 {layer}.",
    # 7
    "attention_maps.s7": "7. 어텐션 한 행을 손으로 계산하기",
    "attention_maps.patch_label": "패치 {k} (행 {r}, 열 {c})",
    "attention_maps.use_cls": "[CLS]를 쿼리로 쓰기 (끄면 2절의 쿼리 패치)",
    "attention_maps.worked_md": "쿼리 **{label}**, 층 {layer}, 헤드 {head}. 블록의 입력은 LayerNorm(`norm1`)과 `qkv` "
                                "Linear 하나를 지나고, 이 헤드의 조각이 q(d = {d})와 토큰 {T}개 각각의 k와 v가 됩니다.",
    "attention_maps.by_hand": "max |손으로 계산한 softmax − 모델의 행|",
    "attention_maps.by_hand_help": "같은 입력에 return_attn=True로 호출한 모델의 Attention.",
    "attention_maps.out_diff": "max |손으로 계산한 Σ w·v − 모델|",
    "attention_maps.weights_sum": "가중치 합",
    "attention_maps.col_key": "키",
    "attention_maps.col_weight": "가중치",
    # 그림
    "attention_maps.fig_head_max": "헤드 {h} · 최대 {m}",
    "attention_maps.fig_head": "헤드 {h}",
    "attention_maps.fig_patch_hover": "{what} 패치 %{{customdata[0]}} (행 %{{customdata[1]}}, 열 %{{customdata[2]}})",
    "attention_maps.fig_patch_only": "패치 %{{customdata[0]}} (행 %{{customdata[1]}}, 열 %{{customdata[2]}})",
    "attention_maps.fig_weight_z": "가중치 %{{z:.4f}}<extra></extra>",
    "attention_maps.fig_weight_c": "가중치 %{{customdata[3]:.4f}}",
    "attention_maps.fig_in_mask": "{k} 마스크 안: %{{z}}<extra></extra>",
    "attention_maps.fig_mask_title": "헤드 {h} · 패치 {n}/{N}개가 {p}를 가짐",
    "attention_maps.fig_click": "클릭하면 쿼리가 됩니다<extra></extra>",
    "attention_maps.fig_query_title": "쿼리: 패치 {q} (행 {r}, 열 {c})",
    "attention_maps.fig_query_token": "쿼리 토큰",
    "attention_maps.fig_key_token": "키 토큰",
    "attention_maps.fig_weight": "가중치",
    "attention_maps.fig_key_axis": "키 토큰 (T = {T}; 0 = [CLS], k+1 = 패치 k)",
    "attention_maps.fig_this_model": "이 모델",
    "attention_maps.fig_untrained": "학습 전",
    "attention_maps.fig_layer_head": "층 %{{customdata[0]:.0f}}, 헤드 %{{customdata[1]:.0f}}",
    "attention_maps.fig_mean_distance": "평균 거리 %{{y:.1f}} 픽셀",
    "attention_maps.fig_entropy": "엔트로피 %{{customdata[2]:.2f}} nats<extra></extra>",
    "attention_maps.fig_uniform": "균등한 어텐션",
    "attention_maps.fig_uniform_hover": "균등한 어텐션: {d} 픽셀<extra></extra>",
    "attention_maps.fig_depth": "네트워크 깊이 (층, 0 = 첫 블록)",
    "attention_maps.fig_distance_axis": "평균 어텐션 거리 (픽셀)",
    "attention_maps.fig_distance_title": "모든 헤드의 평균 어텐션 거리",
    "attention_maps.fig_key_y": "키 %{{y}}",
    "attention_maps.fig_softmax_x": "softmax 가중치 %{{x:.4f}}",
    "attention_maps.fig_softmax_axis": "softmax 가중치 (v_j에 곱해짐)",
    "attention_maps.fig_top_keys": "상위 키 {n}개: 가중치의 {p}",
}
