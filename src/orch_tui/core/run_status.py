"""The state of a workflow run, the one status every backend's runs are mapped onto.

Kept apart from the wire models so that what only shows a status needs no model library.
"""

from __future__ import annotations

import enum


class RunStatus(str, enum.Enum):
    """State of a workflow run (``ProcessInstanceStatusDTO``)."""

    ACTIVE = "ACTIVE"
    ERROR = "ERROR"
    COMPLETED = "COMPLETED"
    ABORTED = "ABORTED"
    SUSPENDED = "SUSPENDED"
    PENDING = "PENDING"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def _missing_(cls, value: object) -> RunStatus:
        if isinstance(value, str):
            upper = value.upper()
            for member in cls:
                if member.value == upper:
                    return member
        return cls.UNKNOWN

    @property
    def is_final(self) -> bool:
        return self in (RunStatus.COMPLETED, RunStatus.ERROR, RunStatus.ABORTED)
