from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

from orch_tui.core.drafts import DraftStore


def test_save_load_clear(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    assert store.load("prod", "greeting") is None
    when = datetime(2026, 11, 22, 10, tzinfo=UTC)
    store.save("prod", "greeting", {"name": "alice", "nested": {"n": 1}}, now=when)
    draft = store.load("prod", "greeting")
    assert draft is not None and draft.data == {"name": "alice", "nested": {"n": 1}} and draft.saved_at == when
    assert store.load("dev", "greeting") is None and store.load("prod", "other") is None
    (path,) = (tmp_path / "drafts").glob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.save("prod", "greeting", {"name": "bob"})
    assert store.load("prod", "greeting").data == {"name": "bob"}  # type: ignore[union-attr]
    store.clear("prod", "greeting")
    assert store.load("prod", "greeting") is None
    store.clear("prod", "greeting")  # clearing twice is fine


def test_corrupt_or_unwritable(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "d")
    store.save("c", "w", {"a": 1})
    (path,) = (tmp_path / "d").glob("*.json")
    path.write_text("{not json")
    assert store.load("c", "w") is None
    blocked = tmp_path / "file"
    blocked.write_text("x")
    DraftStore(blocked / "drafts").save("c", "w", {"a": 1})  # no exception
