"""The layout rules of DESIGN.md, checked on the source: one floor per role, imports only go down,
no import circle, thin pages named like their lesson and figures.

Every ``import`` statement counts, also those inside functions (a lazy import that dodges a circle
is still a circle).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE_MAX_LINES = 250

#: floor of each part of mmviz (its first name after "mmviz."); an import may only go to a lower floor,
#: or stay inside its own part (a lesson only inside its own lesson)
FLOORS = {
    "memory": -1,  # the process's heap: below everything (inputs trims after a large decode)
    "i18n": -1,  # the interface's words, in data only: inputs says what is wrong with a file in them
    "device": 0, "inputs": 0, "optim": 0,
    "data": 1,
    "patches": 2, "pos_embed": 2, "audio": 2, "windows": 2, "attention": 2, "tokenizers": 2, "sampling": 2,  # ops
    "models": 3,
    "hf": 4,
    "weights": 5,
    "download": 6, "train": 6, "lessons": 6,
    "figures": 7,
    "ui": 8,
}
OPS = {part for part, floor in FLOORS.items() if floor == 2}


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted((ROOT / "mmviz").rglob("*.py")):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _imports(path: Path, module: str | None = None) -> set[str]:
    """mmviz modules imported anywhere in a file (resolved to the longest known module name)."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                pkg = (module or "").split(".")
                base = ".".join(pkg[: len(pkg) - node.level + (1 if path.name == "__init__.py" else 0)] + [base])
            names |= {base} | {f"{base}.{a.name}" for a in node.names}
    found = set()
    for n in names:
        while n and n not in MODULES:
            n = n.rpartition(".")[0]
        if n:
            found.add(n)
    return found


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "mmviz"


def _lesson(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "lessons" else None


GRAPH = {m: _imports(p, m) - {m} for m, p in MODULES.items()}


def test_every_part_of_mmviz_has_a_floor():
    parts = {_part(m) for m in MODULES} - {"mmviz"}
    assert parts <= set(FLOORS), f"give these a floor in FLOORS: {sorted(parts - set(FLOORS))}"


def test_imports_only_go_down():
    wrong = []
    for m, targets in GRAPH.items():
        src = _part(m)
        for t in targets:
            dst = _part(t)
            if t == "mmviz" or dst == src and (src != "lessons" or _lesson(m) == _lesson(t)):
                continue
            if src in OPS and dst in OPS:
                continue  # teaching ops may build on each other (no circle: see below)
            if src == "mmviz" or FLOORS.get(dst, 99) >= FLOORS.get(src, -1):
                wrong.append(f"{m} -> {t}")
    assert not wrong, "imports that run up or sideways:\n" + "\n".join(sorted(wrong))


def test_figures_take_numpy_and_build_plotly_only():
    for m, targets in GRAPH.items():
        if _part(m) == "figures":
            assert targets <= {"mmviz.figures", "mmviz.figures.common"}, (m, targets)


def test_no_import_circle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(GRAPH.get(m, ())):
            if t == "mmviz" or t not in GRAPH:
                continue
            if state.get(t) == 1:
                circle = stack[stack.index(t):] + [t]
                pytest.fail("import circle: " + " -> ".join(circle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_only_the_ui_module_imports_streamlit():
    for m, p in MODULES.items():
        if _part(m) != "ui":
            assert not re.search(r"^\s*(import streamlit|from streamlit)", p.read_text(), re.M), m


def _pages() -> list[Path]:
    return sorted((ROOT / "pages").glob("*.py"))


def test_pages_are_thin_and_named_like_their_lesson_and_figures():
    assert _pages(), "no pages found"
    for page in _pages():
        m = re.fullmatch(r"\d+_([a-z0-9_]+)\.py", page.name)
        assert m, f"{page.name}: pages are named N_<name>.py"
        name = m.group(1)
        assert (ROOT / "mmviz/lessons" / f"{name}.py").is_file() or (ROOT / "mmviz/lessons" / name).is_dir(), name
        assert (ROOT / "mmviz/figures" / f"{name}.py").is_file(), name
        lines = len(page.read_text().splitlines())
        assert lines <= PAGE_MAX_LINES, f"{page.name} has {lines} lines (at most {PAGE_MAX_LINES})"
        allowed = {"mmviz.ui", f"mmviz.lessons.{name}", f"mmviz.figures.{name}"}
        packages = {"mmviz", "mmviz.lessons", "mmviz.figures"}  # "from mmviz.figures import x" names them too
        imported = _imports(page)
        assert {i for i in imported if not any(i == a or i.startswith(a + ".") for a in allowed)} <= packages, \
            (page.name, imported)
        source = page.read_text()
        assert not re.search(r"^\s*(import|from) (torch|numpy)\b", source, re.M), f"{page.name}: no tensor math in pages"


def test_app_only_builds_the_shell():
    imported = _imports(ROOT / "app.py")
    assert imported <= {"mmviz", "mmviz.ui"}, imported
    assert len((ROOT / "app.py").read_text().splitlines()) <= 80
