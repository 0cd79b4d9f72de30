"""Print how long `orch-tui --help`, `--version` and `workflows` (embedded demo) take.

Run: python bench/cli_start.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def measure(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "orch_tui", *args], capture_output=True, check=True,
                       env={"ORCH_TUI_CONFIG": "/nonexistent/orch-tui.toml", "PATH": "/usr/bin:/bin"})
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    baseline = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - started)
    print(f"{'command':<28}{'best':>10}{'median':>10}")
    print(f"{'python -c pass':<28}{min(baseline) * 1000:>8.0f}ms{statistics.median(baseline) * 1000:>8.0f}ms")
    for args in (["--version"], ["--help"], ["workflows"]):
        times = measure(args, runs)
        label = "orch-tui " + " ".join(args)
        print(f"{label:<28}{min(times) * 1000:>8.0f}ms{statistics.median(times) * 1000:>8.0f}ms")


if __name__ == "__main__":
    main()
