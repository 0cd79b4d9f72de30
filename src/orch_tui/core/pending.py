"""A backend that is still being built: it stands in for it until it is there.

While the console shows its start snapshot, the real backend (its configuration read and checked,
its adapter and HTTP client made, the embedded demo built) is made in a thread.  Until then the
console talks to a :class:`PendingBackend`: it has the snapshot's :class:`BackendInfo`, and each
call of the :class:`~orch_tui.core.backend.Backend` protocol waits for the real backend and then
goes to it.  When the backend could not be made, every waiting call raises why.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from orch_tui.core.backend import Backend, BackendInfo
from orch_tui.core.errors import OrchError


class NotConnected(OrchError):
    """The backend is not there yet (a synchronous call made before it was built)."""


class PendingBackend:
    """Stands in for a backend while it is built; see the module's description."""

    def __init__(self, info: BackendInfo) -> None:
        self.info = info
        self._backend: Backend | None = None
        self._error: BaseException | None = None
        self._done = asyncio.Event()
        self._listeners: list[Callable[[Any], None]] = []
        self._read_only: bool | None = None

    @property
    def backend(self) -> Backend | None:
        """The real backend, once it is there."""
        return self._backend

    @property
    def settled(self) -> bool:
        return self._done.is_set()

    def resolve(self, backend: Backend) -> None:
        """The backend is there: what was asked of this one is passed on, the waiting calls go on."""
        add_listener = getattr(backend, "add_listener", None)
        if callable(add_listener):
            for listener in self._listeners:
                add_listener(listener)
        if self._read_only is not None:
            backend.set_read_only(self._read_only)
        self._backend = backend
        self.info = backend.info
        self._done.set()

    def fail(self, error: BaseException) -> None:
        """The backend could not be made: the waiting calls, and every later one, raise ``error``."""
        self._error = error
        self._done.set()

    async def wait(self) -> Backend:
        await self._done.wait()
        if self._backend is None:
            assert self._error is not None
            raise self._error
        return self._backend

    # -- the synchronous part of the protocol ------------------------------------------------

    def add_listener(self, listener: Callable[[Any], None]) -> None:
        if self._backend is not None:
            getattr(self._backend, "add_listener", lambda _listener: None)(listener)
        else:
            self._listeners.append(listener)

    def set_read_only(self, read_only: bool) -> None:
        if self._backend is not None:
            self._backend.set_read_only(read_only)
        else:
            self._read_only = read_only

    def events(self) -> Any:
        """No change hints before the backend is there (the console polls until then)."""
        return None if self._backend is None else self._backend.events()

    def form_environment(self) -> Any:
        if self._backend is None:
            raise NotConnected("Not connected to the backend yet.")
        return self._backend.form_environment()

    async def aclose(self) -> None:
        if self._backend is not None:
            await self._backend.aclose()

    # -- every asynchronous call of the protocol waits ---------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        backend = self.__dict__.get("_backend")
        if backend is not None:
            return getattr(backend, name)
        if not inspect.iscoroutinefunction(getattr(Backend, name, None)):
            raise AttributeError(name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            real = await self.wait()
            return await getattr(real, name)(*args, **kwargs)

        call.__name__ = name
        return call
