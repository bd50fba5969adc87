"""English: the attention_maps lesson (pages/*_attention_maps.py, mmviz.figures.attention_maps)."""

STRINGS: dict[str, str] = {
}
