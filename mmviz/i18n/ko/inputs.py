"""mmviz.inputs가 쓸 수 없는 파일(과 줄인 클립)에 대해 하는 말: 한 문장씩."""

STRINGS = {
    "inputs.hint_image": "PNG, JPEG, GIF, WEBP, BMP, TIFF 이미지를 올려 주세요",
    "inputs.hint_audio": "WAV, FLAC, OGG, MP3 파일을 올려 주세요",
    "inputs.empty": "파일이 비어 있습니다(0바이트). {hint}.",
    "inputs.image_bomb": "이미지의 픽셀이 너무 많아 안전하게 디코딩할 수 없습니다. {mp:g}메가픽셀 이하의 이미지를 써 주세요.",
    "inputs.image_damaged": "이미지 파일이 손상되어 읽을 수 없습니다. {hint}.",
    "inputs.image_format": "이 파일은 지원하지 않는 {fmt} 형식입니다. {hint}.",
    "inputs.not_image": "이 파일은 앱이 읽을 수 있는 이미지가 아닙니다. {hint}.",
    "inputs.image_too_big": "파일 크기가 {size}로 제한({limit})보다 큽니다. 더 작은 이미지를 올려 주세요.",
    "inputs.image_empty": "이미지의 너비나 높이가 0입니다. 픽셀이 있는 이미지를 골라 주세요.",
    "inputs.image_pixels": "이미지가 {w} × {h} 픽셀({mp:.1f}메가픽셀)로 제한({limit:g}메가픽셀)보다 큽니다. 더 작은 "
                           "이미지를 써 주세요.",
    "inputs.image_truncated": "{fmt} 이미지가 손상되었거나 일부가 잘려 디코딩할 수 없습니다. 파일의 다른 사본으로 다시 "
                              "해 보세요.",
    "inputs.image_mode": "이미지의 색 형식({mode})을 앱이 변환할 수 없습니다. {hint}.",
    "inputs.audio_too_big": "파일 크기가 {size}로 제한({limit})보다 큽니다. 더 짧은 클립을 올려 주세요.",
    "inputs.audio_rate": "파일에 적힌 샘플링 레이트(sample rate)가 {rate} Hz로 실제 오디오의 값이 아니어서, 파일이 손상된 "
                         "것 같습니다. {hint}.",
    "inputs.not_audio": "이 파일은 앱이 읽을 수 있는 오디오가 아니거나 손상되었습니다. {hint}.",
    "inputs.audio_invalid": "오디오에 잘못된 샘플(NaN 또는 무한대)이 있습니다. 클립을 다시 내보내거나 다른 파일을 골라 "
                            "주세요.",
    "inputs.audio_short": "클립 길이가 {seconds:.3f}초로 최소 길이 {min:g}초보다 짧습니다. 더 긴 녹음을 써 주세요.",
    "inputs.note_cut": "클립 길이가 {seconds:.1f}초여서 앞의 {max:g}초만 씁니다.",
    "inputs.note_silent": "클립이 무음입니다(모든 샘플이 0).",
}
