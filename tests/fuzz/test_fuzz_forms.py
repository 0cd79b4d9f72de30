"""Random schemas and data never break the form model or the prefill merge.

Every outcome is either a working model or a SchemaError saying what is wrong: nothing else
escapes.  (How long the slowest example takes is reported by ``bench/fuzz_timing.py``.)
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orch_tui.core.forms import FormModel, SchemaError
from orch_tui.core.prefill import merge_query_params

from .strategies import json_values, query_pairs, schemas

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def exercise(model: FormModel, value: Any) -> None:
    """Everything the console does with a model, with one value written into every field."""
    model.validate()
    for step in model.steps():
        model.validate(step=step.key)
    json.dumps(model.payload())
    model.review()
    json.dumps(model.describe())
    for field in list(model.root.walk())[:12]:
        if not field.path:
            continue
        model.set(field.path, value)
        model.validate()
        model.delete(field.path)
        if field.kind in ("array", "key_value"):
            model.add_item(field.path)
        if field.kind == "choice" and field.options:
            model.select_branch(field.path, len(field.options) - 1)
    json.dumps(model.payload())


@FUZZ
@given(schema=schemas, data=json_values, value=json_values)
def test_form_model_builds_or_says_why(schema: Any, data: Any, value: Any) -> None:
    original = copy.deepcopy(schema)
    try:
        model = FormModel(schema, data)
    except SchemaError as error:
        assert error.message
        return
    exercise(model, value)
    assert schema == original, "the caller's schema is never changed"


@FUZZ
@given(schema=schemas, pairs=query_pairs, base=st.dictionaries(st.sampled_from(["a", "b", "name"]), json_values, max_size=3))
def test_prefill_merge_never_raises_and_never_mutates(schema: Any, pairs: list[tuple[str, str]], base: dict[str, Any]) -> None:
    if not isinstance(schema, dict):
        return
    before = copy.deepcopy(base)
    result = merge_query_params(schema, pairs, base)
    assert base == before, "base data is never mutated"
    json.dumps(result.data)
    applied_keys = set(result.applied)
    assert applied_keys <= {key for key, _ in pairs}
    for issue in result.ignored:
        assert str(issue)
