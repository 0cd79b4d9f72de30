"""The start snapshot: the workflow list as last loaded, so that the next start shows it at once.

``orch-tui`` started the same way again (the same arguments, the same ``ORCH_TUI_*`` environment,
the same configuration file, unchanged) paints the list it last loaded while its backend is still
being built and asked, with the list marked as remembered; the backend's answer then replaces it
in place.  Started any other way, the console starts as it would without a snapshot.

A snapshot holds what the first screen needs and nothing secret: the context's settings as they
were resolved (name, read-only, refresh interval, theme, keys), what the header says of the
backend, and the list's rows.  It is written atomically, readable by the user only, in the state
directory; a snapshot that cannot be read or does not make sense is ignored.

This module needs no model library: reading a snapshot must cost next to nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from orch_tui import __version__
from orch_tui.core.backend import BackendInfo
from orch_tui.core.overview import OverviewNames
from orch_tui.core.run_status import RunStatus
from orch_tui.core.state import ENV_PREFIX, default_config_path, read_json, state_dir, write_private_json

FORMAT = 1
"""Bumped when the snapshot's shape changes: an older snapshot is then not used."""

MAX_ROWS = 500
"""Rows kept: enough for any first screen."""

MAX_TEXT = 2_000
"""Characters kept of a row's name or description (the list shows one line of them)."""

KEEP = 16
"""Snapshots kept, one per way of starting; the least recently written go first."""

_SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL")


def snapshot_dir() -> Path:
    return state_dir() / "start"


def snapshot_path(key: str) -> Path:
    return snapshot_dir() / f"{key}.json"


def forget_snapshot(key: str) -> None:
    """Remove the snapshot for ``key``: the next start that way reads the configuration first."""
    try:
        snapshot_path(key).unlink(missing_ok=True)
    except OSError:
        pass


def start_key(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """What identifies a way of starting: the arguments, the ``ORCH_TUI_*`` environment (only
    whether a secret-looking variable is set, never its value), the configuration file's identity
    and modification time, the working directory and this version."""
    env = os.environ if environ is None else environ
    config = default_config_path(env).absolute()
    try:
        info = config.stat()
        config_state: list[Any] = [str(config), info.st_mtime_ns, info.st_size, info.st_ino]
    except OSError:
        config_state = [str(config), None]
    variables = sorted(
        (name, "(set)" if any(word in name.upper() for word in _SECRET_WORDS) else value)
        for name, value in env.items()
        if name.startswith(ENV_PREFIX)
    )
    material = [FORMAT, __version__, list(argv), variables, config_state, os.getcwd()]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StartSettings:
    """The context's settings as resolved when the snapshot was written."""

    context_name: str
    read_only: bool
    refresh_interval: float
    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RememberedStats:
    runsLastMonth: int | None = None
    successRatio: float | None = None


@dataclass(frozen=True)
class RememberedWorkflow(OverviewNames):
    """A row of the remembered list: the fields of a workflow overview the list shows, sorts and
    filters by, under the same names."""

    workflowId: str
    name: str | None = None
    description: str | None = None
    version: str | None = None
    lastRunId: str | None = None
    lastTriggeredMs: float | None = None
    lastRunStatus: RunStatus | None = None
    available: bool = True
    unavailable_reason: str | None = None
    workflowRunStats: RememberedStats | None = None


@dataclass(frozen=True)
class StartSnapshot:
    settings: StartSettings
    backend: BackendInfo
    workflows: tuple[RememberedWorkflow, ...]
    saved_at: float
    """When it was written (seconds since the epoch)."""

    def age(self, now: float | None = None) -> float:
        return max(0.0, (time.time() if now is None else now) - self.saved_at)


# -- writing --------------------------------------------------------------------------------------


def _clip(value: Any) -> str | None:
    return value[:MAX_TEXT] if isinstance(value, str) else None


def _public_url(url: str) -> str:
    """The URL without any user name or password in it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def workflow_record(workflow: Any) -> dict[str, Any]:
    """What is kept of one workflow overview (any object with its fields)."""
    stats = getattr(workflow, "workflowRunStats", None)
    status = getattr(workflow, "lastRunStatus", None)
    return {
        "workflowId": str(workflow.workflowId)[:MAX_TEXT],
        "name": _clip(workflow.name),
        "description": _clip(workflow.description),
        "version": _clip(workflow.version),
        "lastRunId": _clip(workflow.lastRunId),
        "lastTriggeredMs": workflow.lastTriggeredMs,
        "lastRunStatus": status.value if isinstance(status, RunStatus) else None,
        "available": bool(workflow.available),
        "unavailable_reason": _clip(workflow.unavailable_reason),
        "workflowRunStats": None if stats is None else {
            "runsLastMonth": stats.runsLastMonth, "successRatio": stats.successRatio,
        },
    }


def snapshot_record(settings: StartSettings, backend: BackendInfo, workflows: Iterable[Any]) -> dict[str, Any]:
    rows = []
    for workflow in workflows:
        if len(rows) >= MAX_ROWS:
            break
        rows.append(workflow_record(workflow))
    return {
        "format": FORMAT,
        "saved_at": time.time(),
        "settings": {
            "context_name": settings.context_name,
            "read_only": settings.read_only,
            "refresh_interval": settings.refresh_interval,
            "theme": settings.theme,
            "keymap": dict(settings.keymap),
        },
        "backend": {
            "kind": backend.kind,
            "label": backend.label,
            "url": _public_url(backend.url),
            "demo": backend.demo,
            "read_only": backend.read_only,
            "capabilities": sorted(backend.capabilities),
        },
        "workflows": rows,
    }


def save_snapshot(key: str, settings: StartSettings, backend: BackendInfo, workflows: Iterable[Any]) -> bool:
    """Write the snapshot for ``key``; the oldest beyond :data:`KEEP` are removed.  False when it
    could not be written (that is never an error the user must see)."""
    path = snapshot_path(key)
    written = write_private_json(path, snapshot_record(settings, backend, workflows), prefix=".start-")
    if written:
        _prune(path.parent)
    return written


def _prune(folder: Path) -> None:
    try:
        files = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for stale in files[KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


# -- reading --------------------------------------------------------------------------------------


class _Unusable(Exception):
    pass


def _text(record: Mapping[str, Any], name: str, *, optional: bool = True) -> str | None:
    value = record.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _Unusable(name)
    return value


def _number(record: Mapping[str, Any], name: str) -> float | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Unusable(name)
    return value


def _flag(record: Mapping[str, Any], name: str) -> bool:
    value = record.get(name, False)
    if not isinstance(value, bool):
        raise _Unusable(name)
    return value


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Unusable("object")
    return value


def _workflow(record: Any) -> RememberedWorkflow:
    record = _mapping(record)
    stats = record.get("workflowRunStats")
    runs = None if stats is None else _number(_mapping(stats), "runsLastMonth")
    status = _text(record, "lastRunStatus")
    return RememberedWorkflow(
        workflowId=_text(record, "workflowId", optional=False) or "",
        name=_text(record, "name"),
        description=_text(record, "description"),
        version=_text(record, "version"),
        lastRunId=_text(record, "lastRunId"),
        lastTriggeredMs=_number(record, "lastTriggeredMs"),
        lastRunStatus=None if status is None else RunStatus(status),
        available=_flag(record, "available"),
        unavailable_reason=_text(record, "unavailable_reason"),
        workflowRunStats=None if stats is None else RememberedStats(
            runsLastMonth=None if runs is None else int(runs),
            successRatio=_number(_mapping(stats), "successRatio"),
        ),
    )


def parse_snapshot(record: Any) -> StartSnapshot | None:
    """The snapshot in ``record``, or None when it is of another format or does not make sense."""
    try:
        record = _mapping(record)
        if record.get("format") != FORMAT:
            return None
        settings = _mapping(record.get("settings"))
        keymap = _mapping(settings.get("keymap") or {})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()):
            raise _Unusable("keymap")
        interval = _number(settings, "refresh_interval")
        backend = _mapping(record.get("backend"))
        capabilities = backend.get("capabilities") or []
        if not isinstance(capabilities, list) or not all(isinstance(c, str) for c in capabilities):
            raise _Unusable("capabilities")
        rows = record.get("workflows")
        if not isinstance(rows, list):
            raise _Unusable("workflows")
        saved_at = _number(record, "saved_at")
        if interval is None or interval <= 0 or saved_at is None:
            raise _Unusable("numbers")
        return StartSnapshot(
            settings=StartSettings(
                context_name=_text(settings, "context_name", optional=False) or "",
                read_only=_flag(settings, "read_only"),
                refresh_interval=float(interval),
                theme=_text(settings, "theme"),
                keymap=dict(keymap),
            ),
            backend=BackendInfo(
                kind=_text(backend, "kind", optional=False) or "",
                label=_text(backend, "label", optional=False) or "",
                url=_text(backend, "url", optional=False) or "",
                demo=_flag(backend, "demo"),
                read_only=_flag(backend, "read_only"),
                capabilities=frozenset(capabilities),
            ),
            workflows=tuple(_workflow(row) for row in rows[:MAX_ROWS]),
            saved_at=float(saved_at),
        )
    except (_Unusable, ValueError, TypeError):
        return None


def load_snapshot(key: str) -> StartSnapshot | None:
    """The snapshot written for ``key``, or None (none yet, unreadable, or not usable)."""
    record = read_json(snapshot_path(key))
    return None if record is None else parse_snapshot(record)
