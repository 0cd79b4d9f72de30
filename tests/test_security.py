"""Secrets stay secret and connections stay verified, whatever goes wrong."""

from __future__ import annotations

import logging
import os
import ssl
import stat
from pathlib import Path

import httpx
import pytest

from orch_tui.cli import main
from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.http import RequestRecord

TOKEN = "s3cr3t-token-value"


def echoing(request: httpx.Request) -> httpx.Response:
    """A hostile or buggy backend that echoes the request's headers in its error."""
    return httpx.Response(
        401, json={"error": {"name": "AuthenticationError", "message": f"bad header {request.headers['authorization']}"}}
    )


async def test_token_never_reaches_logs_api_log_or_messages(caplog: pytest.LogCaptureFixture) -> None:
    records: list[RequestRecord] = []
    backend = BackstageBackend("https://bs.test", token=TOKEN, transport=httpx.MockTransport(echoing), retries=0)
    backend.add_listener(records.append)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(errors.Unauthorized) as caught:
        await backend.list_workflows()
    assert records and all(TOKEN not in repr(record) for record in records)
    assert TOKEN not in caplog.text
    assert TOKEN not in str(caught.value) and TOKEN not in (caught.value.detail or "")


def test_tls_is_verified_unless_insecure_is_asked_for() -> None:
    verified = BackstageBackend("https://bs.test")
    context = verified._client._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    insecure = BackstageBackend("https://bs.test", verify=False)
    context = insecure._client._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_NONE


def test_tokens_are_never_taken_as_command_line_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "--token-env" in text
    assert "--token " not in text and "--token=" not in text, "a token in argv would show in ps"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_token_files_readable_by_others_are_refused(tmp_path: Path, mode: int, capsys: pytest.CaptureFixture[str]) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    token_file.chmod(mode)
    config = tmp_path / "config.toml"
    config.write_text(f'[contexts.prod]\nurl = "https://bs.test"\ntoken_file = "{token_file}"\n')
    config.chmod(stat.S_IRUSR | stat.S_IWUSR)
    env = {**os.environ, "ORCH_TUI_CONFIG": str(config)}
    old = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)
    try:
        assert main(["workflows"]) == 2
    finally:
        os.environ.clear()
        os.environ.update(old)
    err = capsys.readouterr().err
    assert "token" in err.lower() and TOKEN not in err


async def test_the_orchestrator_core_adapter_redacts_an_echoed_token_too() -> None:
    from orch_tui.core.orchestrator_core import CoreBackend

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"detail": f"refused {request.headers['authorization']}"})

    backend = CoreBackend("https://oc.test", token=TOKEN, transport=httpx.MockTransport(echo), retries=0)
    with pytest.raises(errors.OrchError) as caught:
        await backend.get_run("7d3c5b6e-0000-4000-8000-000000000000")
    assert TOKEN not in str(caught.value) and TOKEN not in (caught.value.detail or "")
