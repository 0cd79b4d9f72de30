"""Status presentation: every status is a glyph and a word, never colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from orch_tui.core.run_status import RunStatus


@dataclass(frozen=True)
class StatusLook:
    glyph: str
    ascii_glyph: str
    word: str
    style_class: str

    def label(self, ascii_only: bool = False) -> str:
        return f"{self.ascii_glyph if ascii_only else self.glyph} {self.word}"


STATUS_LOOKS: dict[RunStatus, StatusLook] = {
    RunStatus.ACTIVE: StatusLook("●", "*", "Running", "status-active"),
    RunStatus.PENDING: StatusLook("◷", "~", "Pending", "status-pending"),
    RunStatus.SUSPENDED: StatusLook("ǁ", "=", "Suspended", "status-suspended"),
    RunStatus.COMPLETED: StatusLook("✔", "+", "Completed", "status-completed"),
    RunStatus.ERROR: StatusLook("✖", "x", "Failed", "status-error"),
    RunStatus.ABORTED: StatusLook("⊘", "-", "Aborted", "status-aborted"),
    RunStatus.UNKNOWN: StatusLook("?", "?", "Unknown", "status-unknown"),
}

NEVER_RUN = StatusLook("·", ".", "Never run", "status-never")
AVAILABLE = StatusLook("▲", "^", "Available", "availability-up")
UNAVAILABLE = StatusLook("▼", "v", "Unavailable", "availability-down")


ENGINE_LOOKS: dict[str, StatusLook] = {
    "running": StatusLook("▶", ">", "running", "engine-running"),
    "pausing": StatusLook("⏸", "=", "pausing", "engine-pausing"),
    "paused": StatusLook("⏸", "=", "paused", "engine-paused"),
}
ENGINE_UNKNOWN = StatusLook("?", "?", "engine", "engine-unknown")
"""The engine's state could not be fetched (or is a word the console does not know)."""


def engine_look(state: str | None) -> StatusLook:
    """``▶ running``, ``⏸ pausing``, ``⏸ paused``; ``? engine`` for anything else."""
    return ENGINE_LOOKS.get((state or "").lower(), ENGINE_UNKNOWN)


def status_look(status: RunStatus | None) -> StatusLook:
    if status is None:
        return NEVER_RUN
    return STATUS_LOOKS[status]


def availability_look(available: bool) -> StatusLook:
    return AVAILABLE if available else UNAVAILABLE


_ASCII_SYMBOLS = {
    **{look.glyph: look.ascii_glyph for look in (*STATUS_LOOKS.values(), NEVER_RUN, AVAILABLE, UNAVAILABLE)},
    **{look.glyph: look.ascii_glyph for look in ENGINE_LOOKS.values()},
    "◌": "o", "⌖": "@", "◆": "#", "›": ">", "‹": "<", "…": "~", "⏎": "<", "⌫": "<",
    "→": ">", "←": "<", "↑": "^", "↓": "v", "▶": ">", "◀": "<", "▸": ">", "◂": "<", "•": "*",
    "✓": "+", "✗": "x", "×": "x", "·": ".", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
    "⎯": "-", "━": "-", "▁": "_", "▔": "-", "⊙": "o", "○": "o", "◉": "*", "★": "*", "☐": "[", "☑": "x",
    "▼": "v", "▲": "^", "⏵": ">", "⏴": "<", "⏷": "v", "⏶": "^", "\u00a0": " ",
}


def ascii_fallback(char: str) -> str:
    """A one-cell ASCII stand-in for a one-cell symbol (status glyphs, arrows, box drawing), for
    terminals or fonts without them (``--ascii``); letters of any script are left alone."""
    if char < "\x80":
        return char
    known = _ASCII_SYMBOLS.get(char)
    if known is not None:
        return known
    code = ord(char)
    if 0x2500 <= code <= 0x259F:  # box drawing and block elements
        import unicodedata

        name = unicodedata.name(char, "")
        if code < 0x2580 and (" AND " in name or "ARC" in name or "CROSS" in name):
            return "+"
        if "HORIZONTAL" in name or "LOWER" in name or "UPPER" in name:
            return "-"
        if "VERTICAL" in name or "LEFT" in name or "RIGHT" in name:
            return "|"
        return "#" if code >= 0x2580 else "+"
    if 0x2190 <= code <= 0x2BFF:  # arrows, technical, geometric and miscellaneous symbols
        return "*"
    return char
