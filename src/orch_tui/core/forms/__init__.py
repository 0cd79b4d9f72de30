"""The form model: a workflow's input schema (JSON Schema draft-07 plus the orchestrator
form's ``ui:*`` extensions) as a tree of fields over live data.

No Textual or Rich here; see ``docs/form-model.md`` for the public surface.
"""

from __future__ import annotations

from orch_tui.core.forms.fields import MISSING, Field, FieldError, Option, Path, ReviewRow, SchemaError, Step
from orch_tui.core.forms.model import FormModel

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
