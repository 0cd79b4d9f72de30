"""Serve the demo orchestrator over HTTP with uvicorn."""

from __future__ import annotations


def serve(
    host: str = "127.0.0.1",
    port: int = 7099,
    seed_runs: int = 60,
    seed: int = 7,
    *,
    chaos: float = 0.0,
    chaos_seed: int = 7,
    hostile: bool = False,
) -> None:
    """Run the demo orchestrator until interrupted (blocking).

    The API is then at ``http://<host>:<port>/api/orchestrator``.  ``chaos`` is the share of API
    answers that get a fault (see :mod:`.chaos`); ``hostile`` fills every text with hostile strings.
    """
    import uvicorn

    from .app import create_app
    from .chaos import Chaos

    plan = Chaos(chaos, seed=chaos_seed) if chaos else None
    app = create_app(seed_runs=seed_runs, seed=seed, chaos=plan, hostile=hostile)
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":
    serve()
