"""The orchestrator form's dynamic widgets: what to fetch, how to fill templates, what to select.

ActiveTextInput, ActiveDropdown, ActiveMultiSelect, ActiveText and SchemaUpdater read their
behaviour from ``ui:props``::

    "ui:props": {
      "fetch:url": "$${{backend.baseUrl}}/api/proxy/teams?owner=$${{current.owner}}",
      "fetch:method": "POST",
      "fetch:headers": {"Authorization": "Bearer $${{identityApi.token}}"},
      "fetch:body": {"name": "$${{current.name}}"},
      "fetch:retrigger": ["current.owner"],
      "fetch:response:value": "teams[0].name",
      "fetch:response:autocomplete": "teams.name"
    }

Templates ``$${{family.key}}`` are filled from the form data (``current.<dot.path>``), the
identity (``identityApi.token|userEntityRef|profileEmail|displayName``), the console's
configuration (``rjsfConfig.orchestrator.<key>``) and ``backend.baseUrl``.  A template that is the
whole string keeps its JSON type; inside text it is written as text; a header or body field whose
template comes out empty is dropped.  Selectors are JSONata expressions.  Relative URLs are
resolved against the Backstage backend root, as the web console resolves them against its own
origin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from orch_tui.core.errors import OrchError
from orch_tui.core.forms.data import get_in, split_dot_path
from orch_tui.core.forms.fields import MISSING, Field, FieldError, Path

TEMPLATE = re.compile(r"\$\$\{\{\s*([^{}]+?)\s*\}\}")
JSONATA_PREFIX = "jsonata:"
DEFAULT_HEADERS = {"Content-Type": "application/json"}


class DynamicFieldError(OrchError):
    title = "Dynamic field"


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()
"""A template whose value is not known: dropped from headers and bodies."""


@dataclass(frozen=True)
class TemplateContext:
    form_data: Mapping[str, Any]
    backend_base_url: str = ""
    identity: Mapping[str, str] = field(default_factory=dict)
    config: Mapping[str, Any] = field(default_factory=dict)

    def lookup(self, name: str) -> Any:
        family, _, rest = name.partition(".")
        if family == "current":
            return _dig(self.form_data, rest) if rest else ABSENT
        if family == "identityApi":
            return self.identity.get(rest, ABSENT)
        if family == "backend" and rest == "baseUrl":
            return self.backend_base_url or ABSENT
        if family == "rjsfConfig":
            head, _, key = rest.partition(".")
            return _dig(self.config, key) if head == "orchestrator" and key else ABSENT
        return ABSENT


def _dig(data: Any, dotted: str) -> Any:
    value = get_in(data, split_dot_path(dotted))
    return ABSENT if value is MISSING else value


def _as_text(value: Any) -> str:
    if value is ABSENT or value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def expand(value: Any, context: TemplateContext) -> Any:
    """Fill every template in ``value`` (strings, and lists and objects of them)."""
    if isinstance(value, str):
        whole = TEMPLATE.fullmatch(value.strip())
        if whole:
            return context.lookup(whole.group(1))
        return TEMPLATE.sub(lambda m: _as_text(context.lookup(m.group(1))), value)
    if isinstance(value, list):
        return [expand(item, context) for item in value]
    if isinstance(value, Mapping):
        return {key: expand(item, context) for key, item in value.items()}
    return value


def _drop_empty(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _drop_empty(v) for k, v in value.items() if v is not ABSENT and v != ""}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value if v is not ABSENT]
    return value


def select(expression: str, data: Any) -> Any:
    """Evaluate a JSONata selector; None when it selects nothing."""
    import jsonata

    try:
        return jsonata.Jsonata(expression).evaluate(data)
    except Exception as exc:  # the library raises its own exception types
        raise DynamicFieldError(f"Selector {expression!r} failed: {exc}") from exc


def resolve_url(url: str, backend_root: str) -> str:
    """An absolute URL as is; a relative one against the Backstage backend root."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
        return url
    if not backend_root:
        raise DynamicFieldError(f"Relative URL {url!r} needs the Backstage backend URL.")
    return urljoin(backend_root.rstrip("/") + "/", url.lstrip("/"))


@dataclass(frozen=True)
class PreparedRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class RequestSpec:
    """A ``fetch:*`` or ``validate:*`` request described in ``ui:props``."""

    url: str
    method: str = "GET"
    headers: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    retrigger: tuple[str, ...] = ()

    @classmethod
    def from_props(cls, props: Mapping[str, Any], prefix: str) -> RequestSpec | None:
        url = props.get(f"{prefix}:url")
        if not isinstance(url, str) or not url.strip():
            return None
        method = str(props.get(f"{prefix}:method") or "GET").upper()
        if method not in ("GET", "POST"):
            raise DynamicFieldError(f"{prefix}:method must be GET or POST, not {method!r}.")
        headers = props.get(f"{prefix}:headers") or {}
        if not isinstance(headers, Mapping):
            raise DynamicFieldError(f"{prefix}:headers must be an object.")
        retrigger = props.get(f"{prefix}:retrigger") or []
        if not isinstance(retrigger, list) or not all(isinstance(r, str) for r in retrigger):
            raise DynamicFieldError(f"{prefix}:retrigger must be a list of field paths.")
        return cls(url, method, dict(headers), props.get(f"{prefix}:body"), tuple(retrigger))

    def prepare(self, context: TemplateContext) -> PreparedRequest:
        url = _as_text(expand(self.url, context))
        headers = {**DEFAULT_HEADERS, **_drop_empty(expand(dict(self.headers), context))}
        body = None
        if self.method == "POST" and self.body is not None:
            body = _drop_empty(self._expand_body(self.body, context))
        return PreparedRequest(
            self.method, resolve_url(url, context.backend_base_url), {k: _as_text(v) for k, v in headers.items()}, body
        )

    def _expand_body(self, body: Any, context: TemplateContext) -> Any:
        if isinstance(body, Mapping):
            return {k: self._expand_body(v, context) for k, v in body.items()}
        if isinstance(body, str) and body.startswith(JSONATA_PREFIX):
            return select(body[len(JSONATA_PREFIX):], dict(context.form_data))
        return expand(body, context)

    def trigger_values(self, context: TemplateContext) -> tuple[Any, ...]:
        """What the request depends on: when this changes, fetch again."""
        return tuple(json.dumps(context.lookup(path), default=str, sort_keys=True) for path in self.retrigger)


@dataclass(frozen=True)
class FetchSelectors:
    """``fetch:response:*`` selectors: value, label, autocomplete, mandatory, default and any other key."""

    selectors: Mapping[str, str]

    @classmethod
    def from_props(cls, props: Mapping[str, Any]) -> FetchSelectors:
        prefix = "fetch:response:"
        found = {
            k[len(prefix):]: v
            for k, v in props.items()
            if k.startswith(prefix) and isinstance(v, str) and k != _STATIC_DEFAULT
        }
        return cls(found)

    def apply(self, response: Any) -> dict[str, Any]:
        return {name: select(expression, response) for name, expression in self.selectors.items()}


# -- widget settings ------------------------------------------------------------------------

#: The orchestrator's dynamic widgets and the widget names the form model gives them.
DYNAMIC_WIDGETS = {
    "ActiveTextInput": "active_input",
    "ActiveDropdown": "active_dropdown",
    "ActiveMultiSelect": "active_multi",
    "ActiveText": "active_text",
    "SchemaUpdater": "schema_updater",
}
#: Widgets that show something but hold no value of their own.
DISPLAY_ONLY = frozenset({"active_text", "schema_updater"})
_STATIC_DEFAULT = "fetch:response:default"


def _prop(props: Mapping[str, Any], ui: Mapping[str, Any], name: str) -> Any:
    """A setting read from ``ui:props`` first, then from the field's own ``ui:*`` keys."""
    if name in props:
        return props[name]
    return ui.get(name.removeprefix("ui:"))


@dataclass(frozen=True)
class DynamicProps:
    """What a dynamic widget does, read from its ``ui:props``."""

    widget: str
    fetch: RequestSpec | None = None
    validate: RequestSpec | None = None
    selectors: FetchSelectors = field(default_factory=lambda: FetchSelectors({}))
    text: str | None = None
    variant: str | None = None
    allow_new_items: bool = False
    silent: bool = False
    ignore_unready: bool = False

    @classmethod
    def parse(cls, widget: str, props: Any, ui: Mapping[str, Any] | None = None) -> DynamicProps:
        """Settings of ``widget`` (a DYNAMIC_WIDGETS name); DynamicFieldError when they are wrong."""
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            raise DynamicFieldError("ui:props must be an object")
        ui = ui or {}
        text = _prop(props, ui, "ui:text")
        variant = _prop(props, ui, "ui:variant")
        if widget == "ActiveText" and not isinstance(text, str):
            raise DynamicFieldError("needs a ui:text string")
        fetch = RequestSpec.from_props(props, "fetch")
        if fetch is None and widget in ("ActiveDropdown", "SchemaUpdater"):
            raise DynamicFieldError("needs fetch:url")
        return cls(
            widget=widget,
            fetch=fetch,
            validate=RequestSpec.from_props(props, "validate"),
            selectors=FetchSelectors.from_props(props),
            text=text if isinstance(text, str) else None,
            variant=variant if isinstance(variant, str) else None,
            allow_new_items=_prop(props, ui, "ui:allowNewItems") is True,
            silent=props.get("fetch:error:silent") is True,
            ignore_unready=props.get("fetch:error:ignoreUnready") is True,
        )

    def ready(self, context: TemplateContext) -> bool:
        """Every field the fetch waits for (``fetch:retrigger``) has a value."""
        if self.fetch is None:
            return True
        return all(context.lookup(path) not in (ABSENT, None, "", [], {}) for path in self.fetch.retrigger)


def apply_static_defaults(schema: Any) -> Any:
    """Give every property with a ``fetch:response:default`` and no ``default`` that default.

    The web form shows these values before any fetch has answered; so does this one.  Works in
    place on a private copy of the schema and returns it.
    """
    if isinstance(schema, dict):
        props = schema.get("ui:props")
        if isinstance(props, Mapping) and _STATIC_DEFAULT in props and "default" not in schema:
            schema["default"] = props[_STATIC_DEFAULT]
        for value in schema.values():
            apply_static_defaults(value)
    elif isinstance(schema, list):
        for value in schema:
            apply_static_defaults(value)
    return schema


def replace_properties(schema: Any, patch: Mapping[str, Any]) -> int:
    """SchemaUpdater: every property named like a key of ``patch``, anywhere, takes its schema.

    Returns how many properties were replaced.  Works in place.
    """
    replaced = 0
    if isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name in list(properties):
                if name in patch:
                    properties[name] = json.loads(json.dumps(patch[name]))
                    replaced += 1
        for key, value in schema.items():
            if key != "properties":
                replaced += replace_properties(value, patch)
            elif isinstance(value, dict):
                for name, sub in value.items():
                    if name not in patch:
                        replaced += replace_properties(sub, patch)
    elif isinstance(schema, list):
        for value in schema:
            replaced += replace_properties(value, patch)
    return replaced


# -- what the answers mean ---------------------------------------------------------------------


def string_list(value: Any, what: str) -> list[str]:
    """A selector's result as a list of strings (a single match is a list of one)."""
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    result: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise DynamicFieldError(f"{what} must select strings, not {type(item).__name__}.")
        result.append(str(item))
    return result


def dropdown_options(selected: Mapping[str, Any]) -> list[tuple[str, str]]:
    """ActiveDropdown: ``(label, value)`` pairs from the ``label`` and ``value`` selectors."""
    values = string_list(selected.get("value"), "fetch:response:value")
    labels = string_list(selected.get("label"), "fetch:response:label") if "label" in selected else values
    if len(labels) != len(values):
        raise DynamicFieldError(
            f"fetch:response:label selected {len(labels)} labels for {len(values)} values; they must pair up."
        )
    return list(zip(labels, values, strict=True))


def render_text(text: str, context: TemplateContext, fetched: Mapping[str, Any]) -> str:
    """ActiveText: ``$${{fetch:response:KEY}}`` from the answer, other templates from the form."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("fetch:response:"):
            return _as_text(fetched.get(name[len("fetch:response:"):], ABSENT))
        return _as_text(context.lookup(name))

    return TEMPLATE.sub(one, text)


def validation_messages(status: int, body: Any) -> dict[str, list[str]]:
    """A ``validate:url`` answer: 200 is valid; otherwise ``{"<field>": ["msg", ...]}`` per field."""
    if status == 200:
        return {}
    found: dict[str, list[str]] = {}
    if isinstance(body, Mapping):
        for key, messages in body.items():
            if isinstance(messages, str):
                messages = [messages]
            if isinstance(messages, list):
                texts = [str(message) for message in messages if isinstance(message, str | int | float)]
                if texts:
                    found[str(key)] = texts
    if not found:
        found[""] = [f"Rejected by the validation service (HTTP {status})"]
    return found


@dataclass(frozen=True)
class FormResponse:
    """What a widget's request got back: the status and the body (JSON when it parsed)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class FormEnvironment:
    """Where widget requests go and who makes them: the template values not taken from the form."""

    backend_base_url: str = ""
    identity: Mapping[str, str] = field(default_factory=dict)
    config: Mapping[str, Any] = field(default_factory=dict)

    def context(self, form_data: Mapping[str, Any]) -> TemplateContext:
        return TemplateContext(form_data, self.backend_base_url, self.identity, self.config)


def describe_request(request: PreparedRequest) -> str:
    """``GET /api/proxy/teams``: a request named without its query (which may carry secrets)."""
    from urllib.parse import urlsplit

    return f"{request.method} {urlsplit(request.url).path or '/'}"


def _error_text(body: Any) -> str:
    """The message of an error answer (Backstage's ``{"error": {"message"}}`` or a plain one)."""
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping) and isinstance(error.get("message"), str):
            return error["message"]
        for key in ("message", "error", "detail"):
            if isinstance(body.get(key), str):
                return body[key]
    if isinstance(body, str):
        return body.strip().splitlines()[0][:200] if body.strip() else ""
    return ""


async def fetch_values(send: Send, props: DynamicProps, context: TemplateContext) -> dict[str, Any]:
    """Send the widget's fetch and apply its selectors; ``send`` is the backend's ``form_request``."""
    assert props.fetch is not None
    request = props.fetch.prepare(context)
    response: FormResponse = await send(request)
    if not response.ok:
        reason = _error_text(response.body)
        raise DynamicFieldError(
            f"{describe_request(request)} answered HTTP {response.status}" + (f": {reason}" if reason else ".")
        )
    if props.widget == "SchemaUpdater" and "value" not in props.selectors.selectors:
        return {"value": response.body}
    return props.selectors.apply(response.body)


async def validate_values(send: Send, props: DynamicProps, context: TemplateContext) -> dict[str, list[str]]:
    """Send the widget's ``validate:*`` request; messages by field name (``""``: the widget's own)."""
    assert props.validate is not None
    request = props.validate.prepare(context)
    response: FormResponse = await send(request)
    return validation_messages(response.status, response.body)


# -- one form's dynamic widgets --------------------------------------------------------------

Send = Callable[[PreparedRequest], Awaitable[FormResponse]]


class DynamicSession:
    """The dynamic widgets of one open form: what they fetched, and their ``validate:*`` checks.

    Answers are kept per field and per value of the fields they depend on, so going back to a
    step, or rebuilding a part of the form, does not fetch again.
    """

    def __init__(self, send: Send, environment: FormEnvironment | None = None) -> None:
        self.send = send
        self.environment = environment or FormEnvironment()
        self._answers: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._memory: dict[tuple[Any, ...], dict[str, Any]] = {}

    def memory(self, path: Any) -> dict[str, Any]:
        """What a widget remembers while the form is open (items typed in by hand, say), even
        when it is built again."""
        return self._memory.setdefault(tuple(path), {})

    def context(self, data: Any) -> TemplateContext:
        return self.environment.context(data if isinstance(data, Mapping) else {})

    @staticmethod
    def trigger(field_props: DynamicProps, context: TemplateContext) -> tuple[Any, ...]:
        """What the field's fetch depends on: when this changes, it fetches again."""
        return field_props.fetch.trigger_values(context) if field_props.fetch is not None else ()

    def cached(self, path: Any, props: DynamicProps, context: TemplateContext) -> dict[str, Any] | None:
        return self._answers.get((tuple(path), self.trigger(props, context)))

    async def fetch(self, path: Any, props: DynamicProps, context: TemplateContext) -> dict[str, Any]:
        """The field's selected values, from the cache or fetched now."""
        key = (tuple(path), self.trigger(props, context))
        if key not in self._answers:
            self._answers[key] = await fetch_values(self.send, props, context)
        return self._answers[key]

    async def validate(self, model: Any, fields: list[Field]) -> list[FieldError]:
        """Ask each field's ``validate:url``; answers naming another field are put on that field."""
        errors: list[FieldError] = []
        context = self.context(model.data)
        for item in fields:
            props = item.dynamic
            if props is None or props.validate is None:
                continue
            try:
                found = await validate_values(self.send, props, context)
            except OrchError as error:
                found = {"": [f"Could not be checked: {error.message}"]}
            for name, messages in found.items():
                target = self._target(model, item, name)
                errors.extend(model.error_at(target, message) for message in messages)
        return errors

    @staticmethod
    def _target(model: Any, item: Field, name: str) -> Path:
        if not name or name == item.key:
            return tuple(item.path)
        sibling = (*item.path[:-1], name)
        if model.field(sibling) is not None:
            return sibling
        dotted = tuple(split_dot_path(name))
        if model.field(dotted) is not None:
            return dotted
        return tuple(item.path)
