"""Korean: the audio_tokens lesson (pages/*_audio_tokens.py, mmviz.figures.audio_tokens)."""

STRINGS: dict[str, str] = {
}
