"""Headless ``orch-tui run … --wait`` against a plain httpx script making the same calls.

Run: python bench/run_wait.py [runs]

A demo server (``orch-tui demo-server``, over HTTP on a free port) serves both.  Each sample is a
new process, timed from its start to its exit:

* ``orch-tui --url URL run greeting --set name=Ada --wait``: reads the input schema, builds and
  checks the input as the run form does, starts the run, then follows it (a first read, then one
  read per poll interval, 2 s by default) until it ends;
* a Python script that imports only httpx and makes the same calls in the same order: GET the
  input schema, POST execute, GET the run twice, then GET it every 2 s until it ends.

The samples alternate between the two.  Also shown: the same without ``--wait`` (reading the schema
and starting the run only), where the client's own start-up is all there is to compare.  Target:
``run --wait`` median within 1.3× the script's.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TARGET = 1.3

SCRIPT = """
import sys, time
import httpx

base, wait = sys.argv[1], sys.argv[2] == "wait"
api = base + "/api/orchestrator/v2/workflows"
with httpx.Client(timeout=15) as http:
    schema = http.get(api + "/greeting/inputSchema").raise_for_status().json()
    defaults = {key: spec["default"] for key, spec in schema["inputSchema"]["properties"].items() if "default" in spec}
    body = {"inputData": {**defaults, "name": "Ada"}}
    run_id = http.post(api + "/greeting/execute", json=body).raise_for_status().json()["id"]
    if not wait:
        print(run_id)
        raise SystemExit(0)
    http.get(api + "/instances/" + run_id).raise_for_status()
    while True:
        state = http.get(api + "/instances/" + run_id).raise_for_status().json()["state"]
        if state in ("COMPLETED", "ERROR", "ABORTED"):
            break
        time.sleep(2.0)
print(state)
raise SystemExit(0 if state == "COMPLETED" else 1)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(args, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:6])} … failed ({result.returncode}): {result.stderr.decode()[-1000:]}")
    return elapsed


def line(label: str, samples: list[float]) -> str:
    return f"{label:<44}{min(samples) * 1000:>8.0f} ms{statistics.median(samples) * 1000:>9.0f} ms"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "ORCH_TUI_CONFIG": os.path.join(home, "none.toml")}
        server = subprocess.Popen(
            [sys.executable, "-m", "orch_tui", "demo-server", "--port", str(port), "--seed-runs", "60"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the demo server did not start") from None
                    time.sleep(0.1)
            orch = [sys.executable, "-m", "orch_tui", "--url", url, "run", "greeting", "--set", "name=Ada"]
            plain = [sys.executable, "-c", SCRIPT, url]
            samples: dict[str, list[float]] = {"orch wait": [], "plain wait": [], "orch": [], "plain": []}
            timed(orch, env), timed(plain + ["start"], env)  # warm the file cache
            for _ in range(runs):
                samples["orch wait"].append(timed(orch + ["--wait"], env))
                samples["plain wait"].append(timed(plain + ["wait"], env))
                samples["orch"].append(timed(orch, env))
                samples["plain"].append(timed(plain + ["start"], env))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"against orch-tui demo-server on a port; {runs} runs each, alternating; whole process")
    print(f"{'':<44}{'best':>11}{'median':>12}")
    print(line("orch-tui run greeting --wait", samples["orch wait"]))
    print(line("plain httpx script, same calls, waiting", samples["plain wait"]))
    print(line("orch-tui run greeting (start only)", samples["orch"]))
    print(line("plain httpx script, start only", samples["plain"]))
    ratio = statistics.median(samples["orch wait"]) / statistics.median(samples["plain wait"])
    start_ratio = statistics.median(samples["orch"]) / statistics.median(samples["plain"])
    print(f"start only: {start_ratio:.2f}× the script (no target: the client's start-up alone)")
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(f"run --wait: {ratio:.2f}× the script (median)   target ≤ {TARGET}×   {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
