"""``orch-tui debug-info``: versions, terminal, config and log paths, and never a token."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orch_tui.cli import main


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("ORCH_TUI_"):
            monkeypatch.delenv(key)
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("ORCH_TUI_CONFIG", str(cfg))
    return cfg


def test_debug_info_never_prints_the_token(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated.write_text(
        'current_context = "prod"\n[contexts.prod]\nurl = "https://bs.example.com"\ntoken_env = "PROD_TOKEN"\n'
        '[keymap]\n"runs.find" = "ctrl+f"\n',
        encoding="utf-8",
    )
    isolated.chmod(0o600)
    monkeypatch.setenv("PROD_TOKEN", "s3cr3t-token-value")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert main(["debug-info"]) == 0
    out = capsys.readouterr().out
    assert "s3cr3t" not in out
    assert "token" in out and "set" in out
    for expected in ("orch-tui", "python", "textual", "httpx", "xterm-256color", str(isolated), "prod (backstage)",
                     "https://bs.example.com", "orch-tui.log", "keymap overrides      1"):
        assert expected in out, expected


def test_debug_info_with_a_broken_config_still_answers(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated.write_text("not toml [", encoding="utf-8")
    isolated.chmod(0o600)
    assert main(["debug-info"]) == 0
    out = capsys.readouterr().out
    assert "not resolved" in out and "log file" in out


def test_console_flags_parse() -> None:
    from orch_tui.cli import build_parser

    args = build_parser().parse_args(["--no-mouse", "--ascii"])
    assert args.no_mouse and args.ascii


def test_serve_without_textual_serve_says_how_to_install(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "textual_serve", None)  # not installed
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'orch-tui[serve]'" in err


def test_serve_forwards_the_connection_options() -> None:
    import sys

    from orch_tui.cli import build_parser, serve_command

    args = build_parser().parse_args(["serve", "--context", "prod", "--readonly", "--ascii", "--port", "9000"])
    assert serve_command(args) == [sys.executable, "-m", "orch_tui", "--context", "prod", "--readonly", "--ascii"]
