"""Human formatting of times, durations, ratios and untrusted text."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def relative_time(when: datetime | None, now: datetime, *, never: str = "never") -> str:
    """``3m ago`` style; coarse on purpose so lists do not redraw every second."""
    if when is None:
        return never
    seconds = (now - when).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 45:
        text = "just now" if not future else "in a moment"
        return text
    if seconds < 90 * 60:
        amount, unit = round(seconds / 60), "m"
    elif seconds < 36 * 3600:
        amount, unit = round(seconds / 3600), "h"
    elif seconds < 60 * 86400:
        amount, unit = round(seconds / 86400), "d"
    elif seconds < 730 * 86400:
        amount, unit = round(seconds / (30 * 86400)), "mo"
    else:
        amount, unit = round(seconds / (365 * 86400)), "y"
    return f"in {amount}{unit}" if future else f"{amount}{unit} ago"


def absolute_time(when: datetime | None, *, tz: timezone | None = None) -> str:
    """Absolute time with its zone, e.g. ``2026-11-22 14:02:11 UTC``."""
    if when is None:
        return "—"
    local = when.astimezone(tz) if tz is not None else when
    name = local.tzname() or local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {name}"


def duration(seconds: float | None) -> str:
    """``1h 02m``, ``3m 05s``, ``4.2s``."""
    if seconds is None:
        return "—"
    if seconds < 10:
        return f"{seconds:.1f}s"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def ratio(value: float | None) -> str:
    if value is None or value != value:  # NaN
        return "—"
    return f"{value * 100:.0f}%"


def single_line(text: str | None, limit: int = 200) -> str:
    """Make untrusted text safe for one table cell: no control characters, one line, bounded."""
    if not text:
        return ""
    flat = _CONTROL.sub("", text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
    flat = "".join(ch for ch in flat if unicodedata.category(ch) != "Cf" or ch in "\u200d")
    if len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat


def clean_text(text: str | None) -> str:
    """Strip terminal control characters and invisible format characters such as right-to-left
    overrides (keeps newlines, tabs and the zero-width joiner emoji need)."""
    if not text:
        return ""
    kept = _CONTROL.sub("", text.replace("\r\n", "\n"))
    return "".join(ch for ch in kept if unicodedata.category(ch) != "Cf" or ch == "\u200d")
