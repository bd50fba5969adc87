"""English: the patch_tokenization lesson (pages/*_patch_tokenization.py, mmviz.figures.patch_tokenization)."""

STRINGS: dict[str, str] = {
}
