"""UI-free core: models, the backend protocol and its adapters, configuration.

Nothing under this package imports Textual or Rich.
"""

from __future__ import annotations

import sys
import types


def _keep_httpx_cli_out() -> None:
    """httpx loads its optional command-line client, and with it Rich, whenever click is
    installed.  The core never uses that client, so a placeholder stands in for it and
    importing httpx here stays free of Rich (and about 0.1 s faster)."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    placeholder = types.ModuleType("httpx._main")

    def main() -> None:
        raise SystemExit("the httpx command-line client is not available inside orch-tui")

    placeholder.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = placeholder


_keep_httpx_cli_out()
