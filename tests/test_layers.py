"""The layers of DESIGN.md §6 hold (the import-linter contracts in pyproject.toml, which CI
also runs as `lint-imports`): here so that the suite fails as soon as an import breaks them."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_it_keeps_every_import_linter_contract(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0
