"""docs/keybindings.md is generated from the code and kept in step with it."""

from __future__ import annotations

from pathlib import Path

from orch_tui.ui.keymap import described, key_sections, keybindings_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "keybindings.md"


def test_keybindings_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == keybindings_markdown(), (
        "docs/keybindings.md is out of date: run `python scripts/keybindings.py`"
    )


def test_every_key_can_be_rebound_by_a_unique_id() -> None:
    owners: dict[str, tuple[str, str]] = {}
    for title, bindings in key_sections():
        for binding in described(bindings):
            assert binding.id, f"{title}: {binding.key} ({binding.description}) has no id"
            owner = (binding.action, binding.key)
            assert owners.setdefault(binding.id, owner) == owner, f"id {binding.id} is used twice"
