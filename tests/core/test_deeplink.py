"""Deep links: every web UI route shape, the ways a link is written, malformed links, and the
context a link's host picks."""

from __future__ import annotations

from pathlib import Path

import pytest

from orch_tui.core.config import ContextConfig, Overrides
from orch_tui.core.deeplink import (
    DeepLink,
    LinkError,
    Origin,
    Route,
    context_for_link,
    link_overrides,
    looks_like_link,
    parse_link,
)
from orch_tui.core.errors import ConfigError

# -- route shapes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/orchestrator", DeepLink(Route.WORKFLOWS)),
        ("/orchestrator/workflows/greeting", DeepLink(Route.WORKFLOW, workflow_id="greeting")),
        ("/orchestrator/workflows/greeting/runs", DeepLink(Route.WORKFLOW_RUNS, workflow_id="greeting")),
        ("/orchestrator/workflows/greeting/execute", DeepLink(Route.EXECUTE, workflow_id="greeting")),
        ("/orchestrator/instances/1f2e-33", DeepLink(Route.RUN, run_id="1f2e-33")),
        (
            "/orchestrator/entity/default/component/checkout/greeting",
            DeepLink(Route.ENTITY_WORKFLOW, workflow_id="greeting", entity="component:default/checkout"),
        ),
        (
            "/orchestrator/entity/Web/System/Shop/greeting/run-9",
            DeepLink(Route.ENTITY_RUN, workflow_id="greeting", run_id="run-9", entity="system:web/shop"),
        ),
        (
            "/catalog/default/component/checkout/workflows",
            DeepLink(Route.ENTITY_WORKFLOWS, entity="component:default/checkout"),
        ),
    ],
)
def test_every_route_shape(path: str, expected: DeepLink) -> None:
    assert parse_link(path) == expected
    assert parse_link(path + "/") == expected, "a trailing slash changes nothing"
    with_host = parse_link("https://bs.example.com" + path)
    assert with_host.route is expected.route and with_host.workflow_id == expected.workflow_id
    assert with_host.run_id == expected.run_id and with_host.entity == expected.entity
    assert with_host.origin == Origin("https", "bs.example.com")
    below = parse_link("https://bs.example.com/portal/tools" + path)
    assert below.route is expected.route and below.base_path == "/portal/tools"
    assert parse_link(path.lstrip("/")).route is expected.route, "the leading slash may be left out"


def test_scheme_host_and_port_forms() -> None:
    assert parse_link("http://BS.Example.com:80/orchestrator").origin == Origin("http", "bs.example.com")
    assert parse_link("https://bs.example.com:443/orchestrator").origin == Origin("https", "bs.example.com")
    assert parse_link("https://bs.example.com:8443/orchestrator").origin == Origin("https", "bs.example.com", 8443)
    no_scheme = parse_link("bs.example.com/portal/orchestrator/instances/r1")
    assert no_scheme.origin is not None and no_scheme.origin.host == "bs.example.com"
    assert no_scheme.base_path == "/portal" and no_scheme.run_id == "r1"
    assert parse_link("localhost:3000/orchestrator").origin == Origin("https", "localhost", 3000)
    assert parse_link("/orchestrator").origin is None
    assert parse_link("  https://h/orchestrator#section  ").route is Route.WORKFLOWS, "spaces around and a fragment"


def test_percent_encoding_and_plus() -> None:
    link = parse_link(
        "https://h/orchestrator/workflows/my%20flow%2Bv2/execute"
        "?name=Ada+Lovelace&note=a%2Bb&city=S%C3%A3o+Paulo&tags=a,b&empty=&name=Grace"
    )
    assert link.workflow_id == "my flow+v2"
    assert link.query == (
        ("name", "Ada Lovelace"), ("note", "a+b"), ("city", "São Paulo"), ("tags", "a,b"), ("empty", ""),
        ("name", "Grace"),
    ), "decoded, in order, repeated keys kept"
    assert parse_link("/orchestrator/workflows/a+b").workflow_id == "a+b", "'+' is a space only in the query"
    assert parse_link("/orchestrator/instances/x%2Fy").run_id == "x/y"


def test_execute_reserved_parameters() -> None:
    link = parse_link(
        "/orchestrator/workflows/greeting/execute?instanceId=run-1&targetEntity=Component:Default/Shop"
        "&instanceId=run-2&name=x"
    )
    assert link.instance_id == "run-1", "the first value, as URLSearchParams.get"
    assert link.entity == "component:default/shop"
    assert parse_link("/orchestrator/workflows/g/execute?targetEntity=component:shop").entity == "component:default/shop"
    assert parse_link("/orchestrator/workflows/g/execute?name=x").instance_id is None
    with pytest.raises(LinkError, match="targetEntity cannot be read: Entity reference 'shop': it has no kind"):
        parse_link("/orchestrator/workflows/g/execute?targetEntity=shop")


def test_base_path_that_contains_orchestrator() -> None:
    link = parse_link("https://h/orchestrator/orchestrator/workflows/x")
    assert link.base_path == "/orchestrator" and link.route is Route.WORKFLOW and link.workflow_id == "x"
    named = parse_link("/orchestrator/workflows/orchestrator")
    assert named.base_path == "" and named.workflow_id == "orchestrator"


# -- what is wrong with a link ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The link is empty"),
        ("   ", "The link is empty"),
        ("ftp://h/orchestrator", "not an http(s) URL (scheme 'ftp')"),
        ("https:///orchestrator", "has no host"),
        ("http://h:abc/orchestrator", "malformed: the port is not a number"),
        ("http://h:70000/orchestrator", "malformed: the port is not a number"),
        ("http://[::1/orchestrator", "the host is not a valid IPv6 address"),
        ("/orchestrator/workflows/%zz", "'%' that is not followed by two hex digits in its path"),
        ("/orchestrator/workflows/x/execute?a=%g1", "'%' that is not followed by two hex digits in its query"),
        ("/orchestrator/workflows/%ff", "percent-escapes in its path that are not UTF-8"),
        ("/orchestrator/workflows/x/execute?a=%ff", "percent-escapes in its query that are not UTF-8"),
        ("/orchestrator/workflows/a b", "contains spaces or control characters"),
        ("/orchestrator/workflows/a\x1b[31m", "contains spaces or control characters"),
        ("/orchestrator/entity/default/component/x", "names no orchestrator page"),
        ("/catalog/default/component/x", "names no orchestrator page"),
    ],
)
def test_malformed_links_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(LinkError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        parse_link(text)


@pytest.mark.parametrize(
    "path",
    [
        "/orchestrator/workflows",
        "/orchestrator/workflows/x/edit",
        "/orchestrator/workflows/x/runs/extra",
        "/orchestrator/instances",
        "/orchestrator/settings",
    ],
)
def test_unknown_orchestrator_routes(path: str) -> None:
    with pytest.raises(LinkError) as info:
        parse_link("https://h" + path)
    message = info.value.message
    assert f"names no orchestrator page ({path!r})" in message
    assert "/orchestrator/workflows/ID/execute" in message and "/catalog/NAMESPACE/KIND/NAME/workflows" in message


def test_not_an_orchestrator_link() -> None:
    with pytest.raises(LinkError, match=r"not an orchestrator link: its path '/docs/default/component/x'"):
        parse_link("https://h/docs/default/component/x")


def test_errors_never_echo_credentials_and_are_usage_errors() -> None:
    with pytest.raises(LinkError) as info:
        parse_link("https://alice:s3cret@h/orchestrator")
    assert "s3cret" not in info.value.message and "user name or password" in info.value.message
    with pytest.raises(LinkError) as info:
        parse_link("https://alice:s3cret@h:x/orchestrator")
    assert "s3cret" not in info.value.message
    assert isinstance(info.value, ConfigError), "the CLI turns it into exit code 2"


def test_looks_like_link() -> None:
    for text in ("https://h/x", "/orchestrator", "/orchestrator/workflows/x", "bs.example.com/orchestrator",
                 "/catalog/default/component/x/workflows", "h/portal/orchestrator/instances/1?x=/y"):
        assert looks_like_link(text), text
    for text in ("greeting", "workflows", "orchestrator", "run", "my-flow.v2", "a/b", "--context"):
        assert not looks_like_link(text), text


# -- the context a link belongs to -------------------------------------------------------------


def ctx(url: str | None, kind: str = "backstage") -> ContextConfig:
    return ContextConfig(url=url, kind=kind)  # type: ignore[arg-type]


CONTEXTS = {
    "prod": ctx("https://backstage.example.com"),
    "portal": ctx("https://tools.example.com/portal/api/orchestrator/"),
    "tools": ctx("https://tools.example.com"),
    "dev": ctx("http://localhost:7007"),
    "demo-copy": ctx(None, kind="demo"),
}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://backstage.example.com/orchestrator", "prod"),
        ("http://BACKSTAGE.example.com/orchestrator/instances/1", "prod"),
        ("https://backstage.example.com:443/orchestrator", "prod"),
        ("backstage.example.com/orchestrator", "prod"),
        ("https://tools.example.com/portal/orchestrator/workflows/x", "portal"),
        ("https://tools.example.com/orchestrator/workflows/x", "tools"),
        ("https://tools.example.com/other/orchestrator/workflows/x", "tools"),
        ("http://localhost:7007/orchestrator", "dev"),
        ("/orchestrator/workflows/x", None),
    ],
)
def test_context_for_link(url: str, expected: str | None) -> None:
    assert context_for_link(parse_link(url), CONTEXTS) == expected


def test_context_for_link_port_matters_and_no_match_names_the_contexts() -> None:
    with pytest.raises(LinkError) as info:
        context_for_link(parse_link("http://localhost:3000/orchestrator"), CONTEXTS)
    message = info.value.message
    assert "No configured context has the host localhost:3000" in message
    assert "prod (https://backstage.example.com)" in message and "dev (http://localhost:7007)" in message
    assert "--context NAME" in message
    with pytest.raises(LinkError, match="none is configured, only the built-in 'demo'"):
        context_for_link(parse_link("https://backstage.example.com/orchestrator"), {})


def test_context_for_link_ties() -> None:
    twins = {"admin": ctx("https://bs.example.com"), "viewer": ctx("https://bs.example.com/")}
    link = parse_link("https://bs.example.com/orchestrator")
    with pytest.raises(LinkError, match=r"Several contexts have the host bs.example.com \(admin, viewer\)"):
        context_for_link(link, twins)
    assert context_for_link(link, twins, preferred="viewer") == "viewer"
    assert context_for_link(link, twins | {"deeper": ctx("https://bs.example.com/x")}, preferred="viewer") == "viewer"


def test_link_overrides(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'current_context = "viewer"\n'
        '[contexts.viewer]\nurl = "https://bs.example.com"\n'
        '[contexts.admin]\nurl = "https://bs.example.com"\n'
        '[contexts.other]\nurl = "https://other.example.com"\n'
    )
    config.chmod(0o600)
    env: dict[str, str] = {}
    link = parse_link("https://other.example.com/orchestrator")
    assert link_overrides(link, Overrides(), environ=env, config_path=config).context == "other"
    assert link_overrides(link, Overrides(context="admin"), environ=env, config_path=config).context == "admin"
    assert link_overrides(link, Overrides(url="http://x"), environ=env, config_path=config) == Overrides(url="http://x")
    assert link_overrides(link, Overrides(), environ={"ORCH_TUI_URL": "http://x"}, config_path=config).context is None
    # the environment's context loses to the host, but settles a tie
    assert link_overrides(link, Overrides(), environ={"ORCH_TUI_CONTEXT": "admin"}, config_path=config).context == "other"
    tie = parse_link("https://bs.example.com/orchestrator")
    assert link_overrides(tie, Overrides(), environ=env, config_path=config).context == "viewer"
    assert link_overrides(tie, Overrides(), environ={"ORCH_TUI_CONTEXT": "admin"}, config_path=config).context == "admin"
    hostless = parse_link("/orchestrator")
    assert link_overrides(hostless, Overrides(), environ=env, config_path=config) == Overrides()
