"""Helpers shared by the form model tests."""

from __future__ import annotations

from collections.abc import Sequence

from orch_tui.core.forms import Field, FormModel


def field_at(model: FormModel, path: Sequence[str | int]) -> Field:
    """The field at ``path``; fails the test when there is none."""
    found = model.field(path)
    assert found is not None, f"no field at {tuple(path)!r}"
    return found
