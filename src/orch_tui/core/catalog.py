"""Backstage catalog entities, as far as entity-scoped views need them.

An entity's Workflows tab in the web UI lists the workflows named by the entity's
``orchestrator.io/workflows`` annotation (a JSON array of workflow ids) together with the
workflows that already ran for it.  The web UI ``JSON.parse``\\ s the annotation and silently shows
nothing when that fails; :func:`annotation_workflow_ids` says what is wrong instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field

from orch_tui.core.entity import DEFAULT_NAMESPACE, EntityRef, EntityRefError
from orch_tui.core.errors import NotFound, OrchError
from orch_tui.core.models import ApiModel, WorkflowOverview

if TYPE_CHECKING:
    from orch_tui.core.backend import Backend

WORKFLOWS_ANNOTATION = "orchestrator.io/workflows"
SCOPE_KINDS: tuple[str, ...] = ("component", "system", "resource", "api", "domain")
"""Kinds the entity picker searches by default: what workflows are usually run for."""


class EntityMetadata(ApiModel):
    name: str
    namespace: str | None = None
    title: str | None = None
    description: str | None = None
    annotations: dict[str, Any] = Field(default_factory=dict)


class CatalogEntity(ApiModel):
    """One catalog entity (``apiVersion``, ``kind``, ``metadata``, ``spec``), unknown fields kept."""

    kind: str
    metadata: EntityMetadata
    spec: dict[str, Any] = Field(default_factory=dict)

    @property
    def ref(self) -> EntityRef:
        """The entity's reference, lower-cased as the orchestrator's ``targetEntity`` carries it."""
        return EntityRef.of(self.kind, self.metadata.namespace or DEFAULT_NAMESPACE, self.metadata.name)

    @property
    def owner(self) -> str | None:
        owner = self.spec.get("owner")
        return owner if isinstance(owner, str) and owner else None

    @property
    def display_name(self) -> str:
        return self.metadata.title or self.metadata.name

    @property
    def workflows_annotation(self) -> str | None:
        """The raw ``orchestrator.io/workflows`` value, or None when the entity has none."""
        value = self.metadata.annotations.get(WORKFLOWS_ANNOTATION)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    @property
    def workflows(self) -> AnnotationIds:
        return annotation_workflow_ids(self.workflows_annotation)


@dataclass(frozen=True)
class AnnotationIds:
    """What an entity's ``orchestrator.io/workflows`` annotation names."""

    present: bool
    ids: tuple[str, ...] = ()
    problem: str | None = None
    """Why the value could not be used (the web UI then shows nothing, without saying so)."""
    raw: str | None = None


def annotation_workflow_ids(value: str | None) -> AnnotationIds:
    """Read the annotation as the web UI does (``JSON.parse``), and say why when it cannot be used."""
    if value is None:
        return AnnotationIds(present=False)
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        return AnnotationIds(True, problem=f"it is not valid JSON ({exc.msg} at position {exc.pos})", raw=value)
    if not isinstance(parsed, list):
        return AnnotationIds(True, problem=f"it is JSON but not an array ({type(parsed).__name__})", raw=value)
    bad = [item for item in parsed if not isinstance(item, str) or not item]
    if bad:
        return AnnotationIds(True, problem=f"items must be workflow ids (strings), not {json.dumps(bad[0])}", raw=value)
    return AnnotationIds(True, tuple(dict.fromkeys(parsed)), raw=value)


@dataclass(frozen=True)
class EntityLookup:
    """What the catalog said about a scope's entity: the entity (when it knows it) and its
    annotation, or why it could not be asked."""

    ref: EntityRef
    entity: CatalogEntity | None
    catalog_problem: str | None = None
    """Why the catalog could not be asked (the entity is then unknown, not absent)."""

    @property
    def annotation(self) -> AnnotationIds:
        return self.entity.workflows if self.entity is not None else AnnotationIds(present=False)

    @property
    def notes(self) -> list[str]:
        """What the user should know about how the entity's workflow list is made (empty when
        nothing is unusual)."""
        target = self.ref.target
        annotation = self.annotation
        notes: list[str] = []
        if self.catalog_problem is not None:
            notes.append(f"The catalog could not be asked about {target}: {self.catalog_problem}.")
        elif self.entity is None:
            notes.append(f"{target} is not in the catalog.")
        elif annotation.problem is not None:
            raw = annotation.raw or ""
            shown = raw if len(raw) <= 80 else raw[:79] + "…"
            notes.append(
                f"The {WORKFLOWS_ANNOTATION} annotation of {target} is not a valid JSON array of workflow ids: "
                f"{annotation.problem}. Its value: {shown}"
            )
        elif not annotation.present:
            notes.append(f"{target} has no {WORKFLOWS_ANNOTATION} annotation.")
        if notes:
            notes.append("Listed: the workflows that already ran for it.")
        return notes


async def lookup_entity(backend: Backend, ref: EntityRef) -> EntityLookup:
    """Ask the catalog for the entity; an unknown entity or an unreachable catalog is an answer too."""
    try:
        return EntityLookup(ref, await backend.get_entity(ref))
    except NotFound:
        return EntityLookup(ref, None)
    except OrchError as exc:
        return EntityLookup(ref, None, exc.summary)


async def entity_workflows(
    backend: Backend, ref: EntityRef, lookup: EntityLookup | None = None
) -> tuple[EntityLookup, list[WorkflowOverview]]:
    """What the web UI's entity Workflows tab lists: the annotated workflows and those that already
    ran for the entity (``POST /v2/workflows/overview/entity``, always with an id array).

    ``lookup`` reuses an earlier catalog answer.  Orchestrator errors propagate.
    """
    if lookup is None or lookup.ref != ref:
        lookup = await lookup_entity(backend, ref)
    workflows = await backend.list_workflows_for_entity(ref.target, list(lookup.annotation.ids))
    return lookup, workflows


def entity_from_json(data: Any) -> CatalogEntity | None:
    """A catalog entity from a JSON document, or None when it is not one (or has a bad name)."""
    try:
        entity = CatalogEntity.model_validate(data)
        _ = entity.ref
    except (ValueError, EntityRefError):
        return None
    return entity


__all__ = [
    "SCOPE_KINDS",
    "WORKFLOWS_ANNOTATION",
    "AnnotationIds",
    "CatalogEntity",
    "EntityMetadata",
    "EntityLookup",
    "annotation_workflow_ids",
    "entity_from_json",
    "entity_workflows",
    "lookup_entity",
]
