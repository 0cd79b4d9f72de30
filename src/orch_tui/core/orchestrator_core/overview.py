"""A subscription as the console's entity overview, and orchestrator-core's reasons in words.

``GET /api/subscriptions/workflows/{id}`` says why a workflow cannot run with a translation key
(``subscription.no_modify_invalid_status``); the web UI looks the key up in its own messages.
:func:`reason_sentence` says it in a sentence, and the overview keeps the key beside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from orch_tui.core.entity import EntityRef
from orch_tui.core.entity_overview import EntityFact, EntityOverview, EntityPart, EntityWorkflow, facts_of
from orch_tui.core.formatting import absolute_time
from orch_tui.core.orchestrator_core.models import (
    ApplicableWorkflow,
    ApplicableWorkflows,
    ProductBlock,
    SubscriptionDetail,
)

SUBSCRIPTION_KIND = "Subscription"
PARTS_LABEL = "Product blocks"

REASONS: dict[str, str] = {
    "subscription.not_in_sync": (
        "the subscription is not in sync: a process or task for it is still running, or did not finish"
    ),
    "subscription.relations_not_in_sync": "a subscription related to this one is not in sync",
    "subscription.no_modify_parent_subscription": (
        "the subscription is used by other subscriptions that are not terminated"
    ),
    "subscription.no_modify_subscription_in_use_by_others": "the subscription is in use by other subscriptions",
    "subscription.no_modify_auto_negotiation": "this workflow does not apply to this subscription",
    "subscription.insufficient_workflow_permissions": "you are not allowed to run this workflow",
    "subscription.no_modify_workflow": "the product has no workflow for this",
    "subscription.no_modify_deleted_related_objects": "objects this subscription relates to no longer exist",
}
"""Sentences for the reasons orchestrator-core gives (``subscription.no_modify_invalid_status``
is worded from the subscription's status, see :func:`reason_sentence`)."""


def _either(words: Sequence[Any]) -> str:
    items = [str(word) for word in words if str(word)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def reason_sentence(key: str, *, status: str | None = None, usable_when: Sequence[Any] = ()) -> str:
    """A reason key in words: a known key's sentence, the status one from the subscription's
    status and the statuses the workflow needs, any other key from its own words."""
    if key == "subscription.no_modify_invalid_status":
        if status and usable_when:
            return f"the subscription is {status}; this workflow needs it {_either(usable_when)}"
        if status:
            return f"this workflow cannot run for a subscription that is {status}"
        return "the subscription's status does not allow this workflow"
    known = REASONS.get(key)
    if known is not None:
        return known
    words = key.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words or key


def _in_use_by(relations: Sequence[Any]) -> str:
    names: list[str] = []
    for relation in relations:
        if isinstance(relation, Mapping):
            name = relation.get("subscription_id") or relation.get("subscriptionId")
            names.append(str(name) if name else json.dumps(relation, ensure_ascii=False, default=str))
        else:
            names.append(str(relation))
    return ", ".join(names)


def block_part(block: ProductBlock, subscription_id: str | None = None) -> EntityPart:
    """A product block with its values as facts, and its child blocks."""
    facts = list(facts_of(block.values.items()))
    if block.in_use_by:
        facts.append(EntityFact("in use by", _in_use_by(block.in_use_by)))
    if block.owner_subscription_id and subscription_id and block.owner_subscription_id != subscription_id:
        facts.append(EntityFact("owned by subscription", block.owner_subscription_id))
    return EntityPart(
        block.name,
        facts=tuple(facts),
        children=tuple(block_part(child, subscription_id) for child in block.children),
    )


def _customer(detail: SubscriptionDetail) -> str | None:
    if detail.customer_name and detail.customer_id:
        return f"{detail.customer_name} ({detail.customer_id})"
    return detail.customer_name or detail.customer_id


def _product(detail: SubscriptionDetail) -> str | None:
    product = detail.product
    if product is None:
        return None
    extra = [part for part in (product.tag, product.product_type) if part]
    name = product.name or product.product_id or ""
    return f"{name} ({', '.join(extra)})" if extra else name


def _named_values(value: Any, label: str) -> list[tuple[str, Any]]:
    """Fixed inputs or metadata: ``[{field, value}]`` or a mapping, as labelled values."""
    pairs: list[tuple[str, Any]] = []
    if isinstance(value, Mapping):
        pairs = [(f"{label} {key}", item) for key, item in value.items()]
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and ("field" in item or "name" in item):
                pairs.append((f"{label} {item.get('field') or item.get('name')}", item.get("value")))
            elif item not in (None, "", [], {}):
                pairs.append((label, item))
    return pairs


def _customer_descriptions(value: Sequence[Any]) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for item in value:
        if isinstance(item, Mapping):
            pairs.append(("Customer description", item.get("description")))
        elif item:
            pairs.append(("Customer description", item))
    return pairs


def _workflow(entry: ApplicableWorkflow, status: str | None) -> EntityWorkflow:
    judged = entry.status or status
    reason = reason_sentence(entry.reason, status=judged, usable_when=entry.usable_when) if entry.reason else None
    return EntityWorkflow(
        workflow_id=entry.name,
        name=entry.description or entry.name,
        target=entry.target or None,
        reason=reason,
        reason_key=entry.reason or None,
    )


def subscription_overview(
    detail: SubscriptionDetail,
    applicable: ApplicableWorkflows | None,
    *,
    workflows_problem: str | None = None,
) -> EntityOverview:
    """The subscription's facts (status, in sync, product, customer, dates, description, note …),
    its product block tree as parts, and the workflows it offers with their reasons
    (``applicable`` None: they could not be asked, ``workflows_problem`` says why)."""
    ref = EntityRef.of("subscription", "default", detail.subscription_id)
    pairs: list[tuple[str, Any]] = [
        ("Kind", SUBSCRIPTION_KIND),
        ("Status", detail.status),
        ("In sync", detail.insync),
        ("Product", _product(detail)),
        ("Customer", _customer(detail)),
        ("Start date", absolute_time(detail.start_date) if detail.start_date else None),
        ("End date", absolute_time(detail.end_date) if detail.end_date else None),
        ("Description", detail.description),
        ("Note", detail.note),
        ("Version", detail.version),
        ("ID", detail.subscription_id),
    ]
    optional: list[tuple[str, Any]] = [
        *_customer_descriptions(detail.customer_descriptions),
        *_named_values(detail.fixed_inputs, "Fixed input"),
        *_named_values(detail.metadata, "Metadata"),
    ]
    if detail.product is not None and detail.product.description:
        optional.append(("Product info", detail.product.description))
    facts = facts_of(pairs) + facts_of(optional, skip_empty=True)
    notes: list[str] = []
    workflows: tuple[EntityWorkflow, ...] = ()
    reason = reason_key = None
    if applicable is not None:
        workflows = tuple(_workflow(entry, detail.status) for entry in applicable.workflows)
        if applicable.reason:
            reason_key = applicable.reason
            reason = reason_sentence(applicable.reason, status=detail.status)
    elif workflows_problem:
        notes.append(f"The workflows of this subscription could not be asked: {workflows_problem}")
    return EntityOverview(
        ref=ref,
        title=detail.description or detail.subscription_id,
        kind=SUBSCRIPTION_KIND,
        facts=facts,
        parts=tuple(block_part(block, detail.subscription_id) for block in detail.blocks),
        parts_label=PARTS_LABEL,
        workflows=workflows,
        reason=reason,
        reason_key=reason_key,
        notes=tuple(notes),
    )


__all__ = ["REASONS", "block_part", "reason_sentence", "subscription_overview"]
