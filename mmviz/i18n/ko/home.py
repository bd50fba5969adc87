"""Korean: the home lesson (pages/*_home.py, mmviz.figures.home)."""

STRINGS: dict[str, str] = {
}
