"""Serve the demo orchestrator over HTTP with uvicorn."""

from __future__ import annotations


def serve(host: str = "127.0.0.1", port: int = 7099, seed_runs: int = 60, seed: int = 7) -> None:
    """Run the demo orchestrator until interrupted (blocking).

    The API is then at ``http://<host>:<port>/api/orchestrator``.
    """
    import uvicorn

    from .app import create_app

    uvicorn.run(create_app(seed_runs=seed_runs, seed=seed), host=host, port=port, log_level="warning")


if __name__ == "__main__":
    serve()
