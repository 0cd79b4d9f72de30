"""Request validation in the style of ``openapi-backend`` + ajv.

The real router validates each request against the OpenAPI document before any handler runs and
answers ``400 {"err": [<ajv error objects>]}`` on failure. ajv stops at the first failing keyword
(``allErrors`` is off), except that a failing ``oneOf`` also reports what each branch rejected.
The request body is validated as the ``requestBody`` member of a wrapper object, so paths start
with ``/requestBody``; query parameters live under ``/query`` and unknown ones are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

_VALUE_SCALAR = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]

_DEFS: dict[str, Any] = {
    "PaginationInfoDTO": {
        "type": "object",
        "properties": {
            "pageSize": {"type": "number"},
            "offset": {"type": "number"},
            "orderDirection": {"enum": ["ASC", "DESC"]},
            "orderBy": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "Filter": {
        "oneOf": [
            {"$ref": "#/$defs/LogicalFilter"},
            {"$ref": "#/$defs/FieldFilter"},
            {"$ref": "#/$defs/NestedFilter"},
        ]
    },
    "NestedFilter": {
        "type": "object",
        "required": ["field", "nested"],
        "properties": {
            "field": {"type": "string"},
            "nested": {"oneOf": [{"$ref": "#/$defs/FieldFilter"}, {"$ref": "#/$defs/NestedFilter"}]},
        },
    },
    "LogicalFilter": {
        "type": "object",
        "required": ["operator", "filters"],
        "properties": {
            "operator": {"type": "string", "enum": ["AND", "OR", "NOT"]},
            "filters": {"type": "array", "items": {"$ref": "#/$defs/Filter"}},
        },
    },
    "FieldFilter": {
        "type": "object",
        "required": ["field", "operator", "value"],
        "properties": {
            "field": {"type": "string"},
            "operator": {
                "type": "string",
                "enum": ["EQ", "GT", "GTE", "LT", "LTE", "IN", "IS_NULL", "LIKE", "BETWEEN"],
            },
            "value": {
                "oneOf": [
                    *_VALUE_SCALAR,
                    {"type": "array", "items": {"oneOf": _VALUE_SCALAR}},
                ]
            },
        },
    },
    "AuthToken": {
        "type": "object",
        "properties": {"provider": {"type": "string"}, "token": {"type": "string"}},
        "required": ["provider", "token"],
        "additionalProperties": False,
    },
    "ProviderTokenGrantReference": {
        "type": "object",
        "properties": {
            "grantId": {"type": "string", "minLength": 1},
            "provider": {"type": "string", "minLength": 1},
        },
        "required": ["grantId", "provider"],
        "additionalProperties": False,
    },
}

SEARCH_REQUEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "filters": {"$ref": "#/$defs/Filter"},
        "paginationInfo": {"$ref": "#/$defs/PaginationInfoDTO"},
    },
}

ENTITY_OVERVIEW_REQUEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "targetEntity": {"type": "string"},
        "annotationWorkflowIds": {"type": "array", "items": {"type": "string"}},
    },
}

EXECUTE_REQUEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "inputData": {"type": "object", "additionalProperties": True},
        "authTokens": {"type": "array", "items": {"$ref": "#/$defs/AuthToken"}, "minItems": 0},
        "providerTokenGrants": {
            "type": "array",
            "items": {"$ref": "#/$defs/ProviderTokenGrantReference"},
            "minItems": 0,
        },
        "targetEntity": {"type": "string"},
    },
}

RETRIGGER_REQUEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "authTokens": {"type": "array", "items": {"$ref": "#/$defs/AuthToken"}, "minItems": 0},
        "providerTokenGrants": {
            "type": "array",
            "items": {"$ref": "#/$defs/ProviderTokenGrantReference"},
            "minItems": 0,
        },
    },
}

_VALIDATORS: dict[int, Draft7Validator] = {}


def _validator(schema: Mapping[str, Any]) -> Draft7Validator:
    key = id(schema)
    validator = _VALIDATORS.get(key)
    if validator is None:
        from jsonschema import Draft7Validator

        validator = Draft7Validator({**schema, "$defs": _DEFS})
        _VALIDATORS[key] = validator
    return validator


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _type_name(schema_type: Any) -> str:
    return ",".join(schema_type) if isinstance(schema_type, list) else str(schema_type)


def _ajv_error(error: ValidationError, root: str) -> dict[str, Any]:
    keyword = str(error.validator)
    value = error.validator_value
    instance = error.instance
    params: dict[str, Any]
    if keyword == "type":
        params, message = {"type": _type_name(value)}, f"must be {_type_name(value)}"
    elif keyword == "required":
        missing = next((name for name in value if isinstance(instance, Mapping) and name not in instance), "")
        params, message = {"missingProperty": missing}, f"must have required property '{missing}'"
    elif keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = next((name for name in instance if name not in allowed), "")
        params, message = {"additionalProperty": extra}, "must NOT have additional properties"
    elif keyword == "enum":
        params, message = {"allowedValues": value}, "must be equal to one of the allowed values"
    elif keyword == "const":
        params, message = {"allowedValue": value}, "must be equal to constant"
    elif keyword == "oneOf":
        params, message = {"passingSchemas": None}, "must match exactly one schema in oneOf"
    elif keyword in ("minLength", "maxLength"):
        word = "fewer" if keyword == "minLength" else "more"
        params, message = {"limit": value}, f"must NOT have {word} than {value} characters"
    elif keyword in ("minItems", "maxItems"):
        word = "fewer" if keyword == "minItems" else "more"
        params, message = {"limit": value}, f"must NOT have {word} than {value} items"
    elif keyword == "format":
        params, message = {"format": value}, f'must match format "{value}"'
    else:
        params, message = {}, error.message
    schema_path = "/".join(str(part) for part in error.absolute_schema_path if part != "$ref")
    return {
        "instancePath": root + _pointer(error.absolute_path),
        "schemaPath": f"#/properties{root}/{schema_path}".rstrip("/"),
        "keyword": keyword,
        "params": params,
        "message": message,
        "schema": value,
        "parentSchema": error.schema,
        "data": instance,
    }


def _first_error_chain(error: ValidationError, root: str) -> list[dict[str, Any]]:
    """ajv's report for the first failure: a ``oneOf`` lists each branch's first error first."""
    if error.validator != "oneOf" or not error.context:
        return [_ajv_error(error, root)]
    reported: list[dict[str, Any]] = []
    seen_branches: set[Any] = set()
    for sub in error.context:
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
        if branch in seen_branches:
            continue
        seen_branches.add(branch)
        reported.extend(_first_error_chain(sub, root))
    reported.append(_ajv_error(error, root))
    return reported


_EMPTY_OBJECT_KEYWORDS = frozenset({"type", "properties", "additionalProperties"})


def _accepts_empty_object(schema: Mapping[str, Any]) -> bool:
    """Whether ``{}`` is valid against ``schema`` by its top-level keywords alone: an object
    schema that requires nothing (its properties and additionalProperties judge only keys that
    are present)."""
    return schema.get("type") == "object" and _EMPTY_OBJECT_KEYWORDS.issuperset(schema)


def validate_body(schema: Mapping[str, Any], body: Any) -> list[dict[str, Any]]:
    """ajv-like errors for ``body`` (empty when valid)."""
    if body == {} and _accepts_empty_object(schema):
        return []
    error = next(iter(_validator(schema).iter_errors(body)), None)
    if error is None:
        return []
    return _first_error_chain(error, "/requestBody")


_BOOLEAN = re.compile(r"^(true|false)$")


def validate_query(allowed: Mapping[str, str], params: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Check query parameters (``allowed`` maps a name to ``string`` or ``boolean``)."""
    counts: dict[str, int] = {}
    for name, _ in params:
        counts[name] = counts.get(name, 0) + 1
    for name, value in params:
        expected = allowed.get(name)
        if expected is None:
            return [
                {
                    "instancePath": "/query",
                    "schemaPath": "#/properties/query/additionalProperties",
                    "keyword": "additionalProperties",
                    "params": {"additionalProperty": name},
                    "message": "must NOT have additional properties",
                    "schema": False,
                    "parentSchema": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {name: {} for name in allowed},
                    },
                    "data": dict(params),
                }
            ]
        bad = counts[name] > 1 or (expected == "boolean" and not _BOOLEAN.match(value))
        if bad:
            return [
                {
                    "instancePath": f"/query/{name}",
                    "schemaPath": f"#/properties/query/properties/{name}/type",
                    "keyword": "type",
                    "params": {"type": expected},
                    "message": f"must be {expected}",
                    "schema": expected,
                    "parentSchema": {"type": expected},
                    "data": value if counts[name] == 1 else [v for n, v in params if n == name],
                }
            ]
    return []
