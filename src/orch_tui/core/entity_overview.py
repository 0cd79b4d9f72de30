"""What the console shows about one entity, whatever the backend: facts, parts, workflows.

An orchestrator-core subscription and a Backstage catalog entity are both an
:class:`EntityOverview`: a title, a list of facts (label and value), a tree of parts (the
subscription's product blocks, the catalog entity's relations), the workflows that apply to it
(each usable, or blocked with the reason), and notes about how the overview was made.

Every string here comes from a backend and is untrusted: screens show it literally.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orch_tui.core.catalog import WORKFLOWS_ANNOTATION, CatalogEntity, EntityLookup
from orch_tui.core.entity import EntityRef
from orch_tui.core.models import WorkflowOverview

"""Longest value text kept for a fact (longer values are cut with ``…``)."""


@dataclass(frozen=True)
class EntityFact:
    """One labelled value: ``Status: active``."""

    label: str
    value: str


@dataclass(frozen=True)
class EntityPart:
    """A part of the entity (a product block, a relation), with its own facts and parts."""

    label: str
    facts: tuple[EntityFact, ...] = ()
    children: tuple[EntityPart, ...] = ()

    def walk(self, depth: int = 0) -> list[tuple[int, EntityPart]]:
        """This part and every part below it, depth first, with their depth."""
        found = [(depth, self)]
        for child in self.children:
            found.extend(child.walk(depth + 1))
        return found


@dataclass(frozen=True)
class EntityWorkflow:
    """A workflow that applies to the entity.

    ``reason`` None: it can be started for the entity now; otherwise a sentence saying why it
    cannot.  ``reason_key`` is the backend's own code for the reason, when it gave one
    (orchestrator-core's translation keys such as ``subscription.no_modify_invalid_status``).
    """

    workflow_id: str
    name: str
    description: str | None = None
    target: str | None = None
    """What the workflow does to the entity: ``create``, ``modify``, ``terminate``, ``validate``,
    ``reconcile``, ``system``; None when the backend does not say."""
    reason: str | None = None
    reason_key: str | None = None

    @property
    def usable(self) -> bool:
        return self.reason is None

    @property
    def reason_text(self) -> str | None:
        """The reason with its key, as shown: ``The subscription is … (subscription.not_in_sync)``."""
        return _with_key(self.reason, self.reason_key)


@dataclass(frozen=True)
class EntityOverview:
    """One entity as the entity detail screen shows it."""

    ref: EntityRef
    title: str
    kind: str
    """The entity's kind as the backend spells it (``Subscription``, ``Component``)."""
    facts: tuple[EntityFact, ...] = ()
    parts: tuple[EntityPart, ...] = ()
    parts_label: str = "Parts"
    """What the parts are called here (``Product blocks``, ``Relations``)."""
    workflows: tuple[EntityWorkflow, ...] = ()
    reason: str | None = None
    """Why no workflow can be started for the entity now (it blocks all of them), or None."""
    reason_key: str | None = None
    notes: tuple[str, ...] = ()
    """What the user should know about this overview (an unreadable annotation, a part that could
    not be asked)."""

    def fact(self, label: str) -> str | None:
        """The value of the first fact with this label, or None."""
        for item in self.facts:
            if item.label == label:
                return item.value
        return None

    @property
    def reason_text(self) -> str | None:
        """The reason blocking every workflow, with its key."""
        return _with_key(self.reason, self.reason_key)

    def blocked(self, workflow: EntityWorkflow) -> str | None:
        """Why this workflow cannot be started for the entity (the overall reason first), or None."""
        return self.reason_text or workflow.reason_text

    def workflow(self, workflow_id: str) -> EntityWorkflow | None:
        for item in self.workflows:
            if item.workflow_id == workflow_id:
                return item
        return None

    @property
    def usable_workflows(self) -> list[EntityWorkflow]:
        return [item for item in self.workflows if self.blocked(item) is None]


# -- values as text ---------------------------------------------------------------------------


def _with_key(reason: str | None, key: str | None) -> str | None:
    if reason is None:
        return None
    return f"{reason} ({key})" if key and key != reason else reason


def value_text(value: Any) -> str:
    """A backend value as one fact's text: ``—`` for nothing, ``yes``/``no``, JSON for structures."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
        except (TypeError, ValueError):
            text = str(value)
    return text


def facts_of(pairs: Iterable[tuple[str, Any]], *, skip_empty: bool = False) -> tuple[EntityFact, ...]:
    """Facts from (label, value) pairs; ``skip_empty`` leaves out the ones without a value."""
    return tuple(
        EntityFact(str(label), value_text(value))
        for label, value in pairs
        if not (skip_empty and (value is None or value == "" or value == [] or value == {}))
    )


# -- a Backstage catalog entity -------------------------------------------------------------------


def _tags(entity: CatalogEntity) -> list[str]:
    tags = (entity.metadata.model_extra or {}).get("tags")
    if not isinstance(tags, list):
        return []
    return [str(tag) for tag in tags if isinstance(tag, str | int | float) and str(tag)]


def _relations(entity: CatalogEntity) -> tuple[EntityPart, ...]:
    """The entity's relations grouped by type: ``ownedBy`` › ``group:default/payments``."""
    relations = (entity.model_extra or {}).get("relations")
    if not isinstance(relations, list):
        return ()
    by_type: dict[str, list[str]] = {}
    for relation in relations:
        if not isinstance(relation, Mapping):
            continue
        kind = relation.get("type")
        target = relation.get("targetRef")
        if not isinstance(target, str):
            inner = relation.get("target")
            if isinstance(inner, Mapping) and inner.get("kind") and inner.get("name"):
                namespace = inner.get("namespace") or "default"
                target = f"{inner['kind']}:{namespace}/{inner['name']}".lower()
        if isinstance(kind, str) and kind and isinstance(target, str) and target:
            by_type.setdefault(kind, [])
            if target not in by_type[kind]:
                by_type[kind].append(target)
    return tuple(
        EntityPart(kind, children=tuple(EntityPart(target) for target in targets))
        for kind, targets in by_type.items()
    )


SPEC_FACTS: tuple[tuple[str, str], ...] = (
    ("type", "Type"),
    ("lifecycle", "Lifecycle"),
    ("system", "System"),
    ("domain", "Domain"),
)


def catalog_overview(lookup: EntityLookup, workflows: Sequence[WorkflowOverview]) -> EntityOverview:
    """A Backstage entity: facts from the catalog entity (kind, namespace, owner, spec type and
    lifecycle, description, tags), its relations as parts, and its workflows: those the
    ``orchestrator.io/workflows`` annotation names and those that already ran for it
    (``workflows``, as the orchestrator lists them for the entity).  An annotated workflow the
    orchestrator does not list is blocked with the reason; so is one whose service is down.

    An entity the catalog does not know (or a catalog that cannot be asked) still has an overview:
    its reference, the workflows that ran for it, and a note saying so."""
    ref = lookup.ref
    entity = lookup.entity
    annotation = lookup.annotation
    listed: list[EntityWorkflow] = []
    seen: set[str] = set()
    for workflow in workflows:
        if workflow.workflowId in seen:
            continue
        seen.add(workflow.workflowId)
        reason = workflow.unavailable_reason
        listed.append(
            EntityWorkflow(
                workflow_id=workflow.workflowId,
                name=workflow.display_name,
                description=workflow.description,
                reason=f"the workflow is unavailable: {reason}" if reason else None,
            )
        )
    for workflow_id in annotation.ids:
        if workflow_id not in seen:
            seen.add(workflow_id)
            listed.append(
                EntityWorkflow(
                    workflow_id=workflow_id,
                    name=workflow_id,
                    reason=f"the {WORKFLOWS_ANNOTATION} annotation names it, but the orchestrator has no "
                    "such workflow (or does not show it to you)",
                )
            )
    if entity is None:
        return EntityOverview(
            ref=ref,
            title=ref.name,
            kind=ref.kind,
            facts=facts_of((("Kind", ref.kind), ("Namespace", ref.namespace), ("Name", ref.name))),
            workflows=tuple(listed),
            notes=tuple(lookup.notes),
            parts_label="Relations",
        )
    spec = entity.spec
    pairs: list[tuple[str, Any]] = [
        ("Kind", entity.kind),
        ("Namespace", entity.metadata.namespace or ref.namespace),
        ("Name", entity.metadata.name),
        ("Title", entity.metadata.title),
        ("Owner", entity.owner),
    ]
    pairs += [(label, spec.get(key)) for key, label in SPEC_FACTS if isinstance(spec.get(key), str)]
    pairs += [
        ("Description", entity.metadata.description),
        ("Tags", ", ".join(_tags(entity))),
    ]
    if annotation.present:
        pairs.append(("Workflows annotation", annotation.raw))
    return EntityOverview(
        ref=ref,
        title=entity.display_name,
        kind=entity.kind,
        facts=facts_of(pairs, skip_empty=True),
        parts=_relations(entity),
        parts_label="Relations",
        workflows=tuple(listed),
        notes=tuple(lookup.notes),
    )


__all__ = [
    "EntityFact",
    "EntityOverview",
    "EntityPart",
    "EntityWorkflow",
    "catalog_overview",
    "facts_of",
    "value_text",
]
