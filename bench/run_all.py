"""Run every benchmark in turn, print their figures, then each target's verdict in one list.

    python bench/run_all.py

Each script can also be run on its own (see its docstring); timings vary with the machine's load,
so every script repeats its measurements and prints medians.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "cli_start.py",
    "tui_start.py",
    "form_build.py",
    "fuzz_timing.py",
    "demo_seed.py",
    "runs_monitor.py",
    "run_wait.py",
]


def main() -> int:
    failed = []
    verdicts = []
    for name in SCRIPTS:
        print(f"\n=== {name}", flush=True)
        process = subprocess.Popen([sys.executable, str(HERE / name)], stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.rstrip().endswith(("PASS", "MISS")):
                verdicts.append(f"{name}: {line.strip()}")
        if process.wait() != 0:
            failed.append(name)
    print("\n=== targets")
    for verdict in verdicts:
        print(verdict)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
