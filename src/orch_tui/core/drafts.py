"""Form drafts: what the user typed, kept per context and workflow until a run starts.

Drafts live as small JSON files in the platform's state directory, readable by the
user only.  Callers leave secrets (password fields) out of what they save.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from orch_tui.core.state import state_dir, write_private_json


def drafts_dir() -> Path:
    return state_dir() / "drafts"


@dataclass(frozen=True)
class Draft:
    context: str
    workflow_id: str
    data: dict[str, Any]
    saved_at: datetime


class DraftStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or drafts_dir()

    def _path(self, context: str, workflow_id: str) -> Path:
        digest = hashlib.sha256(f"{context}\0{workflow_id}".encode()).hexdigest()[:32]
        return self.directory / f"{digest}.json"

    def save(self, context: str, workflow_id: str, data: dict[str, Any], *, now: datetime | None = None) -> None:
        """Write atomically; an unwritable state directory is not an error the user must see."""
        when = now or datetime.now(timezone.utc)
        record = {"context": context, "workflowId": workflow_id, "savedAt": when.isoformat(), "data": data}
        write_private_json(self._path(context, workflow_id), record, prefix=".draft-")

    def load(self, context: str, workflow_id: str) -> Draft | None:
        path = self._path(context, workflow_id)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("context") != context or record.get("workflowId") != workflow_id:
                return None
            data = record["data"]
            if not isinstance(data, dict):
                return None
            return Draft(context, workflow_id, data, datetime.fromisoformat(record["savedAt"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def clear(self, context: str, workflow_id: str) -> None:
        try:
            self._path(context, workflow_id).unlink()
        except OSError:
            return
