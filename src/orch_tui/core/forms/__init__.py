"""The form model: a workflow's input schema (JSON Schema draft-07 plus the orchestrator
form's ``ui:*`` extensions) as a tree of fields over live data.

No Textual or Rich here; see ``docs/form-model.md`` for the public surface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orch_tui.core.forms.fields import MISSING, Field, FieldError, Option, Path, ReviewRow, SchemaError, Step

if TYPE_CHECKING:
    from orch_tui.core.forms.model import FormModel


def __getattr__(name: str) -> Any:
    # The model (and the schema machinery under it) is imported when first asked for, so that
    # the package's light modules (fields, data, dynamic) can be used without it.
    if name == "FormModel":
        from orch_tui.core.forms.model import FormModel

        return FormModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "MISSING",
    "Field",
    "FieldError",
    "FormModel",
    "Option",
    "Path",
    "ReviewRow",
    "SchemaError",
    "Step",
]
