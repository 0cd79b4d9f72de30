"""The key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class OrchFooter(Footer):
    """Textual's footer, except that a bindings refresh that changes nothing shown (a cursor
    move, a second refresh queued behind the first) leaves its keys mounted as they are.

    Textual's footer removes and mounts every key on each refresh, which costs a style pass over
    all of them: tens of milliseconds per refresh on a screen with many keys.  The keys it does
    mount are made with their final look (see :meth:`compose`).
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

    @property
    def keys_shown(self) -> bool:
        """The keys are mounted (the first build follows the screen's first frame)."""
        return self._shown is not None

    def compose(self) -> ComposeResult:
        # A key starts compact and is then bound to the footer's setting: each one mounted costs
        # two style passes where none is needed.  Set before mounting, the binding changes nothing.
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown_keys() if self._bindings_ready else None
        if shown is not None and shown == self._shown:
            return
        if shown is not None and self._shown is not None and self._update_in_place(shown):
            self._shown = shown
            return
        self._shown = shown
        await super().recompose()

    def _update_in_place(self, shown: Any) -> bool:
        """When the same keys are shown and only whether they are enabled (and their tooltips)
        changed, change just that on the keys mounted; False when the keys themselves changed."""
        keys, palette = shown
        old_keys, old_palette = self._shown

        def layout(entries: Any) -> Any:
            return [entry[:4] + entry[6:] for entry in entries]

        if layout(keys) != layout(old_keys) or (palette is None) != (old_palette is None):
            return False
        if palette is not None and palette[:2] != old_palette[:2]:
            return False
        if any(entry[6] is not None for entry in keys):
            return False  # grouped keys sit in their groups: those are built again
        widgets = [child for child in self.children if isinstance(child, FooterKey)]
        plain = [widget for widget in widgets if not widget.has_class("-command-palette")]
        if len(plain) != len(keys) or len(widgets) - len(plain) != (palette is not None):
            return False
        for widget, entry in zip(plain, keys):
            self._set_key_state(widget, enabled=entry[4], tooltip=entry[5])
        if palette is not None:
            self._set_key_state(widgets[-1], enabled=palette[2], tooltip=palette[3] or widgets[-1].description)
        return True

    @staticmethod
    def _set_key_state(widget: FooterKey, *, enabled: bool, tooltip: str | None) -> None:
        widget._disabled = not enabled
        widget.set_class(not enabled, "-disabled")
        widget.tooltip = tooltip or None
