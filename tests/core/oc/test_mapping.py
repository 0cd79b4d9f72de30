"""Status mapping and the runs query as REST parameters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from orch_tui.core import errors
from orch_tui.core.filters import SearchRequest, any_of, eq, page
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core.mapping import (
    CORE_TO_RUN,
    RUN_TO_CORE,
    bare_etag,
    content_range_total,
    process_params,
    run_status,
    subscription_ref,
)
from orch_tui.core.run_query import RunQuery

CET = timezone(timedelta(hours=1))


def test_every_core_status_maps_and_back() -> None:
    assert set(CORE_TO_RUN) == {"created", "running", "suspended", "waiting", "awaiting_callback", "aborted",
                                "failed", "api_unavailable", "inconsistent_data", "completed", "resumed"}
    assert run_status("FAILED") is RunStatus.ERROR  # GraphQL's upper case
    assert run_status("something new") is RunStatus.UNKNOWN
    for run, cores in RUN_TO_CORE.items():
        assert all(CORE_TO_RUN[core] is run for core in cores)
    assert RUN_TO_CORE[RunStatus.ERROR] == ("failed", "api_unavailable", "inconsistent_data")


def test_runs_query_as_parameters() -> None:
    query = RunQuery(
        statuses=(RunStatus.ACTIVE, RunStatus.SUSPENDED),
        started_from=datetime(2026, 11, 22, 0, 0, tzinfo=CET),
        started_to=datetime(2026, 11, 22, 23, 59, 59, 999000, tzinfo=CET),
        entity="subscription:default/9a0c7a49-0d3e-4c3d-9b8e-000000000001",
        initiator="alice",
        order_by="state",
        direction="ASC",
        page_size=20,
        offset=40,
    )
    params = process_params(query.to_request(), "create_lab_node")
    assert params["range"] == "40,60" and params["sort"] == "lastStatus,asc"
    assert params["filter"].split(",") == [
        "workflowName", "create_lab_node",
        "lastStatus", "running|resumed|suspended|waiting|awaiting_callback",
        # dashes would split the value: basic ISO format, in UTC, the inclusive end rounded up
        "startedAt", ">=20261121T230000",
        "startedAt", "<20261122T230000",
        "subscriptionId", "9a0c7a49-0d3e-4c3d-9b8e-000000000001",
        "createdBy", "alice",
    ]


def test_defaults_and_refusals() -> None:
    assert process_params(None, None) == {"range": "0,100", "sort": "startedAt,desc"}
    with pytest.raises(errors.BadRequest, match="cannot express OR"):
        process_params(SearchRequest(filters=any_of(eq("state", "ERROR"), eq("state", "ABORTED"))), None)
    with pytest.raises(errors.BadRequest, match="cannot filter runs on description"):
        process_params(SearchRequest(filters=eq("description", "x")), None)
    with pytest.raises(errors.BadRequest, match="comma"):
        process_params(None, "a,b")
    with pytest.raises(errors.BadRequest, match="cannot sort runs by 'duration'"):
        process_params(SearchRequest(paginationInfo=page(order_by="duration")), None)


def test_header_helpers() -> None:
    assert content_range_total("processes 0-2/27") == 27
    assert content_range_total(None) is None and content_range_total("processes */?") is None
    assert bare_etag('W/"0x9e70ca38"') == "0x9e70ca38" and bare_etag('"abc"') == "abc" and bare_etag(None) is None
    assert subscription_ref("subscription:default/ab-12") == "ab-12"
    assert subscription_ref("subscription:ab-12") == "ab-12" and subscription_ref("ab-12") == "ab-12"


def test_make_backend_builds_the_core_adapter(tmp_path: object) -> None:
    from pathlib import Path

    from pydantic import SecretStr

    from orch_tui.core.config import ContextConfig, ResolvedContext
    from orch_tui.core.connect import make_backend
    from orch_tui.core.orchestrator_core import CoreBackend

    context = ResolvedContext(
        config=ContextConfig(name="lab", kind="core", url="http://127.0.0.1:18080", read_only=True),
        token=SecretStr("tok"), config_path=Path("/nonexistent"), config_loaded=False, sources=[],
    )
    backend = make_backend(context)
    assert isinstance(backend, CoreBackend)
    assert backend.info.kind == "core" and backend.info.label == "lab" and backend.info.read_only
    assert backend.base_url == "http://127.0.0.1:18080/api"
