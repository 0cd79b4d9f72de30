"""Run every benchmark in turn and print their figures: ``python bench/run_all.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["cli_start.py", "tui_start.py", "form_build.py", "fuzz_timing.py", "demo_seed.py", "runs_monitor.py"]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
