"""Configuration: contexts in a TOML file, environment overrides, CLI flags.

The file lives in the platformdirs config directory (``orch-tui config path``)::

    current_context = "prod"

    [contexts.prod]
    kind = "backstage"                 # or "core" (orchestrator-core)
    url = "https://backstage.example.com"
    token_env = "BACKSTAGE_TOKEN"      # or token_file = "...", token_command = "..."
    ca_bundle = "/etc/ssl/corp-ca.pem" # or verify = false
    read_only = true
    refresh_interval = 5

    theme = "ansi-dark"                # the console's colours; ansi-* follow the terminal's palette

    [keymap]                           # the console's keys, by binding id (docs/keybindings.md)
    "runs.find" = "ctrl+f"

    [contexts.demo-viewer]
    kind = "demo"
    demo_user = "viewer"               # the embedded demo as one of its users

Precedence, lowest first: the file, ``ORCH_TUI_*`` environment variables,
command-line flags.  A config or token file that group or others may read is
refused, as ssh refuses such keys.  Tokens are held as ``SecretStr`` and are
never printed or logged.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from orch_tui.core.errors import ConfigError
from orch_tui.core.state import ENV_PREFIX, default_config_path

DEMO_CONTEXT = "demo"
DEFAULT_REFRESH = 5.0
DEMO_USERS = ("admin", "developer", "viewer")
"""The demo orchestrator's named users; each one's bearer token is ``demo-<name>``."""


def demo_user_name(value: str | None) -> str | None:
    """A demo user's name, lower-cased; ValueError naming the users for an unknown one."""
    if value is None or not value.strip():
        return None
    name = value.strip().lower()
    if name not in DEMO_USERS:
        raise ValueError(f"unknown demo user {value!r} (one of: {', '.join(DEMO_USERS)})")
    return name


class ContextConfig(BaseModel):
    """One named backend connection."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    kind: Literal["backstage", "core", "demo"] = "backstage"
    url: str | None = None
    token_env: str | None = None
    token_file: str | None = None
    token_command: str | None = None
    ca_bundle: str | None = None
    verify: bool = True
    read_only: bool = False
    refresh_interval: float = Field(default=DEFAULT_REFRESH, gt=0)
    timeout: float = Field(default=15.0, gt=0)
    auth_token_env: dict[str, str] = Field(default_factory=dict)
    """Provider tokens for workflows that ask for them (AuthRequester): provider → env var."""
    demo_user: str | None = None
    """A demo orchestrator user (admin, developer, viewer): sent as that user's token."""

    @field_validator("url")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("demo_user")
    @classmethod
    def _known_demo_user(cls, value: str | None) -> str | None:
        return demo_user_name(value)


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_context: str | None = None
    contexts: dict[str, ContextConfig] = Field(default_factory=dict)
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key overrides for the console: binding id (``runs.find``) → keys (``"ctrl+f"``, ``"f,ctrl+f"``)."""
    theme: str | None = None
    """The console's colour theme (``ansi-dark`` follows the terminal's own colours)."""


@dataclass
class Overrides:
    """What the command line asked for; ``None`` means not given."""

    context: str | None = None
    url: str | None = None
    token_env: str | None = None
    insecure: bool = False
    ca_bundle: str | None = None
    read_only: bool | None = None
    refresh_interval: float | None = None
    demo_user: str | None = None


@dataclass
class ResolvedContext:
    """A context ready to connect: where the settings came from, and the token."""

    config: ContextConfig
    token: SecretStr | None
    config_path: Path
    config_loaded: bool
    sources: list[str]
    provider_tokens: dict[str, SecretStr] = field(default_factory=dict)
    """Tokens per provider (``github``, ``gitlab`` …) sent as ``authTokens`` when a workflow asks."""
    keymap: dict[str, str] = field(default_factory=dict)
    """The config file's ``[keymap]``: binding id → keys, applied by the console."""
    context_names: list[str] = field(default_factory=list)
    """Every context the config file defines (for ``:ctx`` and ``debug-info``)."""
    theme: str | None = None
    """The config file's ``theme``, unless ``ORCH_TUI_THEME`` names another."""

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def is_demo(self) -> bool:
        return self.config.kind == "demo"

    @property
    def verify(self) -> bool | str:
        if not self.config.verify:
            return False
        return self.config.ca_bundle or True

    def describe(self) -> dict[str, Any]:
        """Everything about the context that is safe to print (no token)."""
        data = self.config.model_dump(exclude_none=True)
        data["token"] = "set (hidden)" if self.token is not None else "none"
        if self.config.auth_token_env:
            data["auth_tokens"] = {
                provider: "set (hidden)" if provider in self.provider_tokens else f"${var} not set"
                for provider, var in self.config.auth_token_env.items()
            }
        return data


def check_private(path: Path, what: str) -> None:
    """Refuse a secret-bearing file that group or others can read or write."""
    if os.name != "posix":
        return
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"Cannot read {what} {path}: {exc.strerror or exc}") from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{what.capitalize()} {path} is accessible by group or others "
            f"(mode {stat.S_IMODE(mode):04o}); it may hold secrets, so it is ignored. "
            f"Run: chmod 600 {shlex.quote(str(path))}"
        )


def load_config_file(path: Path) -> ConfigFile:
    """Read the TOML config file; a missing file is an empty config."""
    if not path.exists():
        return ConfigFile()
    check_private(path, "config file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    try:
        parsed = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise ConfigError(f"{path}: {problems}") from exc
    for name, ctx in parsed.contexts.items():
        ctx.name = name
    if parsed.current_context and parsed.current_context not in parsed.contexts:
        raise ConfigError(
            f"{path}: current_context {parsed.current_context!r} is not one of the contexts "
            f"({', '.join(sorted(parsed.contexts)) or 'none defined'})."
        )
    return parsed


def _env_bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}.")


def _env_float(value: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}.") from None
    if number <= 0:
        raise ConfigError(f"{name} must be greater than 0.")
    return number


def resolve_context(
    overrides: Overrides | None = None,
    *,
    environ: dict[str, str] | None = None,
    config_path: Path | None = None,
) -> ResolvedContext:
    """Pick the context to use and read its token."""
    env = dict(os.environ if environ is None else environ)
    overrides = overrides or Overrides()
    path = config_path or default_config_path(env)
    loaded = path.exists()
    file = load_config_file(path)
    sources: list[str] = [str(path)] if loaded else []

    name = overrides.context or env.get(ENV_PREFIX + "CONTEXT") or file.current_context
    url = overrides.url or env.get(ENV_PREFIX + "URL")
    if not name and not url and file.contexts:
        if len(file.contexts) > 1:
            raise ConfigError(
                f"{path} defines several contexts ({', '.join(sorted(file.contexts))}) and no "
                "current_context: set one there or pass --context NAME."
            )
        name = next(iter(file.contexts))
    if name:
        if name == DEMO_CONTEXT and name not in file.contexts:
            ctx = ContextConfig(name=DEMO_CONTEXT, kind="demo")
        elif name not in file.contexts:
            known = ", ".join(sorted(file.contexts)) or "none"
            raise ConfigError(f"No context named {name!r} (configured: {known}; '{DEMO_CONTEXT}' is built in).")
        else:
            ctx = file.contexts[name].model_copy()
    elif url:
        ctx = ContextConfig(name="url", kind="backstage")
    else:
        ctx = ContextConfig(name=DEMO_CONTEXT, kind="demo")

    update: dict[str, Any] = {}
    if url:
        update["url"] = url
        if ctx.kind == "demo":
            update["kind"] = "backstage"
        sources.append("--url" if overrides.url else ENV_PREFIX + "URL")
    token_env = overrides.token_env or env.get(ENV_PREFIX + "TOKEN_ENV")
    if token_env:
        update.update(token_env=token_env, token_file=None, token_command=None)
    ca = overrides.ca_bundle or env.get(ENV_PREFIX + "CA_BUNDLE")
    if ca:
        update["ca_bundle"] = ca
    insecure = overrides.insecure or _env_bool(env.get(ENV_PREFIX + "INSECURE", ""), ENV_PREFIX + "INSECURE")
    if insecure:
        update["verify"] = False
    if overrides.read_only is not None:
        update["read_only"] = overrides.read_only
    elif ENV_PREFIX + "READ_ONLY" in env:
        update["read_only"] = _env_bool(env[ENV_PREFIX + "READ_ONLY"], ENV_PREFIX + "READ_ONLY")
    demo_user = overrides.demo_user or env.get(ENV_PREFIX + "DEMO_USER")
    if demo_user:
        try:
            update["demo_user"] = demo_user_name(demo_user)
        except ValueError as exc:
            source = "--demo-user" if overrides.demo_user else ENV_PREFIX + "DEMO_USER"
            raise ConfigError(f"{source}: {exc}") from None
    if overrides.refresh_interval is not None:
        update["refresh_interval"] = overrides.refresh_interval
    elif ENV_PREFIX + "REFRESH_INTERVAL" in env:
        update["refresh_interval"] = _env_float(
            env[ENV_PREFIX + "REFRESH_INTERVAL"], ENV_PREFIX + "REFRESH_INTERVAL"
        )
    if update:
        ctx = ctx.model_copy(update=update)

    if ctx.kind != "demo" and not ctx.url:
        raise ConfigError(f"Context {ctx.name!r} has no url.")
    if ctx.demo_user is not None:
        token: SecretStr | None = SecretStr(f"demo-{ctx.demo_user}")
        own_token = ctx.token_env or ctx.token_file or ctx.token_command or env.get(ENV_PREFIX + "TOKEN")
        if ctx.kind != "demo" and own_token:
            raise ConfigError(
                f"Context {ctx.name!r}: a demo user and a token are both set; the demo user is sent as its token."
            )
    else:
        token = None if ctx.kind == "demo" else read_token(ctx, env)
    provider_tokens = {
        provider: SecretStr(env[var].strip())
        for provider, var in ctx.auth_token_env.items()
        if env.get(var, "").strip()
    }
    return ResolvedContext(
        config=ctx, token=token, config_path=path, config_loaded=loaded, sources=sources,
        provider_tokens=provider_tokens, keymap=dict(file.keymap), context_names=sorted(file.contexts),
        theme=env.get(ENV_PREFIX + "THEME", "").strip() or file.theme,
    )


def read_token(ctx: ContextConfig, env: dict[str, str]) -> SecretStr | None:
    """The context's bearer token from ORCH_TUI_TOKEN, an env var, a file or a command."""
    direct = env.get(ENV_PREFIX + "TOKEN")
    if direct:
        return SecretStr(direct.strip())
    if ctx.token_env:
        value = env.get(ctx.token_env)
        if not value:
            raise ConfigError(f"Context {ctx.name!r} reads its token from ${ctx.token_env}, which is not set.")
        return SecretStr(value.strip())
    if ctx.token_file:
        path = Path(ctx.token_file).expanduser()
        check_private(path, "token file")
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"Cannot read token file {path}: {exc.strerror or exc}") from exc
        if not value:
            raise ConfigError(f"Token file {path} is empty.")
        return SecretStr(value)
    if ctx.token_command:
        return SecretStr(_run_token_command(ctx))
    return None


def _run_token_command(ctx: ContextConfig) -> str:
    assert ctx.token_command
    try:
        argv = shlex.split(ctx.token_command)
    except ValueError as exc:
        raise ConfigError(f"Context {ctx.name!r}: cannot parse token_command: {exc}") from exc
    if not argv:
        raise ConfigError(f"Context {ctx.name!r}: token_command is empty.")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"Context {ctx.name!r}: token_command {argv[0]!r} failed to run: {exc}") from exc
    if done.returncode != 0:
        # The command's output may contain the secret: report only the exit status.
        raise ConfigError(
            f"Context {ctx.name!r}: token_command {argv[0]!r} exited with status {done.returncode}."
        )
    value = done.stdout.strip()
    if not value:
        raise ConfigError(f"Context {ctx.name!r}: token_command {argv[0]!r} printed nothing.")
    return value


def list_contexts(config_path: Path | None = None) -> tuple[ConfigFile, Path]:
    path = config_path or default_config_path()
    return load_config_file(path), path


def context_choices(config_path: Path | None = None) -> list[str]:
    """The contexts a console can switch to: the config file's (sorted), then the built-in demo
    unless the file defines a context of that name; ConfigError when the file cannot be read."""
    file, _path = list_contexts(config_path)
    names = sorted(file.contexts)
    if DEMO_CONTEXT not in file.contexts:
        names.append(DEMO_CONTEXT)
    return names
