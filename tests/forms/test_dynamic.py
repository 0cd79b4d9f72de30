"""Dynamic widget plumbing: templates, fetch/validate requests, JSONata selectors, URLs."""

from __future__ import annotations

import pytest

from orch_tui.core.errors import Unreachable
from orch_tui.core.forms import FormModel, SchemaError
from orch_tui.core.forms.dynamic import (
    ABSENT,
    DynamicFieldError,
    DynamicProps,
    DynamicSession,
    FetchSelectors,
    FormEnvironment,
    FormResponse,
    PreparedRequest,
    RequestSpec,
    TemplateContext,
    dropdown_options,
    expand,
    render_text,
    replace_properties,
    resolve_url,
    select,
    string_list,
    validation_messages,
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


# -- widget settings, schema changes, answers ------------------------------------------------


def test_props_parse_reads_ui_props_then_the_fields_own_ui_keys() -> None:
    props = DynamicProps.parse(
        "ActiveMultiSelect",
        {"fetch:url": "/m", "fetch:response:default": ["a"], "fetch:error:silent": True},
        {"allowNewItems": True},
    )
    assert props.allow_new_items and props.silent and not props.ignore_unready
    assert props.fetch is not None and props.validate is None
    # The static default is a value, not a selector.
    assert props.selectors.selectors == {}
    text = DynamicProps.parse("ActiveText", {"ui:text": "Hi", "ui:variant": "h3"})
    assert (text.text, text.variant, text.fetch) == ("Hi", "h3", None)


def test_ready_waits_for_every_retrigger_field() -> None:
    props = DynamicProps.parse("ActiveTextInput", {"fetch:url": "/x", "fetch:retrigger": ["current.a", "current.b"]})
    assert not props.ready(TemplateContext({"a": "1"}))
    assert not props.ready(TemplateContext({"a": "1", "b": ""}))
    assert props.ready(TemplateContext({"a": "1", "b": 0}))


def test_static_defaults_fill_only_fields_without_a_default() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "ui:props": {"fetch:response:default": "from-props"}},
            "b": {"type": "string", "default": "own", "ui:props": {"fetch:response:default": "ignored"}},
            "c": {"type": "array", "items": {"type": "string"}, "ui:props": {"fetch:response:default": ["x", "y"]}},
        },
    }
    model = FormModel(schema)
    assert model.data == {"a": "from-props", "b": "own", "c": ["x", "y"]}
    assert "default" not in schema["properties"]["a"], "the caller's schema is never changed"


def test_replace_properties_anywhere_but_not_inside_the_replacement() -> None:
    schema = {
        "type": "object",
        "properties": {
            "slot": {"type": "string"},
            "group": {"type": "object", "properties": {"slot": {"type": "string"}, "other": {"type": "string"}}},
        },
        "$defs": {"x": {"properties": {"slot": {}}}},
    }
    patch = {"slot": {"type": "object", "properties": {"slot": {"type": "integer"}}}}
    assert replace_properties(schema, patch) == 3
    assert schema["properties"]["slot"] == patch["slot"]
    assert schema["properties"]["group"]["properties"]["slot"]["properties"]["slot"] == {"type": "integer"}
    assert replace_properties(schema, {"absent": {}}) == 0


SCHEMA_WITH_SLOT = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "updater": {"type": "string", "ui:widget": "SchemaUpdater", "ui:props": {"fetch:url": "/s"}},
        "slot": {"type": "object", "ui:widget": "hidden", "properties": {}},
    },
}


def test_update_schema_keeps_data_and_fills_new_defaults() -> None:
    model = FormModel(SCHEMA_WITH_SLOT, {"name": "kept"})
    version = model.version
    patch = {"slot": {"type": "object", "title": "Settings", "properties": {"size": {"type": "integer", "default": 2}}}}
    assert model.update_schema(patch)
    assert model.version > version
    assert model.data == {"name": "kept", "slot": {"size": 2}}
    slot = model.field(("slot",))
    assert slot is not None and slot.title == "Settings" and not slot.hidden
    assert model.payload() == {"name": "kept", "slot": {"size": 2}}
    assert not model.update_schema(patch), "the same answer again changes nothing"


def test_update_schema_that_cannot_be_built_leaves_the_form_as_it_was() -> None:
    model = FormModel(SCHEMA_WITH_SLOT, {"name": "kept"})
    before = (model.schema, dict(model.data), model.root)
    with pytest.raises(SchemaError):
        model.update_schema({"slot": {"$ref": "#/definitions/nowhere"}})
    assert (model.schema, model.data, model.root) == before


def test_dropdown_options_pair_labels_with_values() -> None:
    assert dropdown_options({"value": ["a", "b"], "label": ["A", "B"]}) == [("A", "a"), ("B", "b")]
    assert dropdown_options({"value": "only"}) == [("only", "only")]
    assert dropdown_options({"value": [1, 2]}) == [("1", "1"), ("2", "2")]
    assert dropdown_options({}) == []
    with pytest.raises(DynamicFieldError, match="2 labels for 3 values"):
        dropdown_options({"value": ["a", "b", "c"], "label": ["A", "B"]})
    with pytest.raises(DynamicFieldError, match="must select strings, not dict"):
        string_list([{"a": 1}], "fetch:response:value")


def test_render_text_fills_fetched_and_form_values() -> None:
    text = "**$${{fetch:response:name}}** for $${{current.owner}}$${{fetch:response:missing}}"
    assert render_text(text, CTX, {"name": "Team A"}) == "**Team A** for team-a"


def test_validation_answers() -> None:
    assert validation_messages(200, {"anything": ["ignored"]}) == {}
    assert validation_messages(422, {"name": ["taken", "too short"], "n": "one"}) == {
        "name": ["taken", "too short"], "n": ["one"],
    }
    assert validation_messages(500, "boom") == {"": ["Rejected by the validation service (HTTP 500)"]}


class FakeService:
    """Answers widget requests from a table; records what was asked."""

    def __init__(self, answers: dict[str, FormResponse]) -> None:
        self.answers = answers
        self.asked: list[PreparedRequest] = []

    async def send(self, request: PreparedRequest) -> FormResponse:
        self.asked.append(request)
        return self.answers[request.url]


async def test_session_caches_answers_per_trigger_value() -> None:
    service = FakeService({
        "https://bs/teams/a": FormResponse(200, {"lead": "ann"}),
        "https://bs/teams/b": FormResponse(200, {"lead": "bob"}),
    })
    session = DynamicSession(service.send, FormEnvironment("https://bs"))
    props = DynamicProps.parse("ActiveTextInput", {
        "fetch:url": "/teams/$${{current.team}}", "fetch:retrigger": ["current.team"], "fetch:response:value": "lead",
    })
    assert await session.fetch(("f",), props, session.context({"team": "a"})) == {"value": "ann"}
    assert await session.fetch(("f",), props, session.context({"team": "b"})) == {"value": "bob"}
    assert await session.fetch(("f",), props, session.context({"team": "a"})) == {"value": "ann"}
    assert len(service.asked) == 2
    assert session.cached(("f",), props, session.context({"team": "b"})) == {"value": "bob"}


async def test_failed_fetch_names_the_request_and_the_reason_but_not_the_query() -> None:
    service = FakeService({"https://bs/teams?token=secret": FormResponse(500, {"error": {"message": "db down"}})})
    session = DynamicSession(service.send, FormEnvironment("https://bs"))
    props = DynamicProps.parse("ActiveDropdown", {"fetch:url": "/teams?token=secret"})
    with pytest.raises(DynamicFieldError) as caught:
        await session.fetch(("f",), props, session.context({}))
    assert caught.value.message == "GET /teams answered HTTP 500: db down"
    assert session.cached(("f",), props, session.context({})) is None


async def test_schema_updater_takes_the_whole_answer_unless_a_value_selector_is_given() -> None:
    service = FakeService({"https://bs/s": FormResponse(200, {"wrapped": {"slot": {"type": "string"}}})})
    session = DynamicSession(service.send, FormEnvironment("https://bs"))
    whole = DynamicProps.parse("SchemaUpdater", {"fetch:url": "/s"})
    picked = DynamicProps.parse("SchemaUpdater", {"fetch:url": "/s", "fetch:response:value": "wrapped"})
    assert await session.fetch(("a",), whole, session.context({})) == {"value": {"wrapped": {"slot": {"type": "string"}}}}
    assert await session.fetch(("b",), picked, session.context({})) == {"value": {"slot": {"type": "string"}}}


async def test_validation_errors_land_on_the_field_they_name() -> None:
    schema = {
        "type": "object",
        "properties": {
            "team": {"type": "string"},
            "repo": {
                "type": "string",
                "ui:widget": "ActiveTextInput",
                "ui:props": {
                    "validate:url": "/check", "validate:method": "POST",
                    "validate:body": {"repo": "$${{current.repo}}"},
                },
            },
        },
    }
    model = FormModel(schema, {"repo": "taken"})
    service = FakeService({"https://bs/check": FormResponse(422, {"repo": ["taken"], "team": ["pick one"], "x.y": ["?"]})})
    session = DynamicSession(service.send, FormEnvironment("https://bs"))
    repo = model.field(("repo",))
    assert repo is not None
    errors = await session.validate(model, [repo])
    assert [(e.path, e.message) for e in errors] == [(("repo",), "taken"), (("team",), "pick one"), (("repo",), "?")]
    assert service.asked[0].body == {"repo": "taken"}


async def test_validation_service_down_is_an_error_on_the_field() -> None:
    async def down(request: PreparedRequest) -> FormResponse:
        raise Unreachable("Cannot reach bs: connection refused")

    model = FormModel({"type": "object", "properties": {"r": {
        "type": "string", "ui:widget": "ActiveTextInput", "ui:props": {"validate:url": "/check"}}}})
    field = model.field(("r",))
    assert field is not None
    errors = await DynamicSession(down, FormEnvironment("https://bs")).validate(model, [field])
    assert [(e.path, e.message) for e in errors] == [
        (("r",), "Could not be checked: Cannot reach bs: connection refused")
    ]
