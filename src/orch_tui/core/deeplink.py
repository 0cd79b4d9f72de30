"""Deep links: the Backstage Orchestrator web UI's URLs, read as places in the console.

Every route of the web UI is understood, with or without scheme and host, below a base path
(``https://bs.example.com/portal/orchestrator/…``), percent-encoded, with ``+`` as a space in
the query and with or without a trailing slash:

=========================================================  ===================================
``/orchestrator``                                          the workflow list
``/orchestrator/workflows/:id``                            a workflow
``/orchestrator/workflows/:id/runs``                       a workflow's runs
``/orchestrator/workflows/:id/execute?…``                  its run form, prefilled from the query
``/orchestrator/instances/:id``                            a run
``/orchestrator/entity/:ns/:kind/:name/:workflowId``       a workflow, for an entity
``/orchestrator/entity/:ns/:kind/:name/:wfId/:instanceId`` a run, for an entity
``/catalog/:ns/:kind/:name/workflows``                     an entity's Workflows tab
=========================================================  ===================================

:func:`context_for_link` picks the configured context a link's host belongs to.  Nothing here
talks to a backend.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from orch_tui.core.entity import EntityRef, EntityRefError, parse_entity_ref
from orch_tui.core.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from orch_tui.core.config import ContextConfig, Overrides

ROUTE_SHAPES = (
    "/orchestrator",
    "/orchestrator/workflows/ID",
    "/orchestrator/workflows/ID/runs",
    "/orchestrator/workflows/ID/execute?…",
    "/orchestrator/instances/ID",
    "/orchestrator/entity/NAMESPACE/KIND/NAME/WORKFLOW[/RUN]",
    "/catalog/NAMESPACE/KIND/NAME/workflows",
)
DEFAULT_PORTS = {"http": 80, "https": 443}
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ROOTS = ("orchestrator", "catalog")


class LinkError(ConfigError):
    """A link that is malformed or names no orchestrator page (a usage error, exit 2)."""

    title = "Invalid link"


class Route(enum.Enum):
    WORKFLOWS = "the workflow list"
    WORKFLOW = "a workflow page"
    WORKFLOW_RUNS = "a workflow's runs"
    EXECUTE = "a workflow's run form"
    RUN = "a run"
    ENTITY_WORKFLOW = "a workflow page for an entity"
    ENTITY_RUN = "a run for an entity"
    ENTITY_WORKFLOWS = "an entity's workflows"


@dataclass(frozen=True)
class Origin:
    """Where a link points: host (lower-case), its port when not the scheme's default."""

    scheme: str
    host: str
    port: int | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port}" if self.port is not None else self.host


@dataclass(frozen=True)
class DeepLink:
    route: Route
    workflow_id: str | None = None
    run_id: str | None = None
    entity: str | None = None
    """``kind:namespace/name``: from an entity route, or an execute link's ``targetEntity``."""
    query: tuple[tuple[str, str], ...] = ()
    """The decoded query parameters in order (an execute link's prefill)."""
    origin: Origin | None = None
    """Scheme and host when the link had them."""
    base_path: str = ""
    """The path before ``/orchestrator`` or ``/catalog`` (``/portal``), ``""`` at the root."""
    text: str = field(default="", compare=False)

    @property
    def instance_id(self) -> str | None:
        """An execute link's ``instanceId``: that run's inputs are the form's base ("Run again")."""
        return _first(self.query, "instanceId")


def _first(query: tuple[tuple[str, str], ...], key: str) -> str | None:
    """``URLSearchParams.get``: the first value, or None."""
    return next((value for name, value in query if name == key), None)


def looks_like_link(text: str) -> bool:
    """Whether a command-line word is a link rather than a command or a workflow id."""
    if "://" in text:
        return True
    path = text.split("?", 1)[0].split("#", 1)[0]
    if "/" not in path:
        return False
    return any(root in path.split("/") for root in _ROOTS)


def parse_link(text: str) -> DeepLink:
    """Read a web UI URL; raise :class:`LinkError` saying what is wrong with it."""
    raw = text.strip()
    if not raw:
        raise LinkError("The link is empty.")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        raise LinkError(f"The link {_shown(raw)} contains spaces or control characters.")
    candidate = raw
    if "://" not in raw and not raw.startswith("/"):
        first = raw.split("/", 1)[0].split("?", 1)[0]
        # ``bs.example.com/orchestrator`` has a host; ``orchestrator/workflows/x`` does not.
        candidate = "//" + raw if first not in _ROOTS else "/" + raw
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError as exc:
        raise LinkError(f"The link {_shown(raw)} is malformed: {_reason(exc)}.") from None
    origin: Origin | None = None
    if parts.scheme or parts.netloc:
        scheme = parts.scheme.lower() or "https"
        if scheme not in DEFAULT_PORTS:
            raise LinkError(f"The link {_shown(raw)} is not an http(s) URL (scheme {parts.scheme!r}).")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise LinkError(f"The link {_shown(raw)} has no host.")
        if parts.username is not None or parts.password is not None:
            raise LinkError(f"The link {_shown(raw)} carries a user name or password; leave them out.")
        # Matching ignores the scheme, so a scheme's default port is no port at all.  Without a
        # scheme either default port is.
        if port == DEFAULT_PORTS[scheme] or (not parts.scheme and port in DEFAULT_PORTS.values()):
            port = None
        origin = Origin(scheme, host.lower(), port)
    segments = [_decode(segment, raw, "path") for segment in parts.path.split("/") if segment]
    query = tuple(_decode_query(parts.query, raw))
    for start, segment in enumerate(segments):
        if segment not in _ROOTS:
            continue
        link = _match(segments[start:], query, raw)
        if link is not None:
            base = "/" + "/".join(segments[:start]) if start else ""
            return DeepLink(**link, origin=origin, base_path=base, text=raw)
    path = "/" + "/".join(segments)
    if any(segment in _ROOTS for segment in segments):
        raise LinkError(f"The link {_shown(raw)} names no orchestrator page ({_shown(path)}); {_known()}.")
    raise LinkError(f"The link {_shown(raw)} is not an orchestrator link: its path {_shown(path)} has no "
                    f"/orchestrator or /catalog/…/workflows part; {_known()}.")


def _known() -> str:
    return "known pages: " + ", ".join(ROUTE_SHAPES)


_USERINFO = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//|)[^/?#@]*@|[^/?#@:]*:[^/?#@]*@")


def _shown(text: str, limit: int = 120) -> str:
    """The link as an error message quotes it: one line, a user name or password left out."""
    from orch_tui.core.formatting import single_line

    return repr(single_line(_USERINFO.sub(lambda m: (m.group(1) or "") + "…@", text), limit))


def _reason(exc: Exception) -> str:
    message = str(exc)
    if "Port" in message or "port" in message:
        return "the port is not a number from 0 to 65535"
    if "IPv6" in message:
        return "the host is not a valid IPv6 address in brackets"
    return message


def _decode(segment: str, raw: str, where: str) -> str:
    if _BAD_ESCAPE.search(segment):
        raise LinkError(f"The link {_shown(raw)} has a '%' that is not followed by two hex digits in its {where}.")
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError:
        raise LinkError(f"The link {_shown(raw)} has percent-escapes in its {where} that are not UTF-8.") from None


def _decode_query(query: str, raw: str) -> list[tuple[str, str]]:
    if _BAD_ESCAPE.search(query):
        raise LinkError(f"The link {_shown(raw)} has a '%' that is not followed by two hex digits in its query.")
    try:
        return parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise LinkError(f"The link {_shown(raw)} has percent-escapes in its query that are not UTF-8.") from None


def _entity(namespace: str, kind: str, name: str, raw: str) -> str:
    try:
        return EntityRef.of(kind, namespace, name).target
    except EntityRefError as exc:
        raise LinkError(f"The link {_shown(raw)} names an entity that cannot be read: {exc}.") from None


def _match(segments: list[str], query: tuple[tuple[str, str], ...], raw: str) -> dict[str, object] | None:
    """The route of ``segments`` (starting at ``orchestrator`` or ``catalog``), or None."""
    root, rest = segments[0], segments[1:]
    if root == "catalog":
        if len(rest) == 4 and rest[3] == "workflows":
            return {"route": Route.ENTITY_WORKFLOWS, "entity": _entity(rest[0], rest[1], rest[2], raw)}
        return None
    if not rest:
        return {"route": Route.WORKFLOWS}
    head, args = rest[0], rest[1:]
    if head == "workflows" and len(args) == 1:
        return {"route": Route.WORKFLOW, "workflow_id": args[0]}
    if head == "workflows" and len(args) == 2 and args[1] == "runs":
        return {"route": Route.WORKFLOW_RUNS, "workflow_id": args[0]}
    if head == "workflows" and len(args) == 2 and args[1] == "execute":
        target = _first(query, "targetEntity")
        entity = None
        if target:
            try:
                entity = parse_entity_ref(target).target
            except EntityRefError as exc:
                raise LinkError(f"The link's targetEntity cannot be read: {exc}.") from None
        return {"route": Route.EXECUTE, "workflow_id": args[0], "entity": entity, "query": query}
    if head == "instances" and len(args) == 1:
        return {"route": Route.RUN, "run_id": args[0]}
    if head == "entity" and len(args) in (4, 5):
        entity = _entity(args[0], args[1], args[2], raw)
        if len(args) == 4:
            return {"route": Route.ENTITY_WORKFLOW, "workflow_id": args[3], "entity": entity}
        return {"route": Route.ENTITY_RUN, "workflow_id": args[3], "run_id": args[4], "entity": entity}
    return None


# -- which context a link belongs to ---------------------------------------------------


def _context_origin(url: str) -> tuple[Origin, str] | None:
    """A context url's origin and base path (the backend root's path, ``/api/orchestrator`` removed)."""
    from orch_tui.core.backstage import PLUGIN_PATH, plugin_base_url

    try:
        plugin = urlsplit(plugin_base_url(url))
        port = plugin.port
    except (ConfigError, ValueError):
        return None
    scheme = plugin.scheme.lower()
    host = (plugin.hostname or "").rstrip(".").lower()
    if not host:
        return None
    if port == DEFAULT_PORTS.get(scheme):
        port = None
    base = plugin.path[: -len(PLUGIN_PATH)].rstrip("/")
    return Origin(scheme, host, port), "/".join(unquote(s) for s in base.split("/"))


def _under(base_path: str, prefix: str) -> bool:
    """Whether ``prefix`` is ``base_path`` or one of its leading segments."""
    return not prefix or base_path == prefix or base_path.startswith(prefix + "/")


def context_for_link(
    link: DeepLink, contexts: Mapping[str, ContextConfig], *, preferred: str | None = None
) -> str | None:
    """The configured context whose url has the link's host (scheme aside, port counted) and a
    base path the link's path starts with; the longest such base path wins.

    None when the link has no host (the usual context applies).  Several equally good matches
    are settled by ``preferred`` (the current context) when it is one of them.  Raises
    :class:`LinkError` naming the configured contexts when none matches, or several do.
    """
    if link.origin is None:
        return None
    found: list[tuple[int, str]] = []
    for name, config in contexts.items():
        if config.kind == "demo" or not config.url:
            continue
        located = _context_origin(config.url)
        if located is None:
            continue
        origin, base = located
        if (origin.host, origin.port) == (link.origin.host, link.origin.port) and _under(link.base_path, base):
            found.append((len(base), name))
    where = f"{link.origin}{link.base_path}"
    if not found:
        if not contexts:
            raise LinkError(
                f"No context for {where}: none is configured, only the built-in 'demo' "
                "(add one to the config file, or pass --context demo or --url URL)."
            )
        known = ", ".join(f"{name} ({config.url or config.kind})" for name, config in sorted(contexts.items()))
        raise LinkError(f"No configured context has the host {where} (configured: {known}); "
                        "pass --context NAME or --url URL.")
    best = max(size for size, _ in found)
    names = sorted(name for size, name in found if size == best)
    if len(names) == 1:
        return names[0]
    if preferred in names:
        return preferred
    raise LinkError(f"Several contexts have the host {where} ({', '.join(names)}); pass --context NAME.")


def link_overrides(
    link: DeepLink,
    overrides: Overrides,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Overrides:
    """The overrides to connect with for ``link``: ``--context`` or ``--url`` (or ``ORCH_TUI_URL``)
    win; otherwise the context the link's host belongs to (``ORCH_TUI_CONTEXT`` or the file's
    ``current_context`` only settles a tie)."""
    import dataclasses
    import os

    from orch_tui.core.config import ENV_PREFIX, default_config_path, load_config_file

    env = dict(os.environ if environ is None else environ)
    if overrides.context or overrides.url or env.get(ENV_PREFIX + "URL") or link.origin is None:
        return overrides
    file = load_config_file(config_path or default_config_path(env))
    preferred = env.get(ENV_PREFIX + "CONTEXT") or file.current_context
    name = context_for_link(link, file.contexts, preferred=preferred)
    return dataclasses.replace(overrides, context=name)
