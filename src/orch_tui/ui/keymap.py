"""Every key of the console, by where it applies: for the help screen and ``docs/keybindings.md``.

Each binding has an ``id``; a config file's ``[keymap]`` table rebinds keys by these ids.
``python scripts/keybindings.py`` writes the document; a test keeps it in step with the code.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.keys import format_key

KeySection = tuple[str, list[BindingType]]

PALETTE_BINDING = Binding("ctrl+p", "command_palette", "Command palette", id="app.command-palette")


def key_sections() -> list[KeySection]:
    """Every screen's and dialog's keys, grouped by where they apply."""
    from orch_tui.ui.app import OrchApp
    from orch_tui.ui.screens.api_log import ApiLogScreen
    from orch_tui.ui.screens.command_line import CommandLine
    from orch_tui.ui.screens.entity_detail import EntityDetailScreen, WorkflowChoices
    from orch_tui.ui.screens.entity_picker import EntityPickerScreen
    from orch_tui.ui.screens.execute import ExecuteScreen
    from orch_tui.ui.screens.help import HelpScreen
    from orch_tui.ui.screens.run_detail import RunDetailScreen
    from orch_tui.ui.screens.runs import RunListScreen
    from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
    from orch_tui.ui.screens.workflows import WorkflowListScreen
    from orch_tui.ui.widgets.confirm import ConfirmDialog
    from orch_tui.ui.widgets.failure import PermissionDialog
    from orch_tui.ui.widgets.run_filters import RunFilterDialog
    from orch_tui.ui.widgets.run_results import LinkTable, NextWorkflowTable
    from orch_tui.ui.widgets.run_table import RunTable
    from orch_tui.ui.widgets.value_viewer import ValueViewer
    from orch_tui.ui.widgets.workflow_table import WorkflowTable

    return [
        ("Everywhere", [*OrchApp.BINDINGS, PALETTE_BINDING]),
        ("Workflow list", [*WorkflowTable.BINDINGS, *WorkflowListScreen.BINDINGS]),
        ("Workflow detail", list(WorkflowDetailScreen.BINDINGS)),
        ("Run form", list(ExecuteScreen.BINDINGS)),
        ("Runs", [*RunTable.BINDINGS, *RunListScreen.BINDINGS]),
        ("Run filters", list(RunFilterDialog.BINDINGS)),
        ("Run detail", [*RunDetailScreen.BINDINGS, *LinkTable.BINDINGS, *NextWorkflowTable.BINDINGS]),
        ("Confirmation", list(ConfirmDialog.BINDINGS)),
        ("Help", list(HelpScreen.BINDINGS)),
        ("API log", list(ApiLogScreen.BINDINGS)),
        ("Command line", list(CommandLine.BINDINGS)),
        ("Entity picker", list(EntityPickerScreen.BINDINGS)),
        ("Entity detail", [*WorkflowChoices.BINDINGS, *EntityDetailScreen.BINDINGS]),
        ("Permission refused", list(PermissionDialog.BINDINGS)),
        ("Value viewer", list(ValueViewer.BINDINGS)),
    ]


def known_binding_ids() -> set[str]:
    """Every binding id a ``[keymap]`` entry may name."""
    return {
        binding.id
        for _title, bindings in key_sections()
        for binding in Binding.make_bindings(bindings)
        if binding.id
    }


def split_keymap(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries naming a known binding id (keys stripped), and the unknown ids, sorted."""
    known = known_binding_ids()
    valid: dict[str, str] = {}
    unknown: list[str] = []
    for binding_id, keys in keymap.items():
        cleaned = ",".join(key.strip() for key in str(keys).split(",") if key.strip())
        if binding_id in known and cleaned:
            valid[binding_id] = cleaned
        else:
            unknown.append(binding_id)
    return valid, sorted(unknown)


def described(bindings: list[BindingType]) -> list[Binding]:
    """Bindings that carry a description, one per action and key."""
    seen: set[tuple[str, str]] = set()
    result: list[Binding] = []
    for binding in Binding.make_bindings(bindings):
        if not binding.description or (binding.action, binding.key) in seen:
            continue
        seen.add((binding.action, binding.key))
        result.append(binding)
    return result


def keybindings_markdown() -> str:
    """``docs/keybindings.md``: a table per section, key, what it does, and the id to rebind it."""
    lines = [
        "# Keys",
        "",
        "Generated from the code by `python scripts/keybindings.py`; a test fails when it is out of date.",
        "Keys marked *(hidden)* work but are not shown in the footer. To rebind a key, put its id in the",
        "config file's `[keymap]` table, e.g. `\"runs.find\" = \"ctrl+f\"` (several keys: `\"f,ctrl+f\"`);",
        "the new keys replace the default ones. An id that is not in these tables is ignored with a warning",
        "(on screen and in the log), and `?` help shows the keys in force.",
    ]
    for title, bindings in key_sections():
        rows = described(bindings)
        if not rows:
            continue
        lines += ["", f"## {title}", "", "| Key | Action | Id |", "| --- | --- | --- |"]
        for binding in rows:
            key = format_key(binding.key).replace("|", "\\|")
            what = binding.description + ("" if binding.show else " *(hidden)*")
            lines.append(f"| `{key}` | {what} | {f'`{binding.id}`' if binding.id else '—'} |")
    return "\n".join(lines) + "\n"
