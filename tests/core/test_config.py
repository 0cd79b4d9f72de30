from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from orch_tui.core.config import Overrides, resolve_context
from orch_tui.core.errors import ConfigError


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    os.chmod(path, mode)
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def test_no_config_means_demo(cfg: Path) -> None:
    ctx = resolve_context(environ={}, config_path=cfg)
    assert ctx.is_demo and ctx.name == "demo" and ctx.token is None and not ctx.config_loaded


def test_current_context_with_token_env(cfg: Path) -> None:
    write(cfg, """
current_context = "prod"
[contexts.prod]
url = "https://backstage.example.com"
token_env = "BS_TOKEN"
read_only = true
refresh_interval = 10
[contexts.dev]
url = "http://localhost:7007"
""")
    ctx = resolve_context(environ={"BS_TOKEN": "tok-123"}, config_path=cfg)
    assert ctx.name == "prod" and ctx.config.read_only and ctx.config.refresh_interval == 10
    assert ctx.token is not None and ctx.token.get_secret_value() == "tok-123"
    assert "tok-123" not in repr(ctx.describe()) and "tok-123" not in repr(ctx)
    dev = resolve_context(Overrides(context="dev"), environ={}, config_path=cfg)
    assert dev.config.url == "http://localhost:7007" and dev.token is None


def test_env_overrides_file_and_flags_override_env(cfg: Path) -> None:
    write(cfg, '[contexts.a]\nurl = "http://a"\n[contexts.b]\nurl = "http://b"\n')
    env = {"ORCH_TUI_CONTEXT": "a", "ORCH_TUI_READ_ONLY": "yes", "ORCH_TUI_REFRESH_INTERVAL": "2.5"}
    ctx = resolve_context(environ=env, config_path=cfg)
    assert ctx.name == "a" and ctx.config.read_only and ctx.config.refresh_interval == 2.5
    ctx = resolve_context(Overrides(context="b", refresh_interval=9), environ=env, config_path=cfg)
    assert ctx.name == "b" and ctx.config.refresh_interval == 9


def test_url_flag_without_config(cfg: Path) -> None:
    ctx = resolve_context(Overrides(url="http://127.0.0.1:7099", insecure=True), environ={}, config_path=cfg)
    assert ctx.config.kind == "backstage" and ctx.config.url == "http://127.0.0.1:7099"
    assert ctx.verify is False


def test_ca_bundle_and_verify(cfg: Path) -> None:
    write(cfg, '[contexts.a]\nurl = "https://a"\nca_bundle = "/etc/ca.pem"\n')
    ctx = resolve_context(Overrides(context="a"), environ={}, config_path=cfg)
    assert ctx.verify == "/etc/ca.pem"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_config_readable_by_others_is_refused(cfg: Path) -> None:
    write(cfg, '[contexts.a]\nurl = "http://a"\n', mode=0o644)
    with pytest.raises(ConfigError, match=r"accessible by group or others \(mode 0644\).*chmod 600"):
        resolve_context(environ={}, config_path=cfg)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_token_file(cfg: Path, tmp_path: Path) -> None:
    token = write(tmp_path / "tok", "file-token\n", mode=0o600)
    write(cfg, f'[contexts.a]\nurl = "http://a"\ntoken_file = "{token}"\n')
    ctx = resolve_context(environ={}, config_path=cfg)
    assert ctx.token is not None and ctx.token.get_secret_value() == "file-token"
    os.chmod(token, 0o640)
    with pytest.raises(ConfigError, match="(?i)token file"):
        resolve_context(environ={}, config_path=cfg)


def test_token_command_output_is_not_echoed_on_failure(cfg: Path, tmp_path: Path) -> None:
    script = write(tmp_path / "tok.sh", "#!/bin/sh\necho leaked-secret\nexit 3\n", mode=0o700)
    write(cfg, f'[contexts.a]\nurl = "http://a"\ntoken_command = "{script}"\n')
    with pytest.raises(ConfigError) as info:
        resolve_context(environ={}, config_path=cfg)
    assert "status 3" in str(info.value) and "leaked-secret" not in str(info.value)
    write(script, "#!/bin/sh\necho cmd-token\n", mode=0o700)
    ctx = resolve_context(environ={}, config_path=cfg)
    assert ctx.token is not None and ctx.token.get_secret_value() == "cmd-token"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("not = [valid", "not valid TOML"),
        ('[contexts.a]\nurl = "http://a"\nkind = "nope"\n', "contexts.a.kind"),
        ('[contexts.a]\nurl = "http://a"\ncolour = "red"\n', "colour"),
        ('current_context = "x"\n[contexts.a]\nurl = "http://a"\n', "current_context 'x'"),
        ("[contexts.a]\nread_only = true\n", "has no url"),
    ],
)
def test_bad_config_is_a_clear_error(cfg: Path, text: str, match: str) -> None:
    write(cfg, text)
    with pytest.raises(ConfigError, match=match):
        resolve_context(environ={}, config_path=cfg)


def test_unknown_context_names_the_known_ones(cfg: Path) -> None:
    write(cfg, '[contexts.prod]\nurl = "http://a"\n')
    with pytest.raises(ConfigError, match=r"No context named 'stage' \(configured: prod"):
        resolve_context(Overrides(context="stage"), environ={}, config_path=cfg)


def test_missing_token_env_is_clear(cfg: Path) -> None:
    write(cfg, '[contexts.a]\nurl = "http://a"\ntoken_env = "NOPE"\n')
    with pytest.raises(ConfigError, match=r"\$NOPE, which is not set"):
        resolve_context(environ={}, config_path=cfg)


def test_bad_env_values(cfg: Path) -> None:
    with pytest.raises(ConfigError, match="ORCH_TUI_READ_ONLY"):
        resolve_context(environ={"ORCH_TUI_READ_ONLY": "maybe"}, config_path=cfg)
    with pytest.raises(ConfigError, match="ORCH_TUI_REFRESH_INTERVAL"):
        resolve_context(environ={"ORCH_TUI_REFRESH_INTERVAL": "-1"}, config_path=cfg)


def test_config_path_env_override(tmp_path: Path) -> None:
    path = write(tmp_path / "other.toml", '[contexts.x]\nurl = "http://x"\ncurrent = 1\n'.replace("current = 1\n", ""))
    ctx = resolve_context(Overrides(context="x"), environ={"ORCH_TUI_CONFIG": str(path)})
    assert ctx.config_path == path and ctx.config.url == "http://x"


def test_theme_from_the_file_and_the_environment(cfg: Path) -> None:
    write(cfg, 'theme = "ansi-dark"\n[contexts.a]\nurl = "http://a"\n')
    assert resolve_context(environ={}, config_path=cfg).theme == "ansi-dark"
    assert resolve_context(environ={"ORCH_TUI_THEME": "nord"}, config_path=cfg).theme == "nord"
    assert resolve_context(environ={}, config_path=cfg.with_name("none.toml")).theme is None
