"""Human formatting of times, durations, ratios and untrusted text."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def epoch_ms(ms: float | None) -> datetime | None:
    """A time given as milliseconds since the epoch; None for none, and for 0 (never)."""
    if not ms:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


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


# Characters a terminal would act on or a reader would not see: C0 and C1 controls (but newline and
# tab), DEL, format characters (bidi overrides and isolates, zero-width characters, BOM, tags),
# line and paragraph separators and lone surrogates.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible_text(text: str | None) -> str:
    """Untrusted text with nothing hidden and nothing a terminal acts on: every control character
    as its control picture (``␛``, ``␇``), other invisible or format characters (bidi overrides,
    zero-width characters) as ``\\u202e``-style escapes.  Newlines and tabs stay; ``\\r\\n`` is a
    newline."""
    if not text:
        return ""
    return _HIDDEN.sub(_shown, text.replace("\r\n", "\n"))


def hidden_count(text: str | None) -> int:
    """How many characters :func:`visible_text` shows as a symbol or an escape."""
    if not text:
        return 0
    return sum(1 for _ in _HIDDEN.finditer(text.replace("\r\n", "\n")))


def clip_text(text: str | None, limit: int = 2_000, lines: int = 30) -> tuple[str, bool]:
    """:func:`clean_text` of at most ``limit`` characters and ``lines`` lines (stripped), and
    whether anything was cut (then the text ends with ``…``)."""
    if not text:
        return "", False
    cut = len(text) > limit
    cleaned = clean_text(text[:limit]).strip()
    kept = cleaned.split("\n")
    if len(kept) > lines:
        cleaned, cut = "\n".join(kept[:lines]).rstrip(), True
    return (cleaned + "…" if cut else cleaned), cut
