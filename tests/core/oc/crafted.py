"""Exchanges the recordings lack, built in the recorded shape from recorded ones: task processes
in a runs list (the ``isTask`` filter), an engine with failed tasks, and resume-all retrying some.

Self-contained (no package-relative import), so that the Pilot tests can load it by path as
they load ``replay.py``.
"""

from __future__ import annotations

import copy
import zlib
from typing import Any

NAP_TASK = "task_lab_nap"
FAILED_TASK = "dc179444-d53b-4997-9156-ec26a521031d"
DONE_TASK = "677dcc7a-8f59-44ee-90e0-987631d9a551"
TASKS_QUERY = [["filter", "isTask,true"], ["range", "0,20"], ["sort", "startedAt,desc"]]


def task_row(template: dict[str, Any], process_id: str, status: str, started_at: float) -> dict[str, Any]:
    """A task process as ``GET /processes/`` lists it: a recorded row of a workflow, made a task
    (``is_task``, target SYSTEM, no product, customer or subscription)."""
    row = copy.deepcopy(template)
    row.update(
        process_id=process_id,
        workflow_name=NAP_TASK,
        is_task=True,
        last_status=status,
        last_step="Nap" if status == "failed" else "Done",
        failed_reason="Nap interrupted" if status == "failed" else None,
        started_at=started_at,
        last_modified_at=started_at + 1.5,
        workflow_target="SYSTEM",
        product_id=None,
        customer_id=None,
        subscriptions=[],
    )
    return row


def task_rows(list_exchange: dict[str, Any]) -> list[dict[str, Any]]:
    """A failed task and a completed one, from the first row of a recorded runs list."""
    template = list_exchange["response"]["body"][0]
    started = float(template["started_at"])
    return [
        task_row(template, FAILED_TASK, "failed", started + 60),
        task_row(template, DONE_TASK, "completed", started + 30),
    ]


def runs_list_exchange(
    query: list[list[str]], rows: list[dict[str, Any]], template: dict[str, Any]
) -> dict[str, Any]:
    """``GET /processes/`` with ``query`` answering ``rows`` (headers as recorded)."""
    exchange = copy.deepcopy(template)
    exchange["request"]["query"] = [list(pair) for pair in query]
    exchange["request"].pop("if_none_match", None)
    start = int(dict(query).get("range", "0,0").split(",")[0])
    headers = exchange["response"]["headers"]
    headers["content-range"] = f"processes {start}-{start + len(rows)}/{len(rows)}"
    headers["etag"] = f'W/"0x{zlib.crc32(repr(query).encode()):08x}"'
    exchange["response"]["body"] = copy.deepcopy(rows)
    return exchange


def engine_exchanges(
    recorded: list[dict[str, Any]],
    *,
    global_status: str = "RUNNING",
    global_lock: bool = False,
    running: int = 0,
    task_counts: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The recorded ``/settings/status`` and ``/processes/status-counts`` pair, changed."""
    status, counts = copy.deepcopy(recorded)
    status["response"]["body"] = {
        "global_lock": global_lock, "global_status": global_status, "running_processes": running,
    }
    if task_counts is not None:
        counts["response"]["body"]["task_counts"] = dict(task_counts)
    return [status, counts]


def resume_all_exchange(recorded: list[dict[str, Any]], count: int) -> dict[str, Any]:
    """The recorded ``PUT /processes/resume-all``, answering ``count``."""
    exchange = copy.deepcopy(recorded[0])
    exchange["response"]["body"] = {"count": count}
    return exchange
