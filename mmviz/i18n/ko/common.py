"""공통 도우미(mmviz.ui)가 모든 페이지에서 쓰는 말."""

STRINGS = {
    # 언어 전환과 발표 모드 (사이드바)
    "common.language": "언어",
    "common.present": "발표 모드",
    "common.present_help": "프로젝터용: 글자와 그림을 크게, 사이드바는 접고, 한 번에 한 절씩 보여 줍니다(← →로 절 이동). "
                           "링크에서는 ?present=1.",
    "common.previous": "이전",
    "common.next": "다음",
    "common.section_of": "{n}개 절 중 {k}번째 · ← →",
    # 화면 링크
    "common.link_title": "이 화면의 링크",
    "common.link_help": "복사하세요(상자 오른쪽 아이콘). 이 링크를 열면 지금의 모든 설정과 이 언어로 이 페이지가 열립니다.",
    "common.link_uploads": "업로드한 파일과 녹음은 링크에 담기지 않습니다. 링크를 연 사람에게는 여러분의 파일 대신 "
                           "예제가 보입니다.",
    "common.link_long": "{n}자보다 긴 텍스트는 링크에 넣지 않습니다(링크를 열면 첫 텍스트가 나옵니다).",
    "common.link_invalid": "링크의 “{label}” 값 {value}은(는) 여기에 맞지 않아 기본값을 보여 줍니다.",
    "common.link_stale": "링크에 이 페이지에 없는 설정({names})이 있어 무시했습니다.",
    # 먼저 예측하고, 그다음 확인
    "common.predict_title": "먼저 예측해 보세요",
    "common.predict_your_answer": "내 답",
    "common.predict_placeholder": "숫자",
    "common.predict_commit": "답 확정하기",
    "common.predict_hint": "답을 확정하면 텐서에서 계산한 정답이 나타납니다.",
    "common.predict_right": "정답입니다: 내 답 {guess}, 텐서가 계산한 값 {answer}.",
    "common.predict_wrong": "내 답은 {guess}, 텐서가 계산한 값은 {answer}입니다.",
    "common.predict_again": "다시 풀기",
    # 내보내기
    "common.export_html": "HTML",
    "common.export_html_help": "그림을 독립된 웹 페이지로 받습니다(오프라인과 슬라이드에서도 열립니다). PNG는 그림 "
                               "도구 모음(마우스를 올리면 오른쪽 위)의 카메라 아이콘으로 저장하세요.",
    "common.export_numbers": "숫자 (NPZ)",
    "common.export_numbers_help": "여기 그린 배열({names})을 NumPy .npz 파일로 받습니다: np.load(file)[name].",
    "common.export_csv": "CSV",
    # 사전 학습된 체크포인트
    "common.download": "{name} 내려받기 (약 {size} MB)",
    "common.download_nosize": "{name} 내려받기",
    "common.download_help": "서버에서 python -m mmviz.download {name}을 실행합니다(처음 한 번 인터넷이 필요합니다).",
    "common.download_off": "이 서버에서는 내려받기가 꺼져 있습니다(MMVIZ_DOWNLOADS=off). "
                           "`python -m mmviz.download {name}`으로 받을 수 있습니다.",
    "common.download_running": "{name} 내려받는 중…",
    "common.download_progress": "{name} 내려받는 중: 약 {total} MB 중 {got:.0f} MB",
    "common.download_failed": "{name}을(를) 내려받지 못했습니다: {why}",
    "common.download_done": "{name}이(가) 준비되었습니다. 위에서 고르세요.",
    # 토큰이 되기까지 텍스트에 일어난 일 (mmviz.ui.token_notes)
    "common.samples": "예제 (클릭 한 번)",
    "common.chip_title": "위치 {pos}, id {id}",
    "common.note_empty": "텍스트가 비어 있어서(또는 공백뿐이라서) 모델은 특수 토큰만 봅니다.",
    "common.note_cut": "텍스트(글자 {chars:,}개, 토큰 {pieces:,}{more}개)를 앞의 토큰 {kept}개로 잘랐습니다: {why}.",
    "common.note_why_context": "모델의 문맥 길이가 토큰 {ctx}개입니다",
    "common.note_why_page": "이 페이지는 모든 토큰을 그리므로 {max}개에서 멈춥니다(모델 자체는 {ctx}개까지 받습니다)",
    "common.note_unknown_1": "토큰 {n}개가 알 수 없는 토큰({token})이 되었습니다. 이 토크나이저에는 일부 글자(이모지, 다른 "
                             "문자 체계, 제어 문자)에 맞는 조각이 없습니다.",
    "common.note_unknown_n": "토큰 {n}개가 알 수 없는 토큰({token})이 되었습니다. 이 토크나이저에는 일부 글자(이모지, 다른 "
                             "문자 체계, 제어 문자)에 맞는 조각이 없습니다.",
    "common.note_control": "텍스트에 보이지 않는 제어 문자나 방향 문자가 있습니다({chars}).",
    # 코드 보기
    "common.show_code": "코드 보기",
    # 모든 강의가 함께 쓰는 그림 (mmviz.figures.common)
    "common.fig_query_looks": "쿼리 (보는 쪽)",
    "common.fig_key_looked": "키 (보이는 쪽)",
    "common.fig_query_token": "쿼리 토큰",
    "common.fig_key_token": "키 토큰",
    "common.fig_query": "쿼리",
    "common.fig_key": "키",
    "common.fig_weight": "가중치",
    "common.fig_value": "값",
    "common.fig_row": "행",
    "common.fig_column": "열",
    "common.fig_masked": "마스크됨: 소프트맥스 전에 −∞, 가중치 0<extra></extra>",
    "common.fig_true_alignment": "실제 정렬",
    "common.fig_layer_n": "층 {l}",
    "common.fig_head_n": "헤드 {h}",
    "common.fig_layer_head": "층 {l}, 헤드 {h}",
    "common.fig_query_key": "쿼리 %{{y}} → 키 %{{x}}",
    "common.fig_queries": "쿼리",
    "common.fig_keys": "키",
    "common.fig_other_queries": "다른 쿼리",
    "common.fig_chosen_query": "고른 쿼리",
    "common.fig_weights": "가중치",
    "common.fig_attention": "어텐션",
    "common.fig_masked_name": "마스크됨",
    # 페이지에서 고르는 이미지 하나, 버튼으로 생성하는 이미지 (mmviz.ui.images)
    "common.picker_src_scene": "도형 세계 장면",
    "common.picker_src_sidebar": "사이드바 이미지",
    "common.picker_src_upload": "여기서 업로드",
    "common.picker_upload": "이미지 업로드",
    "common.picker_upload_hint": "위에서 이미지를 업로드하세요(크기 제한 없음; PNG, JPEG, GIF, WebP, BMP, TIFF).",
    "common.picker_remove_help": "이전 장면으로.",
    "common.picker_reset_help": "첫 장면으로.",
    "common.picker_other_colour": "{colour} {kind}은(는) 이 배경에서 잘 보이지 않아서, 도형 세계가 다른 색으로 그렸습니다.",
    "common.gen_generate": "생성",
    "common.gen_sampling": "코드를 샘플링하는 중…",
    "common.gen_sampling_s": "코드를 샘플링하는 중… {s:.1f}초",
    "common.gen_busy_session": "마지막 이미지를 아직 생성하고 있습니다. 끝날 때까지 기다린 뒤 다시 생성을 누르세요.",
    "common.gen_busy_server": "지금 이 서버에서 이미지 {n}개를 생성하고 있습니다. 몇 초 뒤에 다시 해 보세요.",
}
