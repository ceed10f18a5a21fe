"""apps/rules stays pure: the standard library only (CONVENTIONS.md habit 2)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "apps" / "rules"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Absolute module names imported by one file (relative imports stay inside the package)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.append((node.lineno, node.module))
            elif node.level > 1:
                found.append((node.lineno, "." * node.level + (node.module or "")))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and getattr(node.func, "id", getattr(node.func, "attr", ""))
            in {"__import__", "import_module"}
        ):
            found.append((node.lineno, "<dynamic import>"))
    return found


def test_it_imports_only_the_standard_library() -> None:
    files = sorted(RULES.rglob("*.py"))
    assert len(files) >= 5
    offending = []
    for path in files:
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            allowed = top == "__future__" or top in sys.stdlib_module_names
            if not allowed or top == "apps":
                offending.append(f"{path.relative_to(RULES.parent.parent)}:{line} imports {module}")
    assert offending == []


def test_it_would_catch_a_django_or_sibling_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import django.db\nfrom apps.people import models\nfrom .. import people\n"
        "from .model import Case\nimport importlib\nimportlib.import_module('django')\n",
        encoding="utf-8",
    )
    modules = [m for _, m in imported_modules(bad)]
    assert modules == ["django.db", "apps.people", "..", "importlib", "<dynamic import>"]
