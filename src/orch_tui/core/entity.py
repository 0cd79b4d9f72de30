"""Backstage catalog entity references, as the orchestrator's ``targetEntity`` carries them.

The web UI sends ``targetEntity`` as ``kind:namespace/name`` lower-cased (its entity tab builds
``"${kind}:${namespace ?? 'default'}/${name}".toLocaleLowerCase()``), and the runs list filters on
that exact string.  People write references more loosely; :func:`parse_entity_ref` accepts

* ``kind:namespace/name`` (``component:default/checkout``),
* ``kind:name`` (namespace ``default``),
* ``namespace:kind:name`` (the order of a catalog URL, ``/catalog/:namespace/:kind/:name``),

and gives the canonical form.  A reference without a kind is refused: the orchestrator cannot
tell a component from a system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
