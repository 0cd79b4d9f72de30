"""The key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class OrchFooter(Footer):
    """Textual's footer, except that a bindings refresh that changes nothing shown (a cursor
    move, a second refresh queued behind the first) leaves its keys mounted as they are.

    Textual's footer removes and mounts every key on each refresh, which costs a style pass over
    all of them: tens of milliseconds per refresh on a screen with many keys.
    """

    _shown: Any = None

    def shown_keys(self) -> Any:
        """What the footer would show: each shown binding with its state, and the palette key."""
        app = self.app
        active = self.screen.active_bindings
        keys = tuple(
            (
                binding.key, binding.action, binding.description, app.get_key_display(binding),
                enabled, tooltip, id(binding.group) if binding.group is not None else None,
            )
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(app.COMMAND_PALETTE_BINDING) if self.show_command_palette else None
        if palette is not None and app.ENABLE_COMMAND_PALETTE:
            _node, binding, enabled, tooltip = palette
            return keys, (binding.key, app.get_key_display(binding), enabled, tooltip)
        return keys, None

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown_keys() if self._bindings_ready else None
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
