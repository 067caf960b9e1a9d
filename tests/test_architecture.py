"""The engine never imports MkDocs: one adapter module wires MkDocs' events to it, so a move
to a successor of MkDocs 1.x replaces that module (and the templates) and nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import committee_papers

PACKAGE = Path(committee_papers.__file__).parent
ADAPTER = "mkdocs_plugin.py"
#: The site generator and its theme: only the adapter may name them.
FRAMEWORK = {"mkdocs", "material"}


def _imported(path: Path) -> set[str]:
    """The top-level names of every module `path` imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _engine_modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path.name != ADAPTER]


def test_no_engine_module_imports_mkdocs_or_its_theme() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(_imported(path) & FRAMEWORK)
        for path in _engine_modules()
        if _imported(path) & FRAMEWORK
    }
    assert not offenders
    assert "mkdocs" in _imported(PACKAGE / ADAPTER)  # the check looks where imports are


def test_only_the_command_line_reaches_the_adapter() -> None:
    """The engine's modules do not call back into the adapter; `papers build` enters MkDocs
    through it (cli.py)."""
    adapter = ADAPTER.removesuffix(".py")
    reaching = sorted(
        str(path.relative_to(PACKAGE))
        for path in _engine_modules()
        if any(
            isinstance(node, ast.ImportFrom) and node.module == adapter
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    )
    assert reaching == ["cli.py"]
