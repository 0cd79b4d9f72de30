"""Hypothesis strategies: JSON values, JSON Schema-ish documents (valid and not), query strings, links."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

NAMES = st.sampled_from(["a", "b", "c", "name", "x.y", "0", "", "[/]", "items", "$ref"])
REFS = st.sampled_from(
    ["#/$defs/a", "#/$defs/b", "#/definitions/a", "#/nowhere", "#", "#/properties/a", "http://x/y", "", "#/$defs/a/properties/b"]
)
TYPES = st.sampled_from(["string", "integer", "number", "boolean", "object", "array", "null"])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8,
)

conditions = st.recursive(
    st.one_of(
        st.booleans(),
        st.fixed_dictionaries({"when": NAMES}, optional={"is": json_values, "isNot": json_values, "isEmpty": st.booleans()}),
        scalars,
    ),
    lambda inner: st.one_of(
        st.fixed_dictionaries({"allOf": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, max_size=3)}),
    ),
    max_leaves=4,
)

ui_props = st.fixed_dictionaries(
    {},
    optional={
        "fetch:url": st.sampled_from(["/api/x", "$${{backend.baseUrl}}/y", "", "http://h/$${{current.a}}"]),
        "fetch:method": st.sampled_from(["GET", "POST", "PUT", 3]),
        "fetch:retrigger": st.lists(st.sampled_from(["current.a", "current.b.c"]), max_size=2) | scalars,
        "fetch:response:value": st.sampled_from(["a", "a.b", "$count(x)", "[", ""]),
        "fetch:response:default": json_values,
        "ui:text": st.text(max_size=10) | scalars,
        "authTokenDescriptors": st.lists(st.dictionaries(st.text(max_size=4), scalars, max_size=2), max_size=2) | scalars,
    },
)


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "type": TYPES | st.lists(TYPES, max_size=3) | scalars,
            "title": st.text(max_size=10) | scalars,
            "properties": st.dictionaries(NAMES, children, max_size=4) | scalars,
            "required": st.lists(NAMES, max_size=3) | scalars,
            "items": children | st.lists(children, max_size=2) | scalars,
            "enum": st.lists(scalars, max_size=4) | scalars,
            "enumNames": st.lists(st.text(max_size=4), max_size=4),
            "const": scalars,
            "default": json_values,
            "oneOf": st.lists(children, max_size=3) | scalars,
            "anyOf": st.lists(children, max_size=3),
            "allOf": st.lists(children, max_size=3) | scalars,
            "if": children,
            "then": children,
            "else": children,
            "$ref": REFS,
            "additionalProperties": st.booleans() | children,
            "dependencies": st.dictionaries(NAMES, children | st.lists(NAMES, max_size=2), max_size=2),
            "minItems": st.integers(-1, 4) | scalars,
            "maxItems": st.integers(-1, 4),
            "uniqueItems": st.booleans(),
            "minLength": st.integers(-1, 5),
            "maxLength": st.integers(0, 5),
            "minimum": st.integers(-5, 5) | scalars,
            "exclusiveMaximum": st.integers(-5, 5),
            "multipleOf": st.sampled_from([0, 0.5, 2, -1, "x"]),
            "pattern": st.sampled_from(["^[a-z]+$", "(", "\\d+", "(?P<x>a)", 5]),
            "format": st.sampled_from(["email", "uri", "date", "date-time", "uuid", "ipv4", "divider", "long", "nope"]),
            "readOnly": st.booleans() | scalars,
            "omitFromWorkflowInput": st.booleans() | conditions,
            "ui:hidden": conditions,
            "ui:widget": st.sampled_from(
                ["password", "textarea", "hidden", "radio", "checkboxes", "select", "ActiveTextInput",
                 "ActiveDropdown", "ActiveMultiSelect", "ActiveText", "SchemaUpdater", "AuthRequester", "Nope", 7]
            ),
            "ui:order": st.lists(st.sampled_from(["a", "b", "*", "zz"]), max_size=3) | scalars,
            "ui:props": ui_props | scalars,
            "ui:readonly": st.booleans(),
        },
    )


schema_nodes = st.recursive(
    st.fixed_dictionaries({}, optional={"type": TYPES, "enum": st.lists(scalars, max_size=3), "$ref": REFS}),
    _node,
    max_leaves=10,
)

schemas = st.builds(
    lambda props, defs, extra: {"type": "object", "properties": props, "$defs": defs, "definitions": defs, **extra},
    st.dictionaries(NAMES, schema_nodes, max_size=5),
    st.dictionaries(st.sampled_from(["a", "b"]), schema_nodes, max_size=2),
    _node(schema_nodes),
) | schema_nodes | scalars

query_keys = st.one_of(
    NAMES,
    st.lists(st.sampled_from(["a", "b", "c", "0", "1", "name", ""]), min_size=1, max_size=4).map(".".join),
    st.sampled_from(["targetEntity", "instanceId"]),
)
query_values = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["1", "-2.5", "1e3", "true", "false", "a,b,,c", ",", "null", "0x10", "NaN", "Infinity"]),
)
query_pairs = st.lists(st.tuples(query_keys, query_values), max_size=6)

_SEGMENTS = st.one_of(
    st.sampled_from(
        ["orchestrator", "workflows", "instances", "entity", "catalog", "execute", "runs", "default",
         "component", "greeting", "%20", "%zz", "%E2%82%AC", "%ff", "a+b", "..", "", " "]
    ),
    st.text(max_size=6),
)
links = st.builds(
    lambda scheme, host, segments, query, fragment: f"{scheme}{host}/{'/'.join(segments)}{query}{fragment}",
    st.sampled_from(["", "https://", "http://", "ftp://", "https:/", "//", "HTTPS://"]),
    st.sampled_from(["", "bs.example.com", "bs.example.com:7007", "[::1]:80", "user:pw@host", "host:abc", "ho st"]),
    st.lists(_SEGMENTS, max_size=7),
    st.one_of(st.just(""), query_pairs.map(lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs))),
    st.sampled_from(["", "#frag", "#"]),
) | st.text(max_size=40)
