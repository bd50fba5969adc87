"""English: the positional_encoding lesson (pages/*_positional_encoding.py, mmviz.figures.positional_encoding)."""

STRINGS: dict[str, str] = {
}
