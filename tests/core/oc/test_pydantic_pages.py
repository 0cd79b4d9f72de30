"""The form model on pydantic-forms pages: every page the harness produced (create, modify,
terminate, validate, task, the suspended step's form) builds, describes, validates and gives the
payload the server accepted; and the survey page of every pydantic-forms widget
(fixtures/schema_survey.json, produced by pydantic-forms 2.9.0 / orchestrator-core 5.5.0)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orch_tui.core.forms import FormModel
from orch_tui.core.forms.pydantic_forms import DIALECT, normalize_page, server_errors, summary_text

from .replay import FIXTURES


def pages(rec: Any) -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every recorded page: name → (schema, the input the server then accepted for it)."""
    found: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for walk, exchanges in rec["forms"].items():
        for position, exchange in enumerate(exchanges):
            response = exchange["response"]
            body = response["body"]
            if response["status"] == 510:
                index = len(exchange["request"]["body"])
                accepted = None
                for later in exchanges[position + 1 :]:
                    sent = later["request"]["body"]
                    if isinstance(sent, list) and len(sent) > index and later["response"]["status"] in (201, 510):
                        accepted = sent[index]
                        break
                found[f"{walk}/page{index}"] = (body["form"], accepted)
            if walk == "resume_walk" and position == 0:
                found["resume_walk/suspended"] = (body["form"], exchanges[-1]["request"]["body"][0])
    return found


def test_every_recorded_page_builds_describes_validates_and_gives_the_accepted_payload(rec: Any) -> None:
    found = pages(rec)
    assert {"create_walk/page0", "create_walk/page1", "create_walk/page2", "modify_walk/page1",
            "terminate_walk/page1", "validate_confirm/page0", "task_walk/page0", "resume_walk/suspended"} <= set(found)
    for name, (schema, accepted) in found.items():
        model = FormModel(schema, dialect=DIALECT)
        assert not model.multi_step, name
        described = model.describe()
        assert [f["path"] for f in described["steps"][0]["fields"]], name
        if accepted is None:
            continue
        for key, value in accepted.items():
            model.set((key,), value)
        assert model.validate() == [], (name, model.validate())
        payload = model.payload()
        # what the form model sends is what the server accepted (defaults filled in are the
        # server's own defaults, read-only echoes are their constant)
        assert {k: v for k, v in payload.items() if k in accepted} == accepted, name
        for key in set(payload) - set(accepted):
            assert payload[key] == model.field((key,)).default, (name, key)


def test_product_page_is_a_labelled_choice(rec: Any) -> None:
    schema = rec["forms"]["create_walk"][0]["response"]["body"]["form"]
    model = FormModel(schema, dialect=DIALECT)
    product = model.field(("product",))
    assert product is not None and product.kind == "enum" and product.format == "productId"
    assert product.title == "Product"  # the field's name, not the shared definition's "ProductChoice"
    assert [option.label for option in product.options] == ["Lab Node"]
    assert model.validate()[0].path == ("product",) and model.payload() == {}


def test_basics_page_fields(rec: Any) -> None:
    schema = rec["forms"]["create_walk"][1]["response"]["body"]["form"]
    model = FormModel(schema, dialect=DIALECT)
    kinds = {str(f.key): (f.kind, f.widget) for f in model.root.children}
    assert kinds == {"intro": ("display", "label"), "hostname": ("string", "text"), "role": ("enum", "select"),
                     "port_count": ("integer", "integer"), "notes": ("string", "textarea")}
    notes = model.field(("notes",))
    assert notes is not None and notes.nullable and model.get(("notes",)) is None
    assert model.data == {"role": "edge", "port_count": 8, "notes": None}
    model.set(("hostname",), "X!")
    model.set(("port_count",), 99)
    assert {e.path for e in model.validate()} == {("hostname",), ("port_count",)}
    # the labels of the translations replace pydantic's titles
    labelled = FormModel(schema, dialect=DIALECT, labels={"hostname": "Host name", "hostname_info": "ignored",
                                                          "role_info": "what the node does"})
    hostname = labelled.field(("hostname",))
    assert hostname is not None and hostname.title == "Host name"
    assert hostname.description == "lower-case host name"  # the page's own help text wins
    role = labelled.field(("role",))
    assert role is not None and role.description == "what the node does"


def test_run_options_page_has_a_read_only_echo_and_a_divider(rec: Any) -> None:
    schema = None
    for exchange in rec["forms"]["create_walk"]:
        body = exchange["response"]["body"]
        if exchange["response"]["status"] == 510 and body["form"]["title"] == "Run options":
            schema = body["form"]
    assert schema is not None
    model = FormModel(schema, dialect=DIALECT)
    echo = model.field(("hostname_check",))
    assert echo is not None and echo.read_only and echo.kind == "const"
    divider = model.field(("separator",))
    assert divider is not None and divider.kind == "display" and divider.widget == "divider"
    failure = model.field(("failure_mode",))
    assert failure is not None and failure.title == "Failure Mode"
    assert [o.label for o in failure.options][1] == "Fail the first time, succeed when retried"
    assert "separator" not in model.payload() and "separator" not in json.dumps(model.review(), default=str)


def test_accept_page(rec: Any) -> None:
    schema = rec["forms"]["resume_walk"][0]["response"]["body"]["form"]
    model = FormModel(schema, dialect=DIALECT)
    approval = model.field(("approval",))
    assert approval is not None and approval.format == "accept" and approval.widget == "radio"
    assert [(o.value, o.label) for o in approval.options] == [("ACCEPTED", "Accepted"),
                                                             ("INCOMPLETE", "Not yet accepted")]
    assert model.validate()[0].path == ("approval",)


@pytest.fixture(scope="module")
def survey() -> dict[str, Any]:
    return json.loads((FIXTURES / "schema_survey.json").read_text(encoding="utf-8"))


def test_survey_display_fields_are_dispatched_on_format_before_ref(survey: dict[str, Any]) -> None:
    model = FormModel(survey["page"], dialect=DIALECT)
    display = {str(f.key): f for f in model.root.children if f.kind == "display"}
    assert set(display) == {"label_intro", "divider_1", "hidden_1", "note_md", "warn_box", "summary"}
    assert display["note_md"].display == {"content": "**bold** text", "color": "warning"}
    assert display["note_md"].default == "**bold** text"
    assert display["warn_box"].default == "Careful: This deletes things"
    assert display["warn_box"].display["message_type"] == "danger"
    assert display["summary"].display == {"headers": ["old", "new"], "labels": ["ports"], "columns": [["4", "8"]]}
    assert display["hidden_1"].hidden and display["hidden_1"].widget == "hidden"
    payload = model.payload()
    assert not set(display) & set(payload)
    assert not {r.title for r in model.review()} & {"Note Md", "Warn Box", "Summary", "Label Intro"}
    assert not {f["path"] for f in model.describe()["steps"][0]["fields"]} & set(display)


def test_survey_fields(survey: dict[str, Any]) -> None:
    model = FormModel(survey["page"], dialect=DIALECT)

    def field(name: str) -> Any:
        found = model.field((name,))
        assert found is not None, name
        return found

    assert field("long_text").widget == "textarea"
    assert field("ts").kind == "number" and field("ts").format == "timestamp" and "Unix time" in field("ts").help
    assert [o.label for o in field("labelled_choice").options] == ["1 Gbit/s", "10 Gbit/s"]
    assert field("labelled_choice").title == "Labelled Choice"
    assert field("multi_choice").kind == "multi_enum"
    assert field("optional_enum").nullable and field("optional_enum").kind == "enum"
    assert field("ro_text").read_only and field("ro_int").read_only and field("ro_list").read_only
    assert field("port").kind == "object" and field("port").nullable
    assert field("union_field").kind == "choice" and [o.label for o in field("union_field").options] == [
        "Whole number", "Text"]
    # Optional fields with a null default stay null (no list filled up to minItems)
    assert model.get(("one_port",)) is None and model.get(("two_names",)) is None
    assert {e.path for e in model.validate()} == {("text",), ("text_constrained",)}


def test_survey_payload_is_what_pydantic_forms_accepts(survey: dict[str, Any]) -> None:
    """The payload below was validated by the survey's own pydantic model (SurveyPage) in the
    harness's orchestrator-core 5.5.0 venv; the same page with ``accept: INCOMPLETE`` was refused."""
    model = FormModel(survey["page"], dialect=DIALECT)
    model.set(("text",), "hello")
    model.set(("text_constrained",), "abc")
    model.set(("accept",), "ACCEPTED")
    model.add_item(("ports",))
    model.set(("ports", 0, "name"), "p1")
    model.set(("ports", 0, "vlan"), 7)
    model.set(("tags",), {"a": "b"})
    assert model.validate() == []
    assert model.payload() == survey["accepted_payload"]


def test_survey_inline_refs_page_builds_the_same_fields(survey: dict[str, Any]) -> None:
    with_refs = FormModel(survey["page"], dialect=DIALECT)
    inlined = FormModel(survey["page_inline_refs"], dialect=DIALECT)
    assert [(f.key, f.kind) for f in with_refs.root.children] == [(f.key, f.kind) for f in inlined.root.children]


def test_normalize_page_leaves_the_input_alone(survey: dict[str, Any]) -> None:
    before = json.dumps(survey["page"], sort_keys=True)
    normalize_page(survey["page"])
    assert json.dumps(survey["page"], sort_keys=True) == before


def test_summary_text_is_column_major() -> None:
    assert summary_text({"headers": ["old", "new"], "labels": ["ports", "vlans"],
                         "columns": [["4", "10"], ["8", "20"]]}) == " | old | new\nports | 4 | 8\nvlans | 10 | 20"


def test_server_errors_map_loc_to_paths() -> None:
    errors = server_errors([{"loc": ["ports", 0, "vlan"], "msg": "too big"}, {"loc": ["__root__"], "msg": "bad"},
                            {"loc": [], "msg": "odd"}], ["ports"])
    assert [(e.path, e.message) for e in errors] == [(("ports", 0, "vlan"), "too big"), ((), "bad"), ((), "odd")]


def test_rjsf_schemas_are_untouched_by_default() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "object", "properties": {"x": {"type": "string"}}},
                                               "b": {"type": "object", "properties": {}}}}
    assert FormModel(schema).multi_step and not FormModel(schema, dialect=DIALECT).multi_step
    with pytest.raises(ValueError, match="unknown form dialect"):
        FormModel(schema, dialect="other")
