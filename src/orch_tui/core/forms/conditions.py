"""``ui:hidden`` / ``omitFromWorkflowInput`` conditions.

A condition is ``true``/``false`` or an object:

* ``{"when": "a.b", "is": v | [v, ...]}`` – true when the value equals one of the values;
* ``{"when": "a.b", "isNot": v | [v, ...]}`` – true when it equals none of them;
* ``{"when": "a.b", "isEmpty": true | false}`` – true when the value is (not) empty
  (missing, null, ``""``, ``[]`` or ``{}``);
* ``{"allOf": [cond, ...]}`` / ``{"anyOf": [cond, ...]}`` – nestable combinations.

Several operators in one object must all hold.  An object without any operator is false.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from orch_tui.core.forms.data import is_empty, json_equal

Lookup = Callable[[str], Any]


def evaluate(condition: Any, lookup: Lookup) -> bool:
    """Whether ``condition`` holds; ``lookup`` maps a ``when`` dot-path to its current value."""
    if isinstance(condition, bool):
        return condition
    if not isinstance(condition, dict):
        return False
    results: list[bool] = []
    if "allOf" in condition:
        results.append(all(evaluate(part, lookup) for part in _as_list(condition["allOf"])))
    if "anyOf" in condition:
        results.append(any(evaluate(part, lookup) for part in _as_list(condition["anyOf"])))
    when = condition.get("when")
    if isinstance(when, str):
        value = lookup(when)
        if "is" in condition:
            results.append(_equals_any(value, condition["is"]))
        if "isNot" in condition:
            results.append(not _equals_any(value, condition["isNot"]))
        if "isEmpty" in condition:
            results.append(is_empty(value) == bool(condition["isEmpty"]))
    return bool(results) and all(results)


def when_paths(condition: Any) -> Iterator[str]:
    """Every ``when`` path a condition reads."""
    if not isinstance(condition, dict):
        return
    when = condition.get("when")
    if isinstance(when, str):
        yield when
    for key in ("allOf", "anyOf"):
        for part in _as_list(condition.get(key)):
            yield from when_paths(part)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _equals_any(value: Any, expected: Any) -> bool:
    candidates = expected if isinstance(expected, list) else [expected]
    return any(json_equal(value, candidate) for candidate in candidates)
