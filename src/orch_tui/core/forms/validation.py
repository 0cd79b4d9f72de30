"""Draft-07 validation with jsonschema (imported on first use) and human error messages."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from referencing import Registry
from referencing.jsonschema import DRAFT7

from orch_tui.core.forms.data import number_text, value_text
from orch_tui.core.forms.fields import Option, SchemaError
from orch_tui.core.forms.schema import BASE_URI, quick_match

if TYPE_CHECKING:
    from jsonschema import FormatChecker, ValidationError
    from jsonschema.protocols import Validator

_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependencies")
_SCHEMA_VALUES = (
    "items",
    "additionalItems",
    "additionalProperties",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")


def for_validation(node: Any) -> Any:
    """A copy of a schema as the web UI's validator reads it.

    Keywords next to a ``$ref`` are applied too (the ``$ref`` moves into an ``allOf``), and
    ``pattern``\\ s Python cannot compile are left out rather than failing the whole check.
    """
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: for_validation(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [for_validation(sub) for sub in value]
        elif key in _SCHEMA_VALUES and isinstance(value, dict):
            out[key] = for_validation(value)
        elif key == "pattern" and isinstance(value, str) and not pattern_compiles(value):
            continue
        else:
            out[key] = value
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        existing = out.get("allOf")
        out["allOf"] = (existing if isinstance(existing, list) else []) + [{"$ref": ref}]
    return out


_PATTERN_CACHE: dict[str, bool] = {}


def pattern_compiles(pattern: str) -> bool:
    known = _PATTERN_CACHE.get(pattern)
    if known is None:
        try:
            re.compile(pattern)
            known = True
        except re.error:
            known = False
        _PATTERN_CACHE[pattern] = known
    return known


# -- formats -------------------------------------------------------------------------------

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_JSON_POINTER = re.compile(r"^(/([^~/]|~[01])*)*$")


def _check_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    datetime.fromisoformat(value.replace("z", "Z").replace("t", "T").replace(" ", "T"))
    return True


def _check_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    date.fromisoformat(value)
    return True


def _check_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _TIME.match(value)
    if not match:
        return False
    hour, minute, second = (int(match.group(i)) for i in (1, 2, 3))
    return hour < 24 and minute < 60 and second < 61


def _check_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _SCHEME.match(value) or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return not (parts.scheme in ("http", "https", "ftp", "ws", "wss") and not parts.netloc)


def _check_uri_reference(value: object) -> bool:
    return not isinstance(value, str) or not any(ch.isspace() for ch in value)


def _check_hostname(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not value or len(value) > 253:
        return False
    return all(_HOST_LABEL.match(label) for label in value.rstrip(".").split("."))


def _check_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(_UUID.match(value))


def _check_ipv4(value: object) -> bool:
    if not isinstance(value, str):
        return True
    ipaddress.IPv4Address(value)
    return True


def _check_json_pointer(value: object) -> bool:
    return not isinstance(value, str) or bool(_JSON_POINTER.match(value))


_FALLBACK_FORMATS = {
    "date-time": _check_date_time,
    "date": _check_date,
    "time": _check_time,
    "uri": _check_uri,
    "url": _check_uri,
    "iri": _check_uri,
    "uri-reference": _check_uri_reference,
    "iri-reference": _check_uri_reference,
    "hostname": _check_hostname,
    "uuid": _check_uuid,
    "ipv4": _check_ipv4,
    "json-pointer": _check_json_pointer,
}


def format_checker() -> FormatChecker:
    """Draft-07's format checker, completed with plain checks for the formats it can only
    verify when optional packages are installed (date-time, time, uri, hostname, …)."""
    from jsonschema import Draft7Validator, FormatChecker

    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft7Validator.FORMAT_CHECKER.checkers)
    for name, check in _FALLBACK_FORMATS.items():
        if name not in checker.checkers:
            checker.checks(name, raises=(ValueError, TypeError))(check)
    return checker


_SUB_VALIDATOR_LIMIT = 1024


class SchemaTools:
    """jsonschema validators over one root schema, created on first use."""

    def __init__(self, root: dict[str, Any]) -> None:
        self._root = root
        self._validator: Validator | None = None
        self._prepared: Any = None
        self._sub_validators: dict[int, tuple[Any, Validator]] = {}

    def validator(self) -> Validator:
        if self._validator is None:
            from jsonschema import Draft7Validator

            prepared = self.prepared()
            resource = DRAFT7.create_resource(prepared)
            root_id = prepared.get("$id") if isinstance(prepared.get("$id"), str) else None
            uris = [BASE_URI] + ([root_id] if root_id else [])
            registry: Registry[Any] = Registry().with_resources((uri, resource) for uri in uris)
            self._validator = Draft7Validator(prepared, registry=registry, format_checker=format_checker())
        return self._validator

    def prepared(self) -> Any:
        """The root schema as the validator reads it (built once, for the check and the validator)."""
        if self._prepared is None:
            self._prepared = for_validation(self._root)
        return self._prepared

    def check_schema(self) -> None:
        """SchemaError naming the place and the problem when the schema is not valid draft-07."""
        from jsonschema import Draft7Validator
        from jsonschema.exceptions import best_match

        error = best_match(Draft7Validator(Draft7Validator.META_SCHEMA).iter_errors(self.prepared()))
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path)
            raise SchemaError(f"Not a valid JSON Schema at {('/' + where) if where else 'the root'}: {error.message}")

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        try:
            yield from self.validator().iter_errors(instance)
        except SchemaError:
            raise
        except Exception as exc:  # a broken $ref or keyword only jsonschema trips over
            raise SchemaError(f"The schema cannot be checked: {exc}") from exc

    def is_valid(self, subschema: Any, instance: Any) -> bool:
        """Whether ``instance`` satisfies ``subschema`` (a node of the root schema)."""
        verdict = quick_match(subschema, instance)
        if verdict is not None:
            return verdict
        entry = self._sub_validators.get(id(subschema))
        if entry is None or entry[0] is not subschema:
            if isinstance(subschema, bool):
                return subschema
            entry = (subschema, self.validator().evolve(schema=for_validation(subschema)))
            if len(self._sub_validators) >= _SUB_VALIDATOR_LIMIT:
                self._sub_validators.clear()
            self._sub_validators[id(subschema)] = entry
        try:
            return bool(entry[1].is_valid(instance))
        except Exception:  # noqa: BLE001 - a subschema jsonschema cannot apply matches nothing
            return False


# -- messages ------------------------------------------------------------------------------

FORMAT_MESSAGES = {
    "email": "Not a valid email address",
    "idn-email": "Not a valid email address",
    "date": "Not a valid date (YYYY-MM-DD)",
    "date-time": "Not a valid date and time (YYYY-MM-DDTHH:MM:SSZ)",
    "time": "Not a valid time (HH:MM:SS)",
    "uri": "Not a valid URL",
    "url": "Not a valid URL",
    "iri": "Not a valid URL",
    "uri-reference": "Not a valid URL or path",
    "iri-reference": "Not a valid URL or path",
    "uuid": "Not a valid UUID",
    "ipv4": "Not a valid IPv4 address",
    "ipv6": "Not a valid IPv6 address",
    "hostname": "Not a valid host name",
    "idn-hostname": "Not a valid host name",
    "regex": "Not a valid regular expression",
    "json-pointer": "Not a valid JSON pointer",
}

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "empty",
}


def _plural(count: Any, word: str) -> str:
    return f"{number_text(count)} {word}{'' if count == 1 else 's'}"


def _type_message(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected or [])
    words = [_TYPE_WORDS.get(str(name), str(name)) for name in names]
    return "Must be " + " or ".join(words) if words else "Wrong type"


def _labels(values: list[Any], options: list[Option]) -> str:
    labels = []
    for value in values:
        label = next((o.label for o in options if o.value == value and type(o.value) is type(value)), None)
        labels.append(label if label is not None else value_text(value))
    return ", ".join(labels)


def human_message(error: ValidationError, options: list[Option] | None = None) -> str:
    """A short message for one jsonschema error."""
    keyword = error.validator
    expected: Any = error.validator_value
    if keyword == "required":
        return "Required"
    if keyword == "minLength":
        return f"Must be at least {_plural(expected, 'character')}"
    if keyword == "maxLength":
        return f"Must be at most {_plural(expected, 'character')}"
    if keyword == "pattern":
        return f"Must match pattern {expected}"
    if keyword == "format":
        return FORMAT_MESSAGES.get(str(expected), f"Not a valid {expected}")
    if keyword == "minimum":
        return f"Must be ≥ {number_text(expected)}"
    if keyword == "maximum":
        return f"Must be ≤ {number_text(expected)}"
    if keyword == "exclusiveMinimum":
        return f"Must be > {number_text(expected)}"
    if keyword == "exclusiveMaximum":
        return f"Must be < {number_text(expected)}"
    if keyword == "multipleOf":
        return f"Must be a multiple of {number_text(expected)}"
    if keyword == "type":
        return _type_message(expected)
    if keyword == "enum":
        return "Must be one of: " + _labels(list(expected or []), options or [])
    if keyword == "const":
        return f"Must be {_labels([expected], options or [])}"
    if keyword == "minItems":
        return f"Must have at least {_plural(expected, 'item')}"
    if keyword == "maxItems":
        return f"Must have at most {_plural(expected, 'item')}"
    if keyword == "uniqueItems":
        return "Items must be unique"
    if keyword == "minProperties":
        return f"Must have at least {_plural(expected, 'entry')}".replace("entrys", "entries")
    if keyword == "maxProperties":
        return f"Must have at most {_plural(expected, 'entry')}".replace("entrys", "entries")
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        patterns = error.schema.get("patternProperties", {}) if isinstance(error.schema, dict) else {}
        extras = [
            str(name)
            for name in error.instance
            if name not in known and not any(re.search(p, str(name)) for p in patterns if pattern_compiles(p))
        ]
        return (
            f"Unexpected field{'s' if len(extras) != 1 else ''}: {', '.join(extras)}" if extras else "Unexpected fields"
        )
    if keyword in ("not", None, "false"):
        return "Not allowed"
    if keyword == "contains":
        return "Must contain at least one matching item"
    if keyword == "propertyNames":
        return "Contains an invalid key"
    if keyword in ("oneOf", "anyOf"):
        return "Does not match any of the options"
    return str(error.message)
