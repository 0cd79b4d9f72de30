"""Query-parameter prefill, following the Backstage Orchestrator web UI's rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from orch_tui.core.prefill import js_number, merge_query_params, parse_query

FLAT = {"type": "object", "properties": {"language": {"type": "string"}, "name": {"type": "string"}}}
NESTED = {
    "type": "object",
    "properties": {
        "step1": {"type": "object", "properties": {
            "language": {"type": "string"}, "name": {"type": "string"},
            "step2": {"type": "object", "properties": {"deepField": {"type": "string"}}},
        }},
    },
}
LANG_ENUM = {"type": "object", "properties": {"language": {"type": "string", "enum": ["English", "Spanish"]}}}


def merged(schema: dict[str, Any], query: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
    return merge_query_params(schema, query, base).data


@pytest.mark.parametrize(
    ("schema", "query", "base", "expected"),
    [
        ({"type": "object"}, "language=English", {"existing": "value"}, {"existing": "value"}),
        (FLAT, "language=English&name=John", {}, {"language": "English", "name": "John"}),
        (FLAT, "language=Spanish", {"language": "English", "name": "bob"}, {"language": "Spanish", "name": "bob"}),
        (FLAT, "targetEntity=default:component:app&instanceId=1&language=English", {}, {"language": "English"}),
        (NESTED, "step1.language=Spanish&step1.name=carol", {}, {"step1": {"language": "Spanish", "name": "carol"}}),
        (FLAT, "language=English&unknownParam=x&other=y", {}, {"language": "English"}),
        (FLAT, "", {"language": "English"}, {"language": "English"}),
        (NESTED, "step1.language=Spanish", {"step1": {"language": "English", "name": "alice"}},
         {"step1": {"language": "Spanish", "name": "alice"}}),
        (NESTED, "step1.step2.deepField=deep", {}, {"step1": {"step2": {"deepField": "deep"}}}),
        (FLAT, "name=John%20Doe", {}, {"name": "John Doe"}),
        (FLAT, "name=John+Doe", {}, {"name": "John Doe"}),
        (FLAT, "name=%20%20padded%20", {}, {"name": "padded"}),
        (LANG_ENUM, "language=english", {}, {"language": "English"}),
        (LANG_ENUM, "language=French", {"language": "English"}, {"language": "English"}),
        (LANG_ENUM, "language=Spanish", {}, {"language": "Spanish"}),
        ({"type": "object", "properties": {"p": {"type": "integer", "enum": [1, 2, 3]}}}, "p=2", {}, {"p": 2}),
        ({"type": "object", "properties": {"p": {"type": "integer", "enum": [1, 2, 3]}}}, "p=5", {"p": 1}, {"p": 1}),
        ({"type": "object", "properties": {"e": {"type": "boolean", "enum": [True, False]}}}, "e=FALSE", {}, {"e": False}),
        ({"type": "object", "properties": {"c": {"type": "number"}}}, "c=42.5", {}, {"c": 42.5}),
        ({"type": "object", "properties": {"c": {"type": "integer"}}}, "c=42", {}, {"c": 42}),
        ({"type": "object", "properties": {"c": {"type": "integer"}}}, "c=42.5", {"c": 10}, {"c": 10}),
        ({"type": "object", "properties": {"a": {"type": "boolean"}}}, "a=TRUE", {}, {"a": True}),
        ({"type": "object", "properties": {"a": {"type": "boolean"}}}, "a=yes", {}, {}),
        ({"type": "object", "properties": {"c": {"type": "number"}, "d": {"type": "integer"}}},
         "c=not-a-number&d=nope", {"c": 1, "d": 2}, {"c": 1, "d": 2}),
        ({"type": "object", "$defs": {"L": {"type": "string", "enum": ["English", "Spanish"]}},
          "properties": {"language": {"$ref": "#/$defs/L"}, "name": {"type": "string"}}},
         "language=english&name=alice", {}, {"language": "English", "name": "alice"}),
        ({"type": "object", "$defs": {"S": {"type": "object", "properties": {"language": {"type": "string", "enum": ["English", "Spanish"]}}}},
          "properties": {"step1": {"$ref": "#/$defs/S"}}}, "step1.language=spanish", {}, {"step1": {"language": "Spanish"}}),
        ({"type": "object", "definitions": {"N": {"type": "string"}}, "properties": {"name": {"$ref": "#/definitions/N"}}},
         "name=charlie", {}, {"name": "charlie"}),
        ({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}},
         "tags=foo,bar,baz", {}, {"tags": ["foo", "bar", "baz"]}),
        ({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}},
         "tags=only-one", {}, {"tags": ["only-one"]}),
        ({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}},
         "tags=a,,+b+,", {}, {"tags": ["a", "b"]}),
        ({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "integer"}}}},
         "tags=a,b", {"tags": [1]}, {"tags": [1]}),
        ({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "integer"}}}},
         "tags=1,x,3", {}, {"tags": [1, 3]}),
        ({"type": "object", "properties": {"tags": {"type": "array", "items": {"enum": ["Red", "Blue"]}}}},
         "tags=red,green,BLUE", {}, {"tags": ["Red", "Blue"]}),
        ({"type": "object", "properties": {"broken": {"$ref": "#/$defs/Missing"}, "name": {"type": "string"}}},
         "broken.child=x&name=ok", {}, {"name": "ok"}),
        (NESTED, "step1=x", {}, {}),
        (FLAT, "name=a&name=b", {}, {"name": "b"}),
        ({"type": "object", "properties": {"n": {"type": ["integer", "null"]}}}, "n=7", {}, {"n": "7"}),
    ],
)
def test_prefill_rules(schema: dict[str, Any], query: str, base: dict[str, Any], expected: dict[str, Any]) -> None:
    assert merged(schema, query, base) == expected


ONE_OF = {
    "type": "object",
    "properties": {"mode": {"oneOf": [
        {"type": "object", "properties": {"alphaValue": {"type": "string"}}, "required": ["alphaValue"]},
        {"type": "object", "properties": {"betaValue": {"type": "string"}}, "required": ["betaValue"]},
    ]}},
}


def test_one_of_branch_fields() -> None:
    assert merged(ONE_OF, "mode.alphaValue=test") == {"mode": {"alphaValue": "test"}}
    assert merged(ONE_OF, "mode.betaValue=beta") == {"mode": {"betaValue": "beta"}}
    assert merged(ONE_OF, "mode.gamma=x") == {}


def test_if_then_else_picks_the_branch_for_the_data() -> None:
    schema = {
        "type": "object",
        "properties": {"kind": {"type": "string"}, "value": {}},
        "if": {"properties": {"kind": {"const": "number"}}},
        "then": {"properties": {"value": {"type": "integer"}}},
        "else": {"properties": {"value": {"type": "string"}}},
    }
    assert merged(schema, "kind=number&value=5") == {"kind": "number", "value": 5}
    assert merged(schema, "kind=text&value=5") == {"kind": "text", "value": "5"}
    assert merged(schema, "kind=number&value=five") == {"kind": "number"}
    # the path check walks properties (and oneOf/anyOf branches) only: allOf alone hides them
    wrapped = {"type": "object", "properties": {"s": {"allOf": [schema]}}}
    assert merged(wrapped, "s.kind=number") == {}


def test_full_feature_demo_url() -> None:
    schema = {
        "type": "object",
        "$defs": {"Ref": {"type": "object", "properties": {
            "nestedEnum": {"type": "string", "enum": ["alpha", "beta"]},
            "nestedInt": {"type": "integer"}, "nestedFlag": {"type": "boolean"}}}},
        "properties": {
            "language": {"type": "string", "enum": ["English", "Spanish"]},
            "name": {"type": "string"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
            "enabled": {"type": "boolean"},
            "firstStep": {"type": "object", "properties": {"fooTheFirst": {"type": "string"}}},
            "provideInputs": {"type": "object", "properties": {"language": {"type": "string", "enum": ["english", "spanish"]}}},
            "refContainer": {"$ref": "#/$defs/Ref"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "mode": ONE_OF["properties"]["mode"],
        },
    }
    url = ("/orchestrator/workflows/test-prepopulate-query-params/execute?language=english&name=John&count=1&ratio=4"
           "&enabled=true&firstStep.fooTheFirst=firstValue&provideInputs.language=spanish&refContainer.nestedEnum=alpha"
           "&refContainer.nestedInt=1&refContainer.nestedFlag=true&tags=foo,bar,baz&mode.betaValue=beta")
    result = merge_query_params(schema, url)
    assert result.data == {
        "language": "English", "name": "John", "count": 1, "ratio": 4, "enabled": True,
        "firstStep": {"fooTheFirst": "firstValue"}, "provideInputs": {"language": "spanish"},
        "refContainer": {"nestedEnum": "alpha", "nestedInt": 1, "nestedFlag": True},
        "tags": ["foo", "bar", "baz"], "mode": {"betaValue": "beta"},
    }
    assert result.ignored == []


def test_base_is_never_mutated_and_ignored_are_reported() -> None:
    base = {"language": "English", "nested": {"x": 1}}
    snapshot = copy.deepcopy(base)
    result = merge_query_params(LANG_ENUM, "language=French&unknown=1&targetEntity=component:default/x", base)
    assert base == snapshot and result.data == {"language": "English", "nested": {"x": 1}}
    assert result.data["nested"] is not base["nested"]
    reasons = {issue.key: issue.reason for issue in result.ignored}
    assert reasons == {"language": "'French' is not one of: English, Spanish",
                       "unknown": "no such field in the input schema"}
    assert result.reserved == {"targetEntity": "component:default/x"}
    assert result.applied == []


def test_applied_keys_in_order() -> None:
    result = merge_query_params(FLAT, "name=a&language=x&name=b")
    assert result.applied == ["language", "name"]


def test_object_target_reports_not_a_leaf() -> None:
    result = merge_query_params(NESTED, "step1=x")
    assert [(i.key, i.reason) for i in result.ignored] == [("step1", "not a single-value field")]


def test_numeric_segment_creates_array_like_lodash() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "object",
              "properties": {"b": {"type": "string"}}}}}}
    # the path check walks properties only, so an index segment is not a known path
    assert merged(schema, "a.0.b=x") == {}


@pytest.mark.parametrize(
    ("text", "value"),
    [("42", 42.0), (" 7 ", 7.0), ("", 0.0), ("0x10", 16.0), ("0b11", 3.0), ("0o17", 15.0), ("1e3", 1000.0),
     (".5", 0.5), ("5.", 5.0), ("-2.5", -2.5)],
)
def test_js_number(text: str, value: float) -> None:
    assert js_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1_000", "0x", "--1", "1e", "-0x10"])
def test_js_number_nan(text: str) -> None:
    assert js_number(text) != js_number(text)


def test_number_quirks_follow_javascript() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}, "f": {"type": "number"}}}
    assert merged(schema, "n=0x10&f=1e3") == {"n": 16, "f": 1000}
    assert merged(schema, "n=") == {"n": 0}
    result = merge_query_params(schema, "f=Infinity")
    assert result.data == {} and result.ignored[0].reason == "'Infinity' is not a finite number"


def test_parse_query_accepts_full_urls_and_pairs() -> None:
    assert parse_query("https://h/x/execute?a=1&b=%C3%A9#frag") == [("a", "1"), ("b", "é")]
    assert parse_query([("a", "1")]) == [("a", "1")]
    assert parse_query({"a": "1"}) == [("a", "1")]
    assert parse_query("?a=&b") == [("a", ""), ("b", "")]


def test_parse_query_keeps_question_marks_inside_values() -> None:
    assert parse_query("q=why?&x=1") == [("q", "why?"), ("x", "1")]
    assert parse_query("/orchestrator/workflows/w/execute?q=why?") == [("q", "why?")]
