"""Every demo workflow's input schema works end to end."""

from __future__ import annotations

import json

import pytest

from orch_tui.core.forms import FormModel
from orch_tui.demo.catalog import DEFAULT_WORKFLOWS, PROVISION_SCHEMA, DemoWorkflow

from ._util import field_at


@pytest.mark.parametrize("workflow", DEFAULT_WORKFLOWS, ids=lambda w: w.id)
def test_demo_schema_builds_describes_validates_and_produces_a_payload(workflow: DemoWorkflow) -> None:
    schema = workflow.input_schema
    model = FormModel(schema)
    description = model.describe()
    json.dumps(description)
    assert description["steps"]
    model.validate()
    for step in model.steps():
        model.validate(step=step.key)
    json.dumps(model.payload())
    model.review()


@pytest.mark.parametrize("workflow", DEFAULT_WORKFLOWS, ids=lambda w: w.id)
def test_demo_sample_inputs_validate(workflow: DemoWorkflow) -> None:
    schema = workflow.input_schema
    for sample in workflow.sample_inputs:
        model = FormModel(schema, sample)
        messages = [(e.path, e.message) for e in model.validate()]
        assert messages == [], (sample, messages)
        json.dumps(model.payload())


def test_provision_wizard() -> None:
    model = FormModel(PROVISION_SCHEMA)
    assert model.multi_step
    assert [s.key for s in model.steps()] == ["project", "environment", "credentials", "approval"]
    assert [s.key for s in model.visible_steps()] == ["project", "environment", "credentials"]
    assert field_at(model, ("environment", "debug")).hidden
    assert field_at(model, ("project", "name")).autofocus
    assert model.set(("environment", "tier"), "production") is True
    assert [s.key for s in model.visible_steps()] == ["project", "environment", "credentials", "approval"]
    assert [(e.path, e.message) for e in model.validate(step="approval")] == [(("approval", "approver"), "Required")]
