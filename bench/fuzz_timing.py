"""How long the slowest random input takes: form model, prefill merge and link parsing.

Run with ``python bench/fuzz_timing.py [N]`` (needs the ``test`` extra for hypothesis).  Draws N random schemas, data,
query strings and links from the property tests' strategies (``tests/fuzz/strategies.py``),
times every one and prints the slowest (target: under a second each).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the strategies live in tests/fuzz

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402

from orch_tui.core.deeplink import LinkError, parse_link  # noqa: E402
from orch_tui.core.forms import FormModel, SchemaError  # noqa: E402
from orch_tui.core.prefill import merge_query_params  # noqa: E402
from tests.fuzz.strategies import json_values, links, query_pairs, schemas  # noqa: E402
from tests.fuzz.test_fuzz_forms import exercise  # noqa: E402


def measure(label: str, strategy: Any, action: Callable[..., None], count: int) -> None:
    durations: list[float] = []

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(args: tuple[Any, ...]) -> None:
        started = time.perf_counter()
        action(*args)
        durations.append(time.perf_counter() - started)

    run()
    durations.sort()
    print(
        f"{label:<40} {len(durations):5d} inputs   median {durations[len(durations) // 2] * 1000:8.2f} ms"
        f"   slowest {durations[-1] * 1000:8.2f} ms"
    )


def form(schema: Any, data: Any, value: Any) -> None:
    try:
        model = FormModel(schema, data)
    except SchemaError:
        return
    exercise(model, value)


def prefill(schema: Any, pairs: list[tuple[str, str]]) -> None:
    if isinstance(schema, dict):
        merge_query_params(schema, pairs, {})


def link(text: str) -> None:
    try:
        parse_link(text)
    except LinkError:
        pass


def main() -> None:
    from hypothesis import strategies as st

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    FormModel({"type": "object", "properties": {"a": {"type": "string"}}}).validate()
    measure("form model: build, edit, validate", st.tuples(schemas, json_values, json_values), form, count)
    measure("prefill merge", st.tuples(schemas, query_pairs), prefill, count)
    measure("link parsing", st.tuples(links), link, count)


if __name__ == "__main__":
    main()
