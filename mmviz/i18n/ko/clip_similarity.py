"""Korean: the clip_similarity lesson (pages/*_clip_similarity.py, mmviz.figures.clip_similarity)."""

STRINGS: dict[str, str] = {
}
