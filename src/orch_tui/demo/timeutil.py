"""Time helpers shared by the demo orchestrator.

Internally every instant is an ``int`` of milliseconds since the Unix epoch; this keeps the
simulation exact (no float drift) and makes comparisons cheap when filtering thousands of runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real wall clock, as an aware UTC datetime."""
    return datetime.now(UTC)


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("the demo clock must return timezone-aware datetimes")
    return (moment - EPOCH) // _ONE_MS


def iso(ms: int) -> str:
    """ISO-8601 UTC with millisecond precision, as the Data Index renders dates."""
    seconds, millis = divmod(ms, 1000)
    t = time.gmtime(seconds)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{millis:03d}Z"


def parse_iso(value: str) -> int:
    """Parse an ISO-8601 date-time that carries a zone (``Z`` or an offset).

    Raises ``ValueError`` for anything else, mirroring the GraphQL ``DateTime`` scalar.
    """
    text = value.strip()
    if "T" not in text and " " not in text:
        raise ValueError(value)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(value)
    return to_ms(moment)


def _format_number(value: float) -> str:
    """Format like ``Intl.NumberFormat('en')``: grouping, at most three decimals."""
    rounded = round(value, 3)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    whole, _, frac = f"{rounded:.3f}".partition(".")
    return f"{int(whole):,}.{frac.rstrip('0')}"


def _unit(value: float, singular: str, plural: str) -> str:
    text = _format_number(value)
    return f"{text} {singular if text == '1' else plural}"


def human_duration(ms: int) -> str:
    """Render a duration like luxon ``toHuman`` after shifting to hours/minutes/seconds.

    Example: ``63500`` -> ``"0 hours, 1 minute, 3.5 seconds"``.
    """
    ms = max(ms, 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = rest / 1000
    return ", ".join(
        (
            _unit(hours, "hour", "hours"),
            _unit(minutes, "minute", "minutes"),
            _unit(seconds, "second", "seconds"),
        )
    )


class ManualClock:
    """A controllable clock for tests and scripted demos.

    >>> clock = ManualClock(datetime(2025, 1, 1, tzinfo=UTC))
    >>> clock.advance(seconds=5)
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0.0, **kwargs: float) -> datetime:
        """Move forward by ``seconds`` (plus any ``timedelta`` keyword such as ``minutes``)."""
        self._now += timedelta(seconds=seconds, **kwargs)
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = moment.astimezone(UTC)
