"""Korean: the swin_windows lesson (pages/*_swin_windows.py, mmviz.figures.swin_windows)."""

STRINGS: dict[str, str] = {
}
