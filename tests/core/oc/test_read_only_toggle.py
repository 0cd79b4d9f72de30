"""CoreBackend turned read-only after it was built (the console's "Toggle read-only"), and back."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core import errors

from .conftest import request_of


async def test_set_read_only_refuses_then_sends_again(core: Any, rec: Any) -> None:
    backend, handler = core("runs/get_run_failed", "runs/retry_all_failed_tasks")
    assert not backend.info.read_only
    failed = request_of(rec, "runs/get_run_failed")["path"].rsplit("/", 1)[-1]
    backend.set_read_only(True)
    assert backend.info.read_only and backend.read_only
    for action in (
        lambda: backend.abort(failed),
        lambda: backend.retrigger("create_lab_node", failed),
        lambda: backend.delete_run(failed),
        lambda: backend.retry_all_failed_tasks(),
    ):
        with pytest.raises(errors.ReadOnly):
            await action()
    with pytest.raises(errors.ReadOnly):
        await backend._http.send("DELETE", f"/processes/{failed}", idempotent=False)
    assert not [sent for sent in handler.sent if sent["method"] not in ("GET",) and sent["path"] != "/graphql"]
    backend.set_read_only(False)
    assert not backend.info.read_only
    assert isinstance(await backend.retry_all_failed_tasks(), int)
