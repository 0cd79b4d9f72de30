"""Entity references: the forms people write, and the targetEntity the web UI sends."""

from __future__ import annotations

import pytest

from orch_tui.core.entity import EntityRef, EntityRefError, parse_entity_ref


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("component:default/checkout", "component:default/checkout"),
        ("Component:Payments/Checkout-API", "component:payments/checkout-api"),
        ("component:checkout", "component:default/checkout"),
        ("payments:system:shop", "system:payments/shop"),
        ("  group:default/web.team_1  ", "group:default/web.team_1"),
    ],
)
def test_forms(text: str, target: str) -> None:
    ref = parse_entity_ref(text)
    assert ref.target == target == str(ref)


def test_parts() -> None:
    assert parse_entity_ref("payments:system:shop") == EntityRef("system", "payments", "shop")
    assert EntityRef.of("Component", None, "X").target == "component:default/x"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("checkout", "it has no kind"),
        ("default/checkout", "it has no kind"),
        (":default/checkout", "the kind is empty"),
        ("component:", "the name is empty"),
        ("component:/checkout", "the namespace is empty"),
        ("component:a/b/c", "too many '/'"),
        ("a:b:c:d", "too many ':'"),
        ("component:default/check out", "contains a space"),
        ("::x", "the namespace is empty"),
    ],
)
def test_refused(text: str, problem: str) -> None:
    with pytest.raises(EntityRefError) as info:
        parse_entity_ref(text)
    message = str(info.value)
    assert problem in message and "expected kind:namespace/name" in message and repr(text) in message
