"""Backstage catalog entity references, as the orchestrator's ``targetEntity`` carries them.

The web UI sends ``targetEntity`` as ``kind:namespace/name`` lower-cased (its entity tab builds
``"${kind}:${namespace ?? 'default'}/${name}".toLocaleLowerCase()``), and the runs list filters on
that exact string.  People write references more loosely; :func:`parse_entity_ref` accepts

* ``kind:namespace/name`` (``component:default/checkout``),
* ``kind:name`` (namespace ``default``),
* ``namespace:kind:name`` (the order of a catalog URL, ``/catalog/:namespace/:kind/:name``),

and gives the canonical form.  A reference without a kind is refused: the orchestrator cannot
tell a component from a system.

:func:`split_ref`, :func:`compact_ref` and :func:`expand_ref` are the loose readings tables and
filter inputs use: they never refuse, they abbreviate for display and complete what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from orch_tui.core.errors import ConfigError

DEFAULT_NAMESPACE = "default"

_PART = re.compile(r"[^\s:/]+")
EXAMPLE = "component:default/my-service"


class EntityRefError(ValueError):
    """A reference that cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class EntityRef:
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, kind: str, namespace: str | None, name: str) -> EntityRef:
        """A reference from its parts (lower-cased, as the web UI sends it); checks each part."""
        parts = {"kind": kind, "namespace": namespace or DEFAULT_NAMESPACE, "name": name}
        for label, value in parts.items():
            if not value:
                raise EntityRefError(f"the {label} is empty")
            if not _PART.fullmatch(value):
                raise EntityRefError(f"the {label} {value!r} contains a space, ':' or '/'")
        return cls(parts["kind"].lower(), parts["namespace"].lower(), parts["name"].lower())

    @property
    def catalog_path(self) -> str:
        """``kind/namespace/name`` (percent-encoded) as the catalog's ``entities/by-name`` route takes it."""
        from urllib.parse import quote

        return "/".join(quote(part, safe="") for part in (self.kind, self.namespace, self.name))

    @property
    def target(self) -> str:
        """``kind:namespace/name``: the ``targetEntity`` the orchestrator stores and filters on."""
        return f"{self.kind}:{self.namespace}/{self.name}"

    def __str__(self) -> str:
        return self.target


def parse_entity_ref(text: str) -> EntityRef:
    """Read ``kind:namespace/name``, ``kind:name`` or ``namespace:kind:name``.

    Raises :class:`EntityRefError` naming the problem and the expected form.
    """
    raw = text.strip()
    try:
        if not raw:
            raise EntityRefError("it is empty")
        colons = raw.count(":")
        if colons == 0:
            raise EntityRefError("it has no kind")
        if colons == 2 and "/" not in raw:
            namespace, kind, name = raw.split(":")
            if not namespace:
                raise EntityRefError("the namespace is empty")
            return EntityRef.of(kind, namespace, name)
        if colons > 1:
            raise EntityRefError("it has too many ':'")
        kind, rest = raw.split(":")
        if rest.count("/") > 1:
            raise EntityRefError("it has too many '/'")
        namespace, _, name = rest.rpartition("/")
        if "/" in rest and not namespace:
            raise EntityRefError("the namespace is empty")
        return EntityRef.of(kind, namespace or None, name)
    except EntityRefError as exc:
        raise EntityRefError(
            f"Entity reference {text!r}: {exc}; expected kind:namespace/name (e.g. {EXAMPLE}) or kind:name"
        ) from None


def entity_option(text: str | None) -> EntityRef | None:
    """The ``--entity`` option of a command: None when not given, ConfigError (exit 2) when unreadable."""
    if not text:
        return None
    try:
        return parse_entity_ref(text)
    except EntityRefError as exc:
        raise ConfigError(str(exc)) from None


# -- loose readings for tables and typed filters ------------------------------------------


def split_ref(ref: str) -> tuple[str | None, str | None, str]:
    """``kind:namespace/name`` → its parts; kind and namespace may be missing.  Never refuses."""
    kind: str | None = None
    rest = ref
    if ":" in ref:
        kind, rest = ref.split(":", 1)
    namespace: str | None = None
    name = rest
    if "/" in rest:
        namespace, name = rest.split("/", 1)
    return kind, namespace, name


def compact_ref(ref: str | None, *, drop_kind: str | None = None) -> str:
    """A short form for tables: the ``default`` namespace and (optionally) one kind left out."""
    if not ref:
        return ""
    kind, namespace, name = split_ref(ref)
    text = name if namespace in (None, DEFAULT_NAMESPACE) else f"{namespace}/{name}"
    if kind and kind.lower() != (drop_kind or ""):
        text = f"{kind}:{text}"
    return text


def expand_ref(text: str, known: Iterable[str], *, default_kind: str | None = None) -> str:
    """What a typed entity means: a known ref it abbreviates, or its canonical ``kind:namespace/name``.

    Text that cannot be read as a reference (no kind and no ``default_kind``) is returned as typed.
    """
    typed = text.strip()
    if not typed:
        return ""
    folded = typed.casefold()
    candidates = [ref for ref in known if ref]
    for ref in candidates:
        if ref.casefold() == folded:
            return ref
    matches = [
        ref
        for ref in candidates
        if folded in (compact_ref(ref).casefold(), split_ref(ref)[2].casefold())
        and (default_kind is None or split_ref(typed)[0] is not None or ref.startswith(f"{default_kind}:"))
    ]
    if len(set(matches)) == 1:
        return matches[0]
    if ":" not in typed:
        if default_kind is None:
            return typed
        typed = f"{default_kind}:{typed}"
    try:
        return parse_entity_ref(typed).target
    except EntityRefError:
        kind, namespace, name = split_ref(typed)
        return f"{(kind or '').lower()}:{(namespace or DEFAULT_NAMESPACE).lower()}/{name}"
