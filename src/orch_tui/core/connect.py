"""Build the backend adapter a resolved context asks for."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from orch_tui.core.backend import Backend
from orch_tui.core.config import ResolvedContext
from orch_tui.core.errors import ConfigError

DEMO_BASE_URL = "http://demo.orch-tui.invalid"


def demo_backend(
    *,
    seed_runs: int = 60,
    clock: Callable[[], datetime] | None = None,
    user: str | None = None,
    read_only: bool = False,
    **app_options: object,
) -> Backend:
    """The embedded demo orchestrator, in process, behind the real Backstage adapter.

    ``user`` (admin, developer, viewer) calls it as that demo user, with that user's rights;
    without one every call may do everything.
    """
    import httpx

    from orch_tui.core.backstage import BackstageBackend
    from orch_tui.demo import create_app

    app = create_app(seed_runs=seed_runs, clock=clock, **app_options)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    label = f"embedded demo as {user}" if user else "embedded demo"
    return BackstageBackend(
        DEMO_BASE_URL,
        transport=transport,
        token=f"demo-{user}" if user else None,
        label=label,
        demo=True,
        retries=0,
        read_only=read_only,
    )


def make_backend(context: ResolvedContext) -> Backend:
    cfg = context.config
    if cfg.kind == "demo":
        return demo_backend(user=cfg.demo_user, read_only=cfg.read_only)
    options: dict[str, Any] = {
        "token": context.token.get_secret_value() if context.token is not None else None,
        "verify": context.verify,
        "timeout": cfg.timeout,
        "label": cfg.name if cfg.name != "url" else None,
        "read_only": cfg.read_only,
    }
    if cfg.kind == "backstage":
        from orch_tui.core.backstage import BackstageBackend

        assert cfg.url is not None
        return BackstageBackend(cfg.url, **options)
    if cfg.kind == "core":
        from orch_tui.core.orchestrator_core import CoreBackend

        assert cfg.url is not None
        return CoreBackend(cfg.url, **options)
    raise ConfigError(f"Context {cfg.name!r}: backend kind {cfg.kind!r} is not supported by this version.")
