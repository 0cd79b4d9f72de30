"""Dynamic widget plumbing: templates, fetch/validate requests, JSONata selectors, URLs."""

from __future__ import annotations

import pytest

from orch_tui.core.forms.dynamic import (
    ABSENT,
    DynamicFieldError,
    FetchSelectors,
    RequestSpec,
    TemplateContext,
    expand,
    resolve_url,
    select,
)

CTX = TemplateContext(
    form_data={"owner": "team-a", "count": 3, "tags": ["x", "y"], "nested": {"name": "n1"}},
    backend_base_url="https://backstage.example.com",
    identity={"token": "id-token", "userEntityRef": "user:default/alice"},
    config={"region": "eu-west-1"},
)


def test_templates_keep_type_when_whole_and_text_when_mixed() -> None:
    assert expand("$${{current.count}}", CTX) == 3
    assert expand("$${{ current.tags }}", CTX) == ["x", "y"]
    assert expand("n=$${{current.count}} t=$${{current.tags}}", CTX) == 'n=3 t=["x","y"]'
    assert expand("$${{current.nested.name}}", CTX) == "n1"
    assert expand("$${{current.missing}}", CTX) is ABSENT
    assert expand("a$${{current.missing}}b", CTX) == "ab"
    assert expand("$${{identityApi.userEntityRef}}", CTX) == "user:default/alice"
    assert expand("$${{backend.baseUrl}}/x", CTX) == "https://backstage.example.com/x"
    assert expand("$${{rjsfConfig.orchestrator.region}}", CTX) == "eu-west-1"
    assert expand("$${{unknown.family}}", CTX) is ABSENT
    assert expand({"a": ["$${{current.owner}}", 1]}, CTX) == {"a": ["team-a", 1]}


def test_request_spec_prepares_get_and_post() -> None:
    props = {
        "fetch:url": "/api/proxy/teams?owner=$${{current.owner}}",
        "fetch:headers": {"Authorization": "Bearer $${{identityApi.token}}", "X-Missing": "$${{current.nope}}"},
        "fetch:retrigger": ["current.owner"],
    }
    spec = RequestSpec.from_props(props, "fetch")
    assert spec is not None
    request = spec.prepare(CTX)
    assert request.method == "GET" and request.body is None
    assert request.url == "https://backstage.example.com/api/proxy/teams?owner=team-a"
    assert request.headers == {"Content-Type": "application/json", "Authorization": "Bearer id-token"}
    assert spec.trigger_values(CTX) == ('"team-a"',)

    post = RequestSpec.from_props({
        "validate:url": "https://v.example.com/check", "validate:method": "post",
        "validate:body": {"name": "$${{current.nested.name}}", "gone": "$${{current.nope}}",
                          "size": "jsonata:$count(tags)"},
    }, "validate")
    assert post is not None
    prepared = post.prepare(CTX)
    assert prepared.method == "POST" and prepared.url == "https://v.example.com/check"
    assert prepared.body == {"name": "n1", "size": 2}


@pytest.mark.parametrize(
    ("props", "match"),
    [
        ({"fetch:url": "/x", "fetch:method": "DELETE"}, "GET or POST"),
        ({"fetch:url": "/x", "fetch:headers": "nope"}, "must be an object"),
        ({"fetch:url": "/x", "fetch:retrigger": "current.a"}, "list of field paths"),
    ],
)
def test_bad_props_are_clear(props: dict[str, object], match: str) -> None:
    with pytest.raises(DynamicFieldError, match=match):
        RequestSpec.from_props(props, "fetch")


def test_no_url_means_no_request() -> None:
    assert RequestSpec.from_props({"fetch:response:value": "a"}, "fetch") is None


def test_selectors_with_jsonata() -> None:
    data = {"teams": [{"name": "a", "active": True}, {"name": "b", "active": False}]}
    selectors = FetchSelectors.from_props({
        "fetch:response:value": "teams[active].name",
        "fetch:response:autocomplete": "teams.name",
        "fetch:response:extra": "$count(teams)",
        "fetch:url": "/ignored",
    })
    assert selectors.apply(data) == {"value": "a", "autocomplete": ["a", "b"], "extra": 2}
    assert select("nothing.here", data) is None
    with pytest.raises(DynamicFieldError, match="Selector 'teams\\[' failed"):
        select("teams[", data)


def test_urls() -> None:
    assert resolve_url("http://other/x", "https://bs") == "http://other/x"
    assert resolve_url("/api/proxy/x", "https://bs/base/") == "https://bs/base/api/proxy/x"
    with pytest.raises(DynamicFieldError, match="needs the Backstage backend URL"):
        resolve_url("/api/x", "")
