"""Malformed schemas and responses give clear errors, never a crash or a hang."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from orch_tui.cli import main
from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.forms import FormModel, SchemaError


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": None}, "Not a valid JSON Schema at /type:"),
        ({"properties": {"a": {"type": "strin"}}}, "Not a valid JSON Schema at /properties/a/type:"),
        ({"properties": {"a": {"minLength": -1}}}, "at /properties/a/minLength: -1 is less than the minimum of 0"),
        ({"required": True}, "at /required: True is not of type 'array'"),
        ({"properties": {"a": {"$ref": "#/$defs/nowhere"}}}, "#/$defs/nowhere"),
        ({"properties": {"a": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"$ref": "#/$defs/x"}}}, "#/$defs/x"),
    ],
)
def test_malformed_schema_errors_say_where_and_what(schema: dict[str, object], message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        FormModel(schema)
    assert message in caught.value.message


def test_a_schema_the_validator_cannot_walk_blocks_the_run_saying_why() -> None:
    model = FormModel({"type": "object", "anyOf": [{"$ref": ""}, {}]})
    problems = model.validate()
    assert problems and problems[0].path == () and "cannot be checked" in problems[0].message


def test_a_five_megabyte_schema_builds(tmp_path: Path) -> None:
    properties = {f"field{i}": {"type": "string", "title": f"Field {i}", "description": "x" * 5000} for i in range(1000)}
    schema = {"type": "object", "properties": properties}
    assert len(json.dumps(schema)) > 5_000_000
    model = FormModel(schema, {"field1": "a"})
    assert model.validate() == [] and model.payload() == {"field1": "a"}


def test_invalid_and_huge_invalid_json_schema_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "object", "properties": {')
    assert main(["form", str(broken), "--describe"]) == 2
    assert "broken.json" in capsys.readouterr().err
    huge = tmp_path / "huge.json"
    huge.write_text('{"a": "' + "x" * 5_000_000 + '"')
    assert main(["form", str(huge), "--describe"]) == 2
    err = capsys.readouterr().err
    assert "huge.json" in err and len(err) < 2000, "the error names the file without echoing it"
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"properties": {"a": {"type": "strin"}}}')
    assert main(["form", str(wrong), "--describe"]) == 2
    assert "Not a valid JSON Schema at /properties/a/type" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "content"),
    [
        (b"<html>proxy error</html>", "text/html"),
        (b'{"overviews": "nope"}', "application/json"),
        (b'{"overviews": [{"workflowId": 5}]}', "application/json"),
        (b"\xff\xfe garbage", "application/json"),
    ],
)
async def test_malformed_responses_are_typed_errors(body: bytes, content: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body, headers={"content-type": content}))
    backend = BackstageBackend("http://bs.test", transport=transport, retries=0)
    with pytest.raises(errors.MalformedResponse) as caught:
        await backend.list_workflows()
    assert caught.value.message
