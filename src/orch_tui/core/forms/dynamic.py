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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from orch_tui.core.errors import OrchError
from orch_tui.core.forms.data import get_in, split_dot_path
from orch_tui.core.forms.fields import MISSING

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
        found = {k[len(prefix):]: v for k, v in props.items() if k.startswith(prefix) and isinstance(v, str)}
        return cls(found)

    def apply(self, response: Any) -> dict[str, Any]:
        return {name: select(expression, response) for name, expression in self.selectors.items()}
