"""The README's layout map stays true: every module it names exists, and every module
of the package is on it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wirescope"


def _layout_names() -> set[Path]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("Layout: `src/wirescope/`", 1)[1].split("```", 2)[1]
    named: set[Path] = set()
    folder: str | None = None
    sub: tuple[int, str] | None = None  # an indented "x/" opens a package of the row's folder
    for line in block.splitlines():
        if not line.strip():
            continue
        first = line.split()[0]
        indent = len(line) - len(line.lstrip())
        row = not line.startswith(" ")
        if row:  # a new row: a folder (x/) or a top-level module
            folder = first.rstrip("/") if first.endswith("/") else None
            sub = None
            if folder is not None:  # the row's folder is where its modules are, not one
                line = line[len(first) :]
        elif sub is not None and indent <= sub[0]:
            sub = None
        if folder is not None and not row and first.endswith("/"):
            sub = (indent, first.rstrip("/"))
            named.add(PACKAGE / folder / sub[1])
            line = line[indent + len(first) :]
        for name in re.findall(r"\b\w+(?:\.py\b|/(?=\s|$))", line):
            if name.endswith("/"):  # a top-level folder, else a subfolder of the row's
                top = folder is None or (PACKAGE / name).is_dir()
                named.add(
                    PACKAGE / name.rstrip("/") if top else PACKAGE / folder / name.rstrip("/")
                )
                continue
            # a module of the row's package, else of its folder, else a top-level one
            places = [PACKAGE / folder / sub[1]] if folder and sub else []
            places += [PACKAGE / folder] if folder else []
            places.append(PACKAGE)
            named.add(next((d / name for d in places if (d / name).is_file()), places[0] / name))
    return named


def test_every_module_named_exists() -> None:
    missing = sorted(str(p.relative_to(PACKAGE)) for p in _layout_names() if not p.exists())
    assert not missing, f"README layout names what is not there: {missing}"


def test_every_module_is_named() -> None:
    named = _layout_names()
    modules = {
        p
        for p in PACKAGE.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py") and "resources" not in p.parts
    }
    # A folder named without its modules (evaluate/) covers them.
    covered = {p for p in modules if p.parent in named}
    unnamed = sorted(str(p.relative_to(PACKAGE)) for p in modules - named - covered)
    assert not unnamed, f"README layout misses: {unnamed}"
