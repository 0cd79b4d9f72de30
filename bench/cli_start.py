"""How long `orch-tui --version`, `--help` and `workflows` (embedded demo) take, from a new process.

Run: python bench/cli_start.py [runs]

Each figure is the whole process (interpreter start to exit), best and median of ``runs``
(default 11), beside ``python -c pass`` for the interpreter alone.  Target: ``--help`` ≤ 0.15 s
(median).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

HELP_TARGET = 0.15


def measure(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory() as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "ORCH_TUI_CONFIG": os.path.join(home, "none.toml")}
        rows = [("python -c pass", measure([sys.executable, "-c", "pass"], runs, env))]
        for args in (["--version"], ["--help"], ["workflows"]):
            rows.append(("orch-tui " + " ".join(args), measure([sys.executable, "-m", "orch_tui", *args], runs, env)))
    print(f"{'command (whole process)':<28}{'best':>10}{'median':>10}")
    for label, times in rows:
        print(f"{label:<28}{min(times) * 1000:>8.0f}ms{statistics.median(times) * 1000:>8.0f}ms")
    help_median = statistics.median(dict(rows)["orch-tui --help"])
    verdict = "PASS" if help_median <= HELP_TARGET else "MISS"
    print(f"--help: {help_median:.3f} s (median)   target ≤ {HELP_TARGET} s   {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
