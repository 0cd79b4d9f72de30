"""SearchRequest semantics: filters, ordering, paging and their errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from .conftest import API

INSTANCES = f"{API}/v2/workflows/instances"


async def search(client: httpx.AsyncClient, body: dict[str, Any] | None = None, url: str = INSTANCES) -> dict[str, Any]:
    response = await client.post(url, json=body if body is not None else {})
    assert response.status_code == 200, response.text
    return response.json()


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture
async def everything(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    return (await search(client))["items"]


async def test_without_pagination_everything_comes_back_oldest_first(
    client: httpx.AsyncClient, everything: list[dict[str, Any]]
) -> None:
    body = await search(client)
    assert body["totalCount"] == len(everything) == 60
    assert body["paginationInfo"] == {}
    starts = [when(item["start"]) for item in everything]
    assert starts == sorted(starts)


async def test_state_eq_and_in(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    body = await search(client, {"filters": {"field": "state", "operator": "EQ", "value": "ERROR"}})
    expected = [item["id"] for item in everything if item["state"] == "ERROR"]
    assert expected and [item["id"] for item in body["items"]] == expected
    assert body["totalCount"] == len(expected)

    wanted = ["ACTIVE", "SUSPENDED", "PENDING"]
    body = await search(client, {"filters": {"field": "state", "operator": "IN", "value": wanted}})
    assert sorted(item["state"] for item in body["items"]) == sorted(
        item["state"] for item in everything if item["state"] in wanted
    )
    assert {"ACTIVE", "SUSPENDED", "PENDING"} <= {item["state"] for item in body["items"]}


async def test_start_between_and_date_comparisons(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    low, high = everything[10]["start"], everything[30]["start"]
    body = await search(client, {"filters": {"field": "start", "operator": "BETWEEN", "value": [low, high]}})
    assert [item["id"] for item in body["items"]] == [item["id"] for item in everything[10:31]]

    # Offsets are accepted and compared as instants.
    moment = when(everything[20]["start"]).astimezone().isoformat()
    body = await search(client, {"filters": {"field": "start", "operator": "GT", "value": moment}})
    assert body["totalCount"] == len(everything) - 21

    body = await search(client, {"filters": {"field": "end", "operator": "IS_NULL", "value": True}})
    assert {item["id"] for item in body["items"]} == {item["id"] for item in everything if "end" not in item}


async def test_nested_variables_filters(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    target = "component:default/payments-api"
    body = await search(
        client,
        {"filters": {"field": "variables", "nested": {"field": "targetEntity", "operator": "EQ", "value": target}}},
    )
    expected = [item["id"] for item in everything if item.get("targetEntity") == target]
    assert expected and [item["id"] for item in body["items"]] == expected

    user = "user:default/alice"
    body = await search(
        client,
        {"filters": {"field": "variables", "nested": {"field": "initiatorEntity", "operator": "EQ", "value": user}}},
    )
    expected = [item["id"] for item in everything if item.get("initiatorEntity") == user]
    assert expected and [item["id"] for item in body["items"]] == expected

    # Deeper nesting reaches into workflowdata; nested fields are not type-checked.
    body = await search(
        client,
        {
            "filters": {
                "field": "variables",
                "nested": {
                    "field": "workflowdata",
                    "nested": {"field": "language", "operator": "EQ", "value": "Spanish"},
                },
            }
        },
    )
    assert body["items"] and all(item["workflowdata"]["language"] == "Spanish" for item in body["items"])

    body = await search(
        client,
        {"filters": {"field": "variables", "nested": {"field": "targetEntity", "operator": "IS_NULL", "value": True}}},
    )
    assert [item["id"] for item in body["items"]] == [item["id"] for item in everything if "targetEntity" not in item]


async def test_logical_filters(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    completed = {"field": "state", "operator": "EQ", "value": "COMPLETED"}
    greeting = {"field": "processId", "operator": "EQ", "value": "greeting"}
    errored = {"field": "state", "operator": "EQ", "value": "ERROR"}

    body = await search(client, {"filters": {"operator": "AND", "filters": [completed, greeting]}})
    expected = [i["id"] for i in everything if i["state"] == "COMPLETED" and i["processId"] == "greeting"]
    assert expected and [item["id"] for item in body["items"]] == expected

    body = await search(client, {"filters": {"operator": "OR", "filters": [errored, greeting]}})
    expected = [i["id"] for i in everything if i["state"] == "ERROR" or i["processId"] == "greeting"]
    assert [item["id"] for item in body["items"]] == expected

    body = await search(client, {"filters": {"operator": "NOT", "filters": [completed]}})
    expected = [i["id"] for i in everything if i["state"] != "COMPLETED"]
    assert [item["id"] for item in body["items"]] == expected

    nested = {
        "operator": "AND",
        "filters": [
            {"operator": "OR", "filters": [completed, errored]},
            {"field": "variables", "nested": {"field": "targetEntity", "operator": "IS_NULL", "value": False}},
        ],
    }
    body = await search(client, {"filters": nested})
    expected = [i["id"] for i in everything if i["state"] in ("COMPLETED", "ERROR") and "targetEntity" in i]
    assert [item["id"] for item in body["items"]] == expected


async def test_like_in_and_is_null(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    body = await search(client, {"filters": {"field": "processName", "operator": "LIKE", "value": "*migration"}})
    assert body["items"] and all(item["processName"] == "Database migration" for item in body["items"])
    body = await search(client, {"filters": {"field": "processName", "operator": "LIKE", "value": "*Migration"}})
    assert body["totalCount"] == 0  # case-sensitive

    body = await search(
        client, {"filters": {"field": "processId", "operator": "IN", "value": ["greeting", "notify-team"]}}
    )
    assert [item["id"] for item in body["items"]] == [
        item["id"] for item in everything if item["processId"] in ("greeting", "notify-team")
    ]

    first = everything[0]["id"]
    body = await search(client, {"filters": {"field": "id", "operator": "EQ", "value": first}})
    assert [item["id"] for item in body["items"]] == [first]
    body = await search(
        client, {"filters": {"field": "parentProcessInstanceId", "operator": "IS_NULL", "value": "true"}}
    )
    assert body["totalCount"] == 60


async def test_ordering(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    body = await search(client, {"paginationInfo": {"orderBy": "start", "orderDirection": "DESC"}})
    assert [item["id"] for item in body["items"]] == [item["id"] for item in reversed(everything)]

    # Direction defaults to ASC, and instances are ordered by start whenever pagination is given.
    body = await search(client, {"paginationInfo": {"pageSize": 5}})
    assert [item["id"] for item in body["items"]] == [item["id"] for item in everything[:5]]
    body = await search(client, {"paginationInfo": {"orderBy": "processName"}})
    names = [item["processName"] for item in body["items"]]
    assert names == sorted(names)

    body = await search(client, {"paginationInfo": {"orderBy": "processName", "orderDirection": "DESC"}})
    names = [item["processName"] for item in body["items"]]
    assert names == sorted(names, reverse=True)

    body = await search(client, {"paginationInfo": {"orderBy": "end", "orderDirection": "ASC"}})
    ends = [item.get("end") for item in body["items"]]
    present = [end for end in ends if end is not None]
    assert ends == present + [None] * (len(ends) - len(present))  # nulls last ascending
    assert present == sorted(present)
    body = await search(client, {"paginationInfo": {"orderBy": "end", "orderDirection": "DESC"}})
    assert body["items"][0].get("end") is None  # nulls first descending

    body = await search(client, {"paginationInfo": {"orderBy": "state"}})
    order = ["PENDING", "ACTIVE", "COMPLETED", "ABORTED", "SUSPENDED", "ERROR"]
    ranks = [order.index(item["state"]) for item in body["items"]]
    assert ranks == sorted(ranks)


async def test_paging(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    body = await search(
        client, {"paginationInfo": {"offset": 20, "pageSize": 7, "orderBy": "start", "orderDirection": "DESC"}}
    )
    newest_first = list(reversed(everything))
    assert [item["id"] for item in body["items"]] == [item["id"] for item in newest_first[20:27]]
    assert body["totalCount"] == 60
    assert body["paginationInfo"] == {"pageSize": 7, "offset": 20}

    errored = {"field": "state", "operator": "EQ", "value": "COMPLETED"}
    body = await search(client, {"filters": errored, "paginationInfo": {"offset": 0, "pageSize": 3}})
    assert len(body["items"]) == 3
    assert body["totalCount"] == sum(1 for item in everything if item["state"] == "COMPLETED")

    body = await search(client, {"paginationInfo": {"offset": 58, "pageSize": 10}})
    assert len(body["items"]) == 2


async def test_workflow_scoped_instances(client: httpx.AsyncClient, everything: list[dict[str, Any]]) -> None:
    body = await search(client, {}, url=f"{API}/v2/workflows/greeting/instances")
    assert [item["id"] for item in body["items"]] == [
        item["id"] for item in everything if item["processId"] == "greeting"
    ]
    body = await search(client, {}, url=f"{API}/v2/workflows/unknown/instances")
    assert body == {"totalCount": 0, "items": [], "paginationInfo": {}}


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        ({"field": "foo", "operator": "EQ", "value": "x"}, 'Can\'t find field "foo" definition'),
        (
            {"field": "start", "operator": "LIKE", "value": "2025*"},
            'Unsupported operator LIKE for field "start" of type "DateArgument". '
            "Allowed operators are: IS_NULL, EQ, GT, GTE, LT, LTE, BETWEEN",
        ),
        (
            {"field": "id", "operator": "LIKE", "value": "a*"},
            'Unsupported operator LIKE for field "id" of type "IdArgument". Allowed operators are: IN, IS_NULL, EQ',
        ),
        (
            {"field": "processName", "operator": "GT", "value": "a"},
            'Unsupported operator GT for field "processName" of type "StringArgument". '
            "Allowed operators are: IN, LIKE, IS_NULL, EQ",
        ),
        (
            {"field": "state", "operator": "LIKE", "value": "ACT*"},
            'Unsupported operator LIKE for field "state" of type "ProcessInstanceStateArgument". '
            "Allowed operators are: ",
        ),
        (
            {"field": "start", "operator": "BETWEEN", "value": ["2025-01-01T00:00:00Z"]},
            "Between operator requires an array of two elements",
        ),
        (
            {"operator": "AND", "filters": [{"field": "bogus", "operator": "IN", "value": ["a"]}]},
            'Can\'t find field "bogus" definition',
        ),
    ],
)
async def test_filter_errors_from_the_backend(client: httpx.AsyncClient, flt: dict[str, Any], message: str) -> None:
    response = await client.post(INSTANCES, json={"filters": flt})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == {"name": "Error", "message": message}
    assert body["request"] == {"method": "POST", "url": INSTANCES}
    assert body["response"] == {"statusCode": 500}


@pytest.mark.parametrize(
    "body",
    [
        {"filters": {"field": "start", "operator": "GT", "value": "yesterday"}},
        {"filters": {"field": "state", "operator": "EQ", "value": "RUNNING"}},
        {"filters": {"field": "processId", "operator": "EQ", "value": ["a", "b"]}},
        {"paginationInfo": {"orderBy": "nonsense"}},
        {"paginationInfo": {"pageSize": 2.5}},
        {"paginationInfo": {"offset": -1}},
    ],
)
async def test_data_index_errors(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await client.post(INSTANCES, json=body)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["name"] == "CombinedError"
    assert error["message"].startswith("[GraphQL] ")


@pytest.mark.parametrize(
    ("body", "path", "keyword"),
    [
        ({"paginationInfo": {"pageSize": "ten"}}, "/requestBody/paginationInfo/pageSize", "type"),
        ({"paginationInfo": {"limit": 5}}, "/requestBody/paginationInfo", "additionalProperties"),
        ({"paginationInfo": {"orderDirection": "desc"}}, "/requestBody/paginationInfo/orderDirection", "enum"),
        ({"filters": {"field": "state", "operator": "FOO", "value": "x"}}, "/requestBody/filters", "oneOf"),
        ([], "/requestBody", "type"),
    ],
)
async def test_request_validation_errors(client: httpx.AsyncClient, body: Any, path: str, keyword: str) -> None:
    response = await client.post(INSTANCES, json=body)
    assert response.status_code == 400
    errors = response.json()["err"]
    assert isinstance(errors, list) and errors
    assert errors[-1]["instancePath"] == path
    assert errors[-1]["keyword"] == keyword
    assert all({"instancePath", "schemaPath", "keyword", "params", "message"} <= set(error) for error in errors)


async def test_overview_filters_paging_and_order(client: httpx.AsyncClient) -> None:
    url = f"{API}/v2/workflows/overview"
    body = await search(client, {"filters": {"field": "name", "operator": "LIKE", "value": "*o*"}}, url=url)
    assert body["overviews"] and all("o" in overview["name"] for overview in body["overviews"])

    body = await search(
        client, {"filters": {"field": "id", "operator": "IN", "value": ["greeting", "legacy-sync"]}}, url=url
    )
    assert [overview["workflowId"] for overview in body["overviews"]] == ["greeting", "legacy-sync"]

    body = await search(
        client, {"paginationInfo": {"offset": 1, "pageSize": 3, "orderBy": "name", "orderDirection": "DESC"}}, url=url
    )
    everything = await search(client, {"paginationInfo": {"orderBy": "name", "orderDirection": "DESC"}}, url=url)
    assert body["overviews"] == everything["overviews"][1:4]
    assert body["paginationInfo"] == {"pageSize": 3, "offset": 1}
    names = [overview["name"] for overview in everything["overviews"]]
    assert names == sorted(names, reverse=True)

    response = await client.post(url, json={"filters": {"field": "state", "operator": "EQ", "value": "ACTIVE"}})
    assert response.status_code == 500
    assert response.json()["error"]["message"] == 'Can\'t find field "state" definition'
