"""한국어: audio_tokens 수업 (pages/*_audio_tokens.py, mmviz.figures.audio_tokens)."""

STRINGS: dict[str, str] = {
    "audio_tokens.title": "오디오 토큰(token)",
    "audio_tokens.intro": "트랜스포머(transformer)는 들을 수 없습니다. **벡터의 시퀀스**를 읽으므로 소리도 시퀀스가 되어야 "
                          "합니다. 오디오 스펙트로그램 트랜스포머(Audio Spectrogram Transformer, AST)는 이를 네 단계로 "
                          "합니다. 파형을 짧고 겹치는 프레임(frame)으로 잘라 각 프레임에 주파수마다 얼마나 들어 있는지 "
                          "잽니다(**STFT**). 주파수를 우리 귀가 듣는 간격의 띠로 모읍니다(**멜(mel)**). 소리의 크기는 "
                          "비율로 들리므로 **로그**(log)를 취합니다. 그렇게 얻은 그림, 곧 스펙트로그램(spectrogram)을 "
                          "ViT가 이미지를 자르듯 **16×16 패치**(patch)로 자릅니다. 패치 하나가 토큰 하나가 됩니다.",
    "audio_tokens.computing_stft": "STFT를 계산하는 중…",
    "audio_tokens.computing_logmel": "로그 멜 스펙트로그램을 계산하는 중…",
    "audio_tokens.running": "AST를 한 번 실행하며 모든 층에서 [CLS]의 어텐션을 저장하는 중…",
    "audio_tokens.sample_clip": "예제 클립 **{name}**을(를) 보여 줍니다. 사이드바에서 예제를 고르거나, 파일을 올리거나, "
                                "직접 녹음하세요.",
    "audio_tokens.clip_cut": "클립의 길이는 {original:.1f}초입니다. 이 수업은 처음 {max:g}초만 씁니다.",
    "audio_tokens.silent": "이 클립은 무음입니다(모든 샘플이 0). 아래의 모든 스펙트로그램은 -80 dB 바닥값입니다.",
    # 1
    "audio_tokens.s1": "1. 파형(waveform)",
    "audio_tokens.m_duration": "길이",
    "audio_tokens.m_duration_help": "최대 {max:g}초까지 사용",
    "audio_tokens.m_samples": "샘플 수 T",
    "audio_tokens.m_sr": "샘플링 레이트",
    "audio_tokens.m_peak": "최대 |y|",
    "audio_tokens.wave_caption": "초당 {sr:,}개씩, 숫자 {n:,}개. 시간 구간 {buckets}개마다 최솟값과 최댓값으로 그렸습니다. "
                                 "파형은 소리의 크기를 보여 주지만 어떤 음높이가 울리는지는 감춥니다.",
    # 2
    "audio_tokens.s2": "2. 단시간 푸리에 변환(STFT): 언제, 어떤 주파수가",
    "audio_tokens.n_fft": "윈도우 n_fft (샘플)",
    "audio_tokens.hop": "홉(hop) (샘플)",
    "audio_tokens.hop_help": "윈도우가 허락하면 내가 고른 값이 돌아옵니다.",
    "audio_tokens.window": "윈도우(window) 함수",
    "audio_tokens.window_help": "boxcar = 직사각형(테이퍼 없음): 가장 날카로운 봉우리, 가장 큰 누설.",
    "audio_tokens.m_tw": "윈도우 길이 T_w",
    "audio_tokens.m_tw_help": "n_fft / sr: 한 열에 뭉뚱그려지는 시간",
    "audio_tokens.m_df": "빈 간격 Δf",
    "audio_tokens.m_enbw_help": "등가 잡음 대역폭, n_fft·Σw²/(Σw)² 빈 × Δf: 빈 하나가 실제로 듣는 폭",
    "audio_tokens.m_hop": "홉",
    "audio_tokens.m_hop_help": "초당 프레임 {n:.0f}개",
    "audio_tokens.m_overlap": "겹침",
    "audio_tokens.m_bins": "빈 × 프레임",
    "audio_tokens.tradeoff": "**숫자로 본 맞바꿈:** {window_ms:.0f} ms 윈도우는 {bin_hz:.0f} Hz 떨어진 주파수를 구별합니다 "
                             "(T_w·Δf = {txf:.0f}). n_fft를 두 배로 하면 Δf가 {half:.0f} Hz로 반이 되지만, 열마다 "
                             "{double:.0f} ms의 소리가 뭉개집니다. {window} 윈도우는 먼 빈으로의 누설을 줄이는 대신 각 빈을 "
                             "{enbw_bins:.2f}빈({enbw_hz:.0f} Hz)으로 넓힙니다.",
    "audio_tokens.zoom": "확대 (초)",
    "audio_tokens.full_res": "전체 해상도로 그렸습니다.",
    "audio_tokens.pooled": "칸마다 빈 {fr}개 × 프레임 {fc}개로 그렸습니다(각 칸의 최댓값). 모든 프레임을 보려면 확대하세요. "
                           "위의 숫자는 전체 배열에서 계산한 것입니다.",
    # 3
    "audio_tokens.s3": "3. 멜 필터뱅크: 우리가 듣는 방식으로 모은 주파수",
    "audio_tokens.n_mels": "멜 밴드 수",
    "audio_tokens.mel_caption": "각 삼각형은 그 아래 FFT 빈의 파워를 더합니다. 낮은 밴드는 폭이 {lo:.0f} Hz, 가장 높은 "
                                "밴드는 {hi:.0f} Hz입니다. Hz가 아니라 음높이로 같은 간격입니다. librosa는 각 삼각형의 "
                                "넓이를 1로 맞추므로(Slaney) 넓은 밴드는 봉우리가 낮습니다.",
    "audio_tokens.empty_filters": "필터 {m}개 중 {n}개가 빈 간격 {hz:.0f} Hz보다 좁아서 FFT 빈을 하나도 잡지 못합니다(그 "
                                  "행은 비어 있습니다). n_fft를 키우거나 멜 밴드 수를 줄이세요.",
    # 4
    "audio_tokens.s4": "4. 로그 멜 스펙트로그램: 트랜스포머가 읽는 그림",
    # 5
    "audio_tokens.too_few_bands": "멜 밴드 {m}개는 {P}밴드 패치 하나보다 적습니다. 멜 밴드를 늘리거나 패치를 줄이세요.",
    "audio_tokens.no_patches": "이 설정으로는 패치가 없습니다. 이유는 5절에 있습니다.",
    "audio_tokens.s5": "5. 패치: 그림을 이미지처럼 자르기",
    "audio_tokens.patch": "패치 크기 P",
    "audio_tokens.stride": "보폭(stride) s (s < P이면 패치가 겹침)",
    "audio_tokens.q_patches": "로그 멜 그림은 밴드 {m}개 × 프레임 {f}개입니다. {s}밴드, {s}프레임마다 {P}×{P} 패치로 "
                              "자르면, 이 클립에서 패치가 몇 개 나올까요?",
    "audio_tokens.q_patches_why": "⌊(밴드 − P) / s⌋ + 1 = 패치 {F}행, ⌊(프레임 − P) / s⌋ + 1 = {T}열: {F} × {T} = "
                                  "**{N:,}**개의 패치입니다 (`patches.shape = {shape}`). 각 패치가 토큰 하나가 됩니다.",
    "audio_tokens.patches_open": "공식의 숫자, 패치 수, 로그 멜 그림 위의 패치 격자는 위 질문에 답하면(또는 “답만 보기”를 "
                                 "누르면) 나타납니다.",
    "audio_tokens.m_grid": "격자 F × T",
    "audio_tokens.m_grid_help": "patches.shape → 격자",
    "audio_tokens.m_patches": "패치 수 N",
    "audio_tokens.m_tokens": "토큰 수 N + 2",
    "audio_tokens.m_tokens_help": "+ [CLS] + 증류(distillation) 토큰 (AST)",
    "audio_tokens.m_values": "패치의 값 P²",
    "audio_tokens.m_overlap_p": "패치 겹침",
    "audio_tokens.m_overlap_p_help": "각 축을 따라 (P - s) / P",
    "audio_tokens.padded": "클립의 프레임이 {n}개뿐이라 {P}프레임 패치 하나보다 적으므로, 오른쪽에 -80 dB 바닥값 프레임 "
                           "{pad}개를 덧붙였습니다.",
    "audio_tokens.highlight": "강조할 패치 k",
    "audio_tokens.patches_caption": "흐린 선은 {s}밴드 / 프레임마다 패치가 시작하는 곳입니다. 각 패치는 {P}만큼 뻗으므로 "
                                    "이웃끼리 {shared}열을 나눕니다. 아무 곳에나 마우스를 올리면 그 아래의 패치가 보입니다.",
    # 6
    "audio_tokens.s6": "6. 토큰은 몇 개? 어텐션(attention)은 제곱으로 늘어난다",
    "audio_tokens.count": "이 설정으로 {seconds:.2f}초 클립은 **패치 {N:,}개**({F} × {T})를 내므로, 각 층의 각 어텐션 헤드가 "
                          "**{tokens:,} × {tokens:,}** 행렬(가중치 {weights:,}개)을 채웁니다. AST 체크포인트는 모든 "
                          "클립을 1024프레임(10 ms 홉으로 10.24초)으로 패딩하고, 멜 밴드 128개, 16×16 패치, 보폭 10을 "
                          "씁니다: **{eF} × {eT} = 패치 {e_patches:,}개**, 토큰 {e_tokens:,}개, 헤드와 층마다 가중치 "
                          "{e_weights:,}개. 오디오가 두 배면 토큰이 두 배, 어텐션은 네 배입니다.",
    # 7
    "audio_tokens.s7": "7. 토큰 시퀀스가 된 패치",
    "audio_tokens.s7_md": "주파수 행을 하나씩, 왼쪽에서 오른쪽으로 읽습니다(패치 k는 행 k // {T}, 열 k % {T}에 있습니다). "
                          "{P}×{P} 패치마다 숫자 {P2}개로 펼쳐 학습된 행렬 E 하나를 곱합니다. 앞에 [CLS] 토큰과 증류 "
                          "토큰을 붙이고 학습된 위치 임베딩(embedding)을 더합니다.",
    # 8
    "audio_tokens.s8": "8. 오디오 스펙트로그램 트랜스포머가 듣는다",
    "audio_tokens.untrained": "이 AST는 **무작위 가중치**입니다. 학습된 오디오 모델이 아직 설치되지 않아서 어텐션은 거의 "
                              "균일하고 예측은 추측입니다. 이 페이지는 학습된 가중치를 쓸 준비가 되어 있으며, 설치되면 위의 "
                              "목록에 나타납니다.",
    "audio_tokens.error": "모델이 이 클립을 읽지 못했습니다: {why}",
    "audio_tokens.ast_hears": "이 {seconds:.2f}초 클립의 처음 {model:.2f}초를 듣습니다",
    "audio_tokens.ast_padded": "이 {seconds:.2f}초 클립을 {model:.2f}초로 패딩합니다",
    "audio_tokens.ast": "모델에는 자기만의 전처리가 있습니다: Kaldi 로그 멜 특징, **밴드 {mel}개 × 프레임 {frames}개**, 10 ms"
                        "마다 25 ms 윈도우, 정규화. {heard}. 보폭 {stride}의 {patch}×{patch} 패치로 {F} × {T} = **패치 "
                        "{N}개**, 폭 {D}의 토큰 {tokens}개, 헤드 {heads}개, 층 {depth}개가 됩니다.",
    "audio_tokens.layer": "층(layer)",
    "audio_tokens.attn_caption": "층 {layer}에서 각 헤드의 {T}×{T} 어텐션 행렬의 0번 행을, [CLS]와 증류 열을 빼고 모델의 "
                                 "입력(회색, 낮은 주파수가 아래) 위에 그렸습니다. 균등한 몫(1/{T}) 이하를 받는 패치는 투명하고, "
                                 "헤드의 최댓값에서 빨갛습니다. 회색 음영 = 패딩.",
    # 그림
    "audio_tokens.fig_wave_title": "{name}: 시간에 따른 공기 압력",
    "audio_tokens.fig_time": "시간 (초)",
    "audio_tokens.fig_amplitude": "진폭",
    "audio_tokens.fig_max": "최대",
    "audio_tokens.fig_min": "최소",
    "audio_tokens.fig_stft_title": "|STFT|² (dB, 0 dB = 가장 큰 칸), 프레임 {a}..{b}",
    "audio_tokens.fig_frequency": "주파수 (Hz)",
    "audio_tokens.fig_mel_title": "{a}~{b} Hz의 삼각형 멜 필터 {n}개 (librosa, Slaney 멜 척도)",
    "audio_tokens.fig_even": "짝수 필터",
    "audio_tokens.fig_odd": "홀수 필터",
    "audio_tokens.fig_filter": "필터 %{{customdata}}",
    "audio_tokens.fig_weight_area": "가중치 (넓이 정규화)",
    "audio_tokens.fig_logmel_title": "로그 멜: 밴드 {a}개 × 프레임 {b}개",
    "audio_tokens.fig_mel_band": "멜 밴드 (중심 주파수)",
    "audio_tokens.fig_patches_title": "{P} × {P} 패치 {F} × {T}개, 보폭 {s}: 패치 {k}(빨강)와 오른쪽 이웃(청록)",
    "audio_tokens.fig_patch_rc": "패치 %{{z}} (행 %{{customdata[0]}}, 열 %{{customdata[1]}})",
    "audio_tokens.fig_starts": "%{{customdata[4]}} ms에서 시작<extra></extra>",
    "audio_tokens.fig_frame": "프레임",
    "audio_tokens.fig_mel_bin": "멜 빈",
    "audio_tokens.fig_selected_patch": "고른 패치",
    "audio_tokens.fig_seq_title": "토큰 {b}개 중 0..{a}: [CLS], [DIST], 그다음 패치 (행, 열)",
    "audio_tokens.fig_curve_title": "길이에 따른 토큰 수와 어텐션 비용 (P={P}, s={s}, 밴드 {m}개, 홉 {h} ms)",
    "audio_tokens.fig_tokens_n2": "토큰 N + 2",
    "audio_tokens.fig_attn_weights": "어텐션 가중치 (N + 2)²",
    "audio_tokens.fig_this_clip": "이 클립",
    "audio_tokens.fig_this_clip_hover": "이 클립: %{{x:.2f}}초, 토큰 %{{y}}개<extra></extra>",
    "audio_tokens.fig_n_tokens": "토큰 %{{y}}개<extra></extra>",
    "audio_tokens.fig_duration": "클립 길이 (초)",
    "audio_tokens.fig_tokens": "토큰",
    "audio_tokens.fig_weights_axis": "헤드와 층마다 어텐션 가중치 수",
    "audio_tokens.fig_top": "상위 예측",
    "audio_tokens.fig_top_multi": "상위 예측 (AudioSet 레이블은 서로 독립: 점수의 합이 1이 아님)",
    "audio_tokens.fig_sigmoid": "시그모이드 점수",
    "audio_tokens.fig_softmax": "소프트맥스 확률",
    "audio_tokens.fig_head_title": "헤드 {i} · 최대 {m} · 패치에 {p}",
    "audio_tokens.fig_cls_patch": "[CLS] → 패치 %{{customdata[0]}} (행 %{{customdata[1]}}, 열 %{{customdata[2]}})",
}
