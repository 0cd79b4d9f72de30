"""Entities recently used as the console's scope, newest first, per context.

Kept in one small JSON file in the platform's state directory (as drafts are), readable by the
user only.  Only canonical references are stored: names of catalog entities, never tokens.
"""

from __future__ import annotations

from pathlib import Path

from orch_tui.core.entity import EntityRef, EntityRefError, parse_entity_ref
from orch_tui.core.state import read_json, state_dir, write_private_json

MAX_RECENT = 10


def recent_entities_path() -> Path:
    return state_dir() / "recent-entities.json"


class RecentEntities:
    def __init__(self, path: Path | None = None, *, limit: int = MAX_RECENT) -> None:
        self.path = path or recent_entities_path()
        self.limit = limit

    def _contexts(self) -> dict[str, list[str]]:
        record = read_json(self.path)
        contexts = record.get("contexts") if isinstance(record, dict) else None
        if not isinstance(contexts, dict):
            return {}
        return {
            name: [ref for ref in refs if isinstance(ref, str)]
            for name, refs in contexts.items()
            if isinstance(name, str) and isinstance(refs, list)
        }

    def load(self, context: str) -> list[EntityRef]:
        """The context's recent entities, newest first; unreadable entries are skipped."""
        refs: list[EntityRef] = []
        for text in self._contexts().get(context, []):
            try:
                ref = parse_entity_ref(text)
            except EntityRefError:
                continue
            if ref not in refs:
                refs.append(ref)
        return refs[: self.limit]

    def add(self, context: str, ref: EntityRef) -> list[EntityRef]:
        """Put ``ref`` first for ``context``; return the new list (kept even when it cannot be saved)."""
        contexts = self._contexts()
        refs = [ref, *(r for r in self.load(context) if r != ref)][: self.limit]
        contexts[context] = [r.target for r in refs]
        write_private_json(self.path, {"contexts": contexts}, prefix=".recent-")
        return refs
