"""orch_tui.core (and the demo orchestrator) never import Textual or Rich; --help and --version neither."""

from __future__ import annotations

import json
import subprocess
import sys

CHECK = """
import json, sys, pkgutil, importlib
import orch_tui.core, orch_tui.demo
for mod in pkgutil.walk_packages(orch_tui.core.__path__, "orch_tui.core."):
    importlib.import_module(mod.name)
for mod in pkgutil.walk_packages(orch_tui.demo.__path__, "orch_tui.demo."):
    importlib.import_module(mod.name)
from orch_tui.core.connect import demo_backend
demo_backend(seed_runs=5)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))))
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_core_and_demo_do_not_import_textual_or_rich() -> None:
    done = _run(CHECK)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_help_and_version_do_not_import_textual() -> None:
    for flag in ("--help", "--version"):
        code = (
            "import sys\nfrom orch_tui.cli import main\n"
            f"try:\n    main([{flag!r}])\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
        )
        done = _run(code)
        assert done.returncode == 0, done.stderr
        assert "LOADED []" in done.stdout, done.stdout[-500:]
