"""The input of a run started from the command line (``orch-tui run``): what the run form sends.

The layers, lowest first: the inputs of an earlier run (an execute link's ``instanceId``, as
"Run again" does), ``--data``, the query parameters of the link and of each ``--query`` (the
web UI's prefill rules, :mod:`orch_tui.core.prefill`), then each ``--set path=value`` (the same
path check and coercion, one parameter at a time).  Then the run form's own model does the
rest, exactly as when Run is pressed in the console: schema defaults filled in, the data
validated against the schema, and the payload pruned (fields that left the schema,
``omitFromWorkflowInput``, empty optional strings).

Unlike the web UI's prefill, a parameter that cannot be applied is a problem here: nothing is
started with a value the user asked for silently missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from orch_tui.core.errors import ConfigError
from orch_tui.core.forms import FormModel
from orch_tui.core.forms.data import deep_copy, format_path
from orch_tui.core.prefill import RESERVED_PARAMS, merge_query_params, parse_query

QueryPairs = str | Iterable[tuple[str, str]]

RESERVED_HINTS = {
    "targetEntity": "reserved for the target entity; use --entity",
    "instanceId": "reserved for the run to start from; pass the execute link instead",
}


@dataclass
class RunInput:
    payload: Any
    """What to send as ``inputData`` (meaningful only when there are no problems)."""
    problems: list[str] = field(default_factory=list)
    """One line each: a parameter that was not applied, or a validation error with its dot path."""
    auth_descriptors: list[Any] = field(default_factory=list)
    """The sign-ins the form asks for (``authTokenDescriptors``)."""


def parse_assignment(text: str) -> tuple[str, str]:
    """``path=value`` (the value may contain ``=``); ConfigError when there is no ``=`` or path."""
    key, mark, value = text.partition("=")
    if not mark or not key.strip():
        raise ConfigError(f"--set {text!r}: expected PATH=VALUE, e.g. --set name=alice or --set step.count=3.")
    return key.strip(), value


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: objects merged key by key, anything else replaced."""
    merged = deep_copy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = deep_copy(value)
    return merged


def build_run_input(
    schema: Mapping[str, Any] | None,
    *,
    base: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    queries: Sequence[tuple[str, QueryPairs]] = (),
    sets: Sequence[str] = (),
) -> RunInput:
    """Layer the input (see the module doc) and check it as the run form would.

    ``queries`` are ``(where, query)`` pairs, ``where`` naming the source in problems
    (``the link``, ``--query``); the link's reserved ``targetEntity`` / ``instanceId`` are the
    caller's business, elsewhere they are problems.  Raises SchemaError for an unusable schema.
    """
    current = deep_merge(base or {}, data or {})
    problems: list[str] = []
    layers: list[tuple[str, list[tuple[str, str]], bool]] = [
        (where, parse_query(query), where != "the link") for where, query in queries
    ]
    layers.extend(("--set", [parse_assignment(text)], True) for text in sets)
    if not schema:
        for where, pairs, _ in layers:
            for key, value in pairs:
                if key not in RESERVED_PARAMS or where == "--set":
                    problems.append(f"{where} {key}={value}: this workflow takes no input")
        return RunInput(payload=current, problems=problems)
    for where, pairs, strict in layers:
        result = merge_query_params(schema, pairs, current)
        current = result.data
        problems.extend(f"{where} {issue}" for issue in result.ignored)
        if strict:
            for key in result.reserved:
                problems.append(f"{where} {key}: {RESERVED_HINTS[key]}")
    model = FormModel(schema, current)
    for error in model.validate():
        problems.append(f"{format_path(error.path) or '(input)'}: {error.message}")
    return RunInput(payload=model.payload(), problems=problems, auth_descriptors=model.auth_token_descriptors())
