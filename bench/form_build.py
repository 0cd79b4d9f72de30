"""Timing figures for the run form: the form model, and the form on screen.

Run with ``python bench/form_build.py``.  Prints the time to build the model for the largest demo
input schema and for a generated schema of 300 fields (15 steps of 20), the cost of a
keystroke-like ``set()`` on a leaf (no structure change) and of one that flips a condition, how
fast malformed schemas fail (the model's error, and the run form's error panel on screen), and
the run form on screen (headless, 120×40): from opening it to its first step painted
with a key typed into the first field and shown, for the 300-field schema and, as a stress case,
for 300 fields on a single step.  A step that long shows its first screenful at once and mounts
the rest in batches after the first paint: for it the script also prints the time until every
field is there and the longest event-loop stall meanwhile (a 10 ms ticker's lateness), with the
longest garbage collection among them, then the longest stall while paging down the whole step
(page-down keys 0.15 s apart, each page showing fields laid out for the first time).

Targets: the 300-field form (model build, and the run form on screen, in 15 steps and on one
step) ≤ 1 s; no event-loop stall over 100 ms while a long step's fields are being added, nor
while paging through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from frames import Frames

from orch_tui.core.forms import FormModel, SchemaError
from orch_tui.demo.catalog import DEFAULT_WORKFLOWS

REPEATS = 20

PAGE_PAUSE = 0.15
"""Seconds between two page-down keys while paging through a long step."""


def generated_schema(sections: int = 15, per_section: int = 20) -> dict[str, Any]:
    """A multi-step schema with ``sections * per_section`` fields of every common kind."""
    properties: dict[str, Any] = {}
    for s in range(sections):
        fields: dict[str, Any] = {}
        for f in range(per_section):
            name = f"field{f}"
            kind = f % 10
            if kind == 0:
                fields[name] = {"type": "string", "title": f"Text {f}", "minLength": 1, "maxLength": 80}
            elif kind == 1:
                fields[name] = {"type": "string", "format": "email", "title": f"E-mail {f}"}
            elif kind == 2:
                fields[name] = {"type": "integer", "minimum": 0, "maximum": 100, "default": 5}
            elif kind == 3:
                fields[name] = {"type": "boolean", "default": False}
            elif kind == 4:
                fields[name] = {"type": "string", "enum": ["one", "two", "three"], "default": "one"}
            elif kind == 5:
                fields[name] = {"$ref": "#/$defs/entityRef", "title": f"Owner {f}"}
            elif kind == 6:
                fields[name] = {"type": "string", "format": "date"}
            elif kind == 7:
                fields[name] = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
            elif kind == 8:
                fields[name] = {
                    "type": "string",
                    "ui:hidden": {"when": f"section{s}.field4", "is": "three"},
                    "pattern": "^[a-z]+$",
                }
            else:
                fields[name] = {"type": ["number", "null"], "exclusiveMinimum": 0}
        properties[f"section{s}"] = {
            "type": "object",
            "title": f"Section {s}",
            "properties": fields,
            "required": ["field0"],
            "if": {"properties": {"field3": {"const": True}}},
            "then": {"required": ["field1"]},
        }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": properties,
        "$defs": {"entityRef": {"type": "string", "pattern": "^[a-z]+:[a-z0-9-]+/[a-z0-9-]+$"}},
    }


TARGET = 1.0
STALL_TARGET = 0.1


def timed(label: str, action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Print the first and median time of ``action``; return the median in seconds."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    first, median = samples[0] * 1000, statistics.median(samples) * 1000
    print(f"{label:<58} first {first:8.2f} ms   median {median:8.2f} ms")
    return statistics.median(samples)


def one_step(fields: int = 300) -> dict[str, Any]:
    """``fields`` fields of every common kind on a single step (no nested objects)."""
    schema = generated_schema(sections=1, per_section=fields)
    section = schema["properties"]["section0"]
    return {
        "$schema": schema["$schema"],
        "type": "object",
        "properties": section["properties"],
        "required": ["field0"],
        "$defs": schema["$defs"],
    }


def verdict(seconds: float) -> str:
    return f"target ≤ {TARGET:g} s   {'PASS' if seconds <= TARGET else 'MISS'}"


def main() -> None:
    # jsonschema is imported on first use; pay that once so the figures show the model itself.
    FormModel({"type": "object", "properties": {"a": {"type": "string"}}}).validate()

    largest = max(
        (w for w in DEFAULT_WORKFLOWS if w.input_schema is not None),
        key=lambda w: len(json.dumps(w.input_schema)),
    )
    timed(f"build demo schema {largest.id!r}", lambda: FormModel(largest.input_schema))

    schema = generated_schema()
    model = FormModel(schema)
    leaves = sum(1 for f in model.root.walk() if f.is_leaf)
    model_build = timed(f"build generated schema ({leaves} fields)", lambda: FormModel(schema))

    text = ""

    def keystroke() -> None:
        nonlocal text
        text += "a"
        if model.set(("section7", "field0"), text):
            raise AssertionError("a leaf edit changed the structure")

    timed("set() on a leaf (keystroke, no structure change)", keystroke, repeats=500)

    flip = [False]

    def toggle() -> None:
        flip[0] = not flip[0]
        model.set(("section7", "field4"), "three" if flip[0] else "one")

    timed("set() that flips a ui:hidden condition (rebuild)", toggle)
    timed("validate() of the generated schema", model.validate)
    timed("payload() of the generated schema", model.payload)

    # Malformed schemas must fail fast with a clear error (target: well under a second).
    def failing(bad: Any) -> Callable[[], None]:
        def build() -> None:
            try:
                FormModel(bad)
            except SchemaError:
                return
            raise AssertionError("a malformed schema was accepted")

        return build

    cyclic = {
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/x"}},
        "$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}},
    }
    timed("malformed: cyclic $ref (time to the error)", failing(cyclic))
    missing = {"type": "object", "properties": {"a": {"$ref": "#/$defs/nowhere"}}}
    timed("malformed: missing $ref (time to the error)", failing(missing))
    broken_big = generated_schema()
    broken_big["properties"]["section14"]["properties"]["field19"] = {"$ref": "#/$defs/nowhere"}
    timed("malformed: 300 fields, one missing $ref (time to the error)", failing(broken_big))
    print(f"{'malformed: run form opened to error panel on screen':<58} {asyncio.run(error_screen_time()):8.1f} ms")

    print("\nthe run form on screen (headless, 120×40): open → first step painted → a key typed into the")
    print("first field shown; median of 3, the first opening (module imports) left out")
    (steps, _), (flat, filled) = asyncio.run(form_on_screen({"steps": schema, "flat": one_step()}))
    print(f"{'300 fields in 15 steps of 20':<58} median {steps * 1000:8.0f} ms")
    print(f"{'stress: 300 fields on one step':<58} median {flat * 1000:8.0f} ms")
    if filled is not None:
        print(f"{'stress: then every field mounted (in batches)':<58} median {filled.done * 1000:8.0f} ms")
        print(f"{'stress: longest event-loop stall meanwhile':<58} median {filled.stall * 1000:8.0f} ms"
              f"   worst {filled.worst_stall * 1000:.0f} ms")
        print(f"{'stress:   of which the longest garbage collection':<58} median {filled.gc * 1000:8.0f} ms")
        own = filled.stall_without_gc
        print(f"{'stress:   the longest apart from garbage collection':<58} median {own * 1000:8.0f} ms")
        print(f"{'stress: then page down to the end: longest stall':<58} median {filled.paging * 1000:8.0f} ms"
              f"   worst {filled.worst_paging * 1000:.0f} ms")
    print(f"300-field form, model build: {model_build * 1000:.0f} ms   {verdict(model_build)}")
    print(f"300-field form, run form on screen: {steps * 1000:.0f} ms   {verdict(steps)}")
    print(f"stress: 300 fields on one step, run form on screen: {flat * 1000:.0f} ms   {verdict(flat)}")
    if filled is not None:
        late = filled.stall
        print(f"stress: longest stall while the step fills: {late * 1000:.0f} ms   "
              f"target ≤ {STALL_TARGET * 1000:.0f} ms   {'PASS' if late <= STALL_TARGET else 'MISS'}")
        paged = filled.paging
        print(f"stress: longest stall paging down the step: {paged * 1000:.0f} ms   "
              f"target ≤ {STALL_TARGET * 1000:.0f} ms   {'PASS' if paged <= STALL_TARGET else 'MISS'}")


@dataclass
class Filled:
    """A long step's fill after its first paint: medians in seconds, and the worst stall."""

    done: float
    stall: float
    worst_stall: float
    stall_without_gc: float
    gc: float
    paging: float
    worst_paging: float


class StallMeter:
    """The event loop's longest stall (how late a 10 ms ticker wakes up), the longest apart from
    the garbage collector's share of it, and the longest collection."""

    def __init__(self) -> None:
        self.stall = self.stall_without_gc = self.gc = 0.0
        self._task: asyncio.Task[None] | None = None
        self._gc_started = 0.0
        self._gc_total = 0.0

    def _collected(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            took = time.perf_counter() - self._gc_started
            self._gc_total += took
            self.gc = max(self.gc, took)

    async def _tick(self) -> None:
        while True:
            before, collected = time.perf_counter(), self._gc_total
            await asyncio.sleep(0.01)
            late = time.perf_counter() - before - 0.01
            self.stall = max(self.stall, late)
            self.stall_without_gc = max(self.stall_without_gc, late - (self._gc_total - collected))

    def start(self) -> None:
        self.stall = self.stall_without_gc = self.gc = 0.0
        gc.callbacks.append(self._collected)
        self._task = asyncio.get_running_loop().create_task(self._tick())

    async def stop(self) -> None:
        gc.callbacks.remove(self._collected)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def form_on_screen(
    schemas: dict[str, dict[str, Any]], repeats: int = 3
) -> list[tuple[float, Filled | None]]:
    """For each schema: median seconds from opening its run form to the first step interactive,
    and, for a step mounted in batches, how the rest of it came."""
    from textual.widgets import Input

    from orch_tui.core.connect import demo_backend
    from orch_tui.demo import DemoWorkflow
    from orch_tui.ui.app import OrchApp
    from orch_tui.ui.screens.execute import ExecuteScreen, Page

    workflows = [DemoWorkflow(id=key, name=key, input_schema=schema) for key, schema in schemas.items()]
    app = OrchApp(demo_backend(seed_runs=0, workflows=workflows))
    results: list[tuple[float, Filled | None]] = []
    meter = StallMeter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        painted = Frames(app).painted

        async def until(predicate: Callable[[], bool]) -> None:
            deadline = time.perf_counter() + 60
            while not predicate():
                if time.perf_counter() > deadline:
                    raise AssertionError("the run form did not come up within 60 s")
                await asyncio.sleep(0.001)

        def complete() -> bool:
            form = app.screen.form if isinstance(app.screen, ExecuteScreen) else None
            return form is not None and form.complete and not form.query(".form-more")

        async def forgotten() -> None:
            """Let the closed forms' widgets go (a cancelled timer holds them for up to
            ExecuteScreen.DRAFT_SAVE_INTERVAL), so the next opening does not collect them."""
            await asyncio.sleep(ExecuteScreen.DRAFT_SAVE_INTERVAL + 0.2)
            gc.collect()

        for key in schemas:
            samples = []
            for attempt in range(repeats + 1):
                started = time.perf_counter()
                app.open_execute(key)
                await until(lambda: isinstance(app.screen, ExecuteScreen) and app.screen.page is Page.STEP
                            and isinstance(app.focused, Input))
                await painted()
                field = app.focused
                assert isinstance(field, Input)
                before = field.value
                app.simulate_key("z")
                await until(lambda: field.value != before)
                await painted()
                if attempt:
                    samples.append(time.perf_counter() - started)
                batches = not complete()
                app.pop_screen()
                await pilot.pause()
            filled = None
            if batches:
                # The rest of the step, mounted after the first paint: each opening on its own.
                await forgotten()
                fills, stalls, own, collections, paging = [], [], [], [], []
                for _ in range(repeats):
                    started = time.perf_counter()
                    app.open_execute(key)
                    # From the step shown with its first field focused (the end of the opening
                    # measured above) to every field there.
                    await until(lambda: isinstance(app.screen, ExecuteScreen) and app.screen.page is Page.STEP
                                and isinstance(app.focused, Input))
                    await painted()
                    meter.start()
                    await until(complete)
                    await painted()
                    await meter.stop()
                    fills.append(time.perf_counter() - started)
                    stalls.append(meter.stall)
                    own.append(meter.stall_without_gc)
                    collections.append(meter.gc)
                    # Then down the whole step a screen at a time, as a reader pages through it:
                    # each page shows fields laid out for the first time.
                    body = app.screen.query_one("#execute-body")
                    meter.start()
                    for _ in range(500):
                        if body.scroll_y >= body.max_scroll_y:
                            break
                        app.simulate_key("pagedown")
                        await asyncio.sleep(PAGE_PAUSE)
                    await meter.stop()
                    assert body.scroll_y >= body.max_scroll_y, "paging down did not reach the end"
                    paging.append(meter.stall)
                    app.pop_screen()
                    await pilot.pause()
                    await forgotten()
                filled = Filled(
                    statistics.median(fills), statistics.median(stalls), max(stalls), statistics.median(own),
                    statistics.median(collections), statistics.median(paging), max(paging),
                )
            results.append((statistics.median(samples), filled))
    return results


async def error_screen_time() -> float:
    """Milliseconds from opening the run form of a workflow with a broken schema to its error panel."""
    from orch_tui.core.connect import demo_backend
    from orch_tui.demo import DemoWorkflow
    from orch_tui.ui.app import OrchApp
    from orch_tui.ui.screens.execute import ExecuteScreen, Page

    broken = DemoWorkflow(id="broken", name="Broken", input_schema={"properties": {"a": {"$ref": "#/nowhere"}}})
    app = OrchApp(demo_backend(seed_runs=0, workflows=[broken]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.open_execute("broken")
        while not (isinstance(app.screen, ExecuteScreen) and app.screen.page is Page.FAILED):
            await asyncio.sleep(0.001)
            if time.perf_counter() - started > 5:
                raise AssertionError("no error panel within 5 s")
        await pilot.pause()
        return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
