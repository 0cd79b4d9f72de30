"""Headless run commands for scripts: runs, show, abort, retrigger, watch, run, engine, retry-tasks.

Text output never carries terminal control sequences from the backend: every string
goes through :func:`single_line` or :func:`clean_text` first.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from argparse import Namespace
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TextIO

from orch_tui.core.backend import Backend
from orch_tui.core.config import Overrides, ResolvedContext, resolve_context
from orch_tui.core.deeplink import DeepLink, Route, looks_like_link, parse_link
from orch_tui.core.entity import EntityRef, entity_option
from orch_tui.core.errors import BackendTimeout, ConfigError, OrchError, ServerError, Unreachable
from orch_tui.core.formatting import absolute_time, clean_text, duration, relative_time, single_line, utcnow
from orch_tui.core.models import AuthToken, ProcessInstance, RunStatus, WorkflowOverview
from orch_tui.core.progress import failed_node, node_state, visible_nodes
from orch_tui.core.run_query import RunQuery, parse_status
from orch_tui.core.status import availability_look, status_look

EXIT_OK = 0
EXIT_BACKEND = 1
EXIT_USAGE = 2

WATCH_EXIT = {RunStatus.COMPLETED: 0, RunStatus.ERROR: 1, RunStatus.ABORTED: 2}
WATCH_OTHER = 3


@asynccontextmanager
async def connected(overrides: Overrides) -> AsyncIterator[tuple[Backend, ResolvedContext]]:
    from orch_tui.core.connect import make_backend

    context = resolve_context(overrides)
    backend = make_backend(context)
    try:
        yield backend, context
    finally:
        await backend.aclose()


def scope_of(args: Namespace) -> EntityRef | None:
    """The ``--entity`` scope of a command, or None; ConfigError (exit 2) when unreadable."""
    return entity_option(getattr(args, "entity", None))


def check_scope(run: ProcessInstance, scope: EntityRef | None) -> None:
    """With ``--entity``, a command about one run acts only on a run for that entity."""
    if scope is None or (run.targetEntity or "").lower() == scope.target:
        return
    theirs = f"its entity is {single_line(run.targetEntity, 80)}" if run.targetEntity else "it has no target entity"
    raise ConfigError(f"Run {run.id} is not a run for {scope.target} ({theirs}); nothing was done.")


async def retrigger_tokens(backend: Backend, workflow_id: str, context: ResolvedContext) -> list[AuthToken]:
    """Tokens for the sign-ins the workflow's form asks for (AuthRequester), from the context."""
    from orch_tui.core.auth import missing_tokens_message, tokens_for, workflow_sign_ins

    descriptors = await workflow_sign_ins(backend, workflow_id)
    tokens, missing = tokens_for(descriptors, context.provider_tokens)
    if missing:
        print(f"orch-tui: {missing_tokens_message(missing, 'retriggering without it')}", file=sys.stderr)
    return tokens


def _ascii(out: TextIO) -> bool:
    return not (getattr(out, "encoding", None) or "").lower().startswith("utf")


def run_json(run: ProcessInstance) -> dict[str, Any]:
    return run.model_dump(mode="json", exclude_none=True)


def _table(rows: list[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip(), file=out)


def workflow_json(workflow: WorkflowOverview) -> dict[str, Any]:
    stats = workflow.workflowRunStats
    return {
        "id": workflow.workflowId,
        "name": workflow.name,
        "version": workflow.version,
        "format": workflow.format,
        "description": workflow.description,
        "availability": {"available": workflow.available, "reason": workflow.unavailable_reason},
        "lastRun": {
            "id": workflow.lastRunId,
            "status": workflow.lastRunStatus.value if workflow.lastRunStatus else None,
            "triggeredAt": workflow.last_triggered.isoformat() if workflow.last_triggered else None,
        },
        "stats": stats.model_dump(exclude_none=True) if stats else None,
    }


async def workflows_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    """The workflow list; with ``--entity``, that entity's Workflows tab (notes on stderr)."""
    from orch_tui.core.catalog import entity_workflows

    out = out or sys.stdout
    scope = scope_of(args)
    async with connected(overrides) as (backend, _):
        if scope is None:
            workflows = await backend.list_workflows()
        else:
            lookup, workflows = await entity_workflows(backend, scope)
            for note in lookup.notes:
                print(f"orch-tui: {clean_text(note)}", file=sys.stderr)
    if args.json:
        print(json.dumps([workflow_json(w) for w in workflows], indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    ascii_only = _ascii(out)
    now = utcnow()
    rows = [("ID", "NAME", "AVAILABILITY", "LAST RUN", "STATUS", "VERSION")]
    for w in workflows:
        rows.append((
            single_line(w.workflowId, 40),
            single_line(w.display_name, 40),
            availability_look(w.available).label(ascii_only),
            relative_time(w.last_triggered, now),
            status_look(w.lastRunStatus).label(ascii_only),
            single_line(w.version or "", 12),
        ))
    _table(rows, out)
    if not workflows:
        print("(no workflows)", file=out)
    return EXIT_OK


async def runs_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        statuses = tuple(dict.fromkeys(parse_status(s) for s in args.status))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    scope = scope_of(args)
    query = RunQuery(
        workflow_id=args.workflow, statuses=statuses, entity=scope.target if scope else None, page_size=args.limit
    )
    async with connected(overrides) as (backend, _):
        result = await backend.list_runs(query.to_request())
    if args.json:
        print(json.dumps({"total": result.total, "items": [run_json(r) for r in result.items]},
                         indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    now = utcnow()
    rows = [("ID", "WORKFLOW", "STATUS", "STARTED", "DURATION", "ENTITY", "RUN BY")]
    for run in result.items:
        rows.append((
            run.id[:8],
            single_line(run.workflow_label, 30),
            status_look(run.status).label(_ascii(out)),
            relative_time(run.start, now),
            duration(run.elapsed_seconds(now)),
            single_line(run.targetEntity or "—", 40),
            single_line(run.initiatorEntity or "—", 30),
        ))
    _table(rows, out)
    shown = len(result.items)
    total = result.total if result.total is not None else shown
    print(f"{shown} of {total} runs" if shown else "(no runs)", file=out)
    return EXIT_OK


def describe_run(run: ProcessInstance, out: TextIO, now: Any = None) -> None:
    now = now or utcnow()
    ascii_only = _ascii(out)
    lines = [
        ("Run", run.id),
        ("Workflow", f"{run.workflow_label} ({run.processId or '?'})"),
        ("Status", status_look(run.status).label(ascii_only)),
        ("Version", run.version or "—"),
        ("Started", absolute_time(run.start)),
        ("Ended", absolute_time(run.end)),
        ("Duration", duration(run.elapsed_seconds(now))),
        ("Run by", run.initiatorEntity or "—"),
        ("Entity", run.targetEntity or "—"),
    ]
    for label, value in lines:
        print(f"{label + ':':<10} {single_line(value, 200)}", file=out)
    if run.error is not None:
        print(f"Error:     at {single_line(run.error.nodeDefinitionId or '?', 80)}: "
              f"{clean_text(run.error.message or '')}", file=out)
    result = run.result
    if result is not None and result.message:
        print(f"Result:    {clean_text(result.message)}", file=out)
    if result is not None:
        for output in result.outputs:
            print(f"  {single_line(output.key, 60)}: {single_line(str(output.value), 200)}", file=out)
    nodes = visible_nodes(run)
    if nodes:
        print("Nodes:", file=out)
        error_node = failed_node(run)
        for node in nodes:
            look = node_state(node, run, error_node)
            mark = look.ascii_glyph if ascii_only else look.glyph
            name = single_line(node.name or node.definitionId or node.id, 60)
            print(f"  {mark} {name:<30} {absolute_time(node.enter)}", file=out)


async def show_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    scope = scope_of(args)
    async with connected(overrides) as (backend, _):
        run = await backend.get_run(args.run_id)
    check_scope(run, scope)
    if args.json:
        print(json.dumps(run_json(run), indent=2, ensure_ascii=False), file=out)
    else:
        describe_run(run, out)
    return EXIT_OK


def _confirm(prompt: str) -> bool:
    if not sys.stdin.isatty():
        raise ConfigError("Not asking for confirmation without a terminal: pass --yes.")
    try:
        answer = input(prompt)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


async def abort_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    scope = scope_of(args)
    async with connected(overrides) as (backend, context):
        if context.config.read_only:
            raise ConfigError("This context is read-only: runs cannot be aborted from it.")
        run = await backend.get_run(args.run_id)
        check_scope(run, scope)
        if run.status not in (RunStatus.ACTIVE, RunStatus.ERROR):
            raise ConfigError(
                f"Run {run.id} is {status_look(run.status).word.lower()}: only running or failed runs can be aborted."
            )
        label = f"{single_line(run.workflow_label, 60)} {run.id}"
        if not args.yes and not _confirm(f"Abort run {label}? [y/N] "):
            print("Not aborted.", file=out)
            return EXIT_USAGE
        message = await backend.abort(run.id)
    print(single_line(message, 300), file=out)
    return EXIT_OK


async def retrigger_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    scope = scope_of(args)
    async with connected(overrides) as (backend, context):
        if context.config.read_only:
            raise ConfigError("This context is read-only: runs cannot be retriggered from it.")
        run = await backend.get_run(args.run_id)
        check_scope(run, scope)
        if run.status is not RunStatus.ERROR:
            raise ConfigError(f"Run {run.id} has not failed: only failed runs can be retriggered.")
        if not run.processId:
            raise ConfigError(f"Run {run.id} does not say which workflow it belongs to.")
        tokens = await retrigger_tokens(backend, run.processId, context)
        try:
            await backend.retrigger(run.processId, run.id, auth_tokens=tokens or None)
        except ServerError as exc:
            if "Failed Node ID" in exc.message:
                print(f"Run failed again: {clean_text(exc.message)}", file=sys.stderr)
                return EXIT_BACKEND
            raise
    print(f"Retriggered run {run.id} from its failed node.", file=out)
    return EXIT_OK


def _require(backend: Backend, capability: str, what: str) -> None:
    """A command for what only some backends offer: refused (exit 2) on the others."""
    if capability not in backend.info.capabilities:
        raise ConfigError(
            f"{what}: the {single_line(backend.info.kind, 40)} backend of this context "
            f"({single_line(backend.info.label, 80)}) does not offer it."
        )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{single_line(status, 40)} {count}" for status, count in sorted(counts.items())) or "none"


async def engine_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    """The engine's state (running, pausing, paused) and its runs and tasks per status."""
    from orch_tui.core.backend import CAN_ENGINE
    from orch_tui.core.status import engine_look

    out = out or sys.stdout
    async with connected(overrides) as (backend, _):
        _require(backend, CAN_ENGINE, "The engine status is not available")
        engine = await backend.engine_status()
    if args.json:
        print(json.dumps(engine.to_json(), indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    look = engine_look(engine.state)
    state = look.label(_ascii(out))
    label = single_line(engine.label, 200)
    if label:
        glyph = look.ascii_glyph if _ascii(out) else look.glyph
        state = f"{glyph} {label}" if label.lower().startswith(look.word) else f"{state}: {label}"
    lines = [
        ("Engine", state),
        ("Running", str(engine.running) if engine.running is not None else "—"),
        ("Runs", _counts(engine.run_counts)),
        ("Tasks", _counts(engine.task_counts)),
        ("Failed tasks", str(engine.failed_tasks)),
    ]
    for label, value in lines:
        print(f"{label + ':':<14}{value}", file=out)
    return EXIT_OK


async def retry_tasks_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    """Retry every failed task (asks first unless ``--yes``); prints how many were retried."""
    from orch_tui.core.backend import CAN_TASKS

    out = out or sys.stdout
    async with connected(overrides) as (backend, context):
        _require(backend, CAN_TASKS, "Retrying failed tasks is not possible")
        if context.config.read_only or backend.info.read_only:
            raise ConfigError("This context is read-only: failed tasks cannot be retried from it.")
        if not args.yes and not _confirm(f"Retry every failed task on {single_line(backend.info.label, 80)}? [y/N] "):
            print("Nothing retried.", file=out)
            return EXIT_USAGE
        count = await backend.retry_failed_tasks()
    if count:
        print(f"Retrying {count} failed task{'' if count == 1 else 's'}.", file=out)
    else:
        print("No failed tasks to retry.", file=out)
    return EXIT_OK


async def watch_run(
    backend: Backend,
    run_id: str,
    *,
    interval: float,
    timeout: float | None,
    emit: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Any] = asyncio.sleep,
    on_run: Callable[[ProcessInstance], None] | None = None,
) -> tuple[int, ProcessInstance | None]:
    """Poll a run until it is final; report each change through ``emit`` (and every fetched
    state through ``on_run``); return (exit code, last run)."""
    started = clock()
    seen_nodes: set[str] = set()
    last_status: RunStatus | None = None
    last: ProcessInstance | None = None
    failures = 0
    while True:
        try:
            run = await backend.get_run(run_id)
            failures = 0
        except (Unreachable, BackendTimeout, ServerError) as exc:
            failures += 1
            emit(f"! {exc.summary} (retrying)")
            run = None
            if failures >= 5:
                return WATCH_OTHER, last
        if run is not None:
            last = run
            if on_run is not None:
                on_run(run)
            for node in run.nodes:
                if node.id not in seen_nodes:
                    seen_nodes.add(node.id)
                    emit(f"  → {single_line(node.name or node.definitionId or node.id, 80)}")
            if run.status is not last_status:
                last_status = run.status
                emit(status_look(run.status).label())
            if run.status.is_final:
                return WATCH_EXIT.get(run.status, WATCH_OTHER), run
        if timeout is not None and clock() - started >= timeout:
            emit(f"Timed out after {timeout:g}s")
            return WATCH_OTHER, last
        await sleep(interval)


async def follow_run(
    backend: Backend,
    run_id: str,
    *,
    json_output: bool,
    interval: float,
    timeout: float | None,
    out: TextIO,
) -> int:
    """Follow a run until it ends (live in place on a terminal, a line per change otherwise);
    return the outcome's exit code (:data:`WATCH_EXIT`, else :data:`WATCH_OTHER`)."""
    err = sys.stderr

    def emit(line: str) -> None:
        print(line, file=err if json_output else out, flush=True)

    try:
        first = await backend.get_run(run_id)
        if not json_output and getattr(out, "isatty", lambda: False)():
            from orch_tui.ui.watch import watch_inline

            code, run = await watch_inline(backend, first, interval=interval, timeout=timeout)
        else:
            emit(f"Watching {single_line(first.workflow_label, 60)} run {first.id}")
            code, run = await watch_run(backend, run_id, interval=interval, timeout=timeout, emit=emit)
    except ConfigError:
        raise
    except OrchError as exc:
        print(f"orch-tui: {exc.summary}", file=sys.stderr)
        return WATCH_OTHER
    if json_output and run is not None:
        print(json.dumps(run_json(run), indent=2, ensure_ascii=False), file=out)
    elif run is not None and run.status.is_final:
        result = run.result
        if run.error is not None and run.error.message:
            emit(f"Error: {clean_text(run.error.message)}")
        elif result is not None and result.message:
            emit(clean_text(result.message))
    return code


async def watch_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    scope = scope_of(args)
    async with connected(overrides) as (backend, _):
        if scope is not None:
            check_scope(await backend.get_run(args.run_id), scope)
        return await follow_run(
            backend, args.run_id, json_output=args.json, interval=args.interval, timeout=args.timeout,
            out=out or sys.stdout,
        )


# -- run: start a workflow from the command line -------------------------------------


def read_json(path: str, what: str) -> Any:
    """A JSON document from a file, or from stdin for ``-``; ConfigError when unreadable."""
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
    except OSError as exc:
        raise ConfigError(f"Cannot read {what} {path}: {exc.strerror or exc}") from exc
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{what.capitalize()} {path} is not valid JSON: {exc}") from exc


def run_target(text: str) -> tuple[str, DeepLink | None]:
    """The workflow ``run`` starts: a workflow id, or the one of an execute link."""
    if not looks_like_link(text):
        if not text.strip():
            raise ConfigError("The workflow id is empty.")
        return text, None
    link = parse_link(text)
    if link.route is not Route.EXECUTE or link.workflow_id is None:
        raise ConfigError(
            f"run takes a workflow id or an execute link (…/orchestrator/workflows/ID/execute?…); "
            f"this link is {link.route.value}."
        )
    return link.workflow_id, link


async def run_command(args: Namespace, overrides: Overrides, out: TextIO | None = None) -> int:
    """Build the input as the run form would, check it, start the run (unless ``--dry-run``)."""
    from orch_tui.core.auth import missing_tokens_message, tokens_for
    from orch_tui.core.forms import SchemaError
    from orch_tui.core.run_input import build_run_input

    out = out or sys.stdout
    workflow_id, link = run_target(args.workflow)
    entity = link.entity if link is not None else None
    scope = scope_of(args)
    if scope is not None:
        entity = scope.target
    data = read_json(args.data, "input data") if args.data else None
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"Input data {args.data} must be a JSON object, not {type(data).__name__}.")
    queries = [("the link", list(link.query))] if link is not None else []
    queries.extend(("--query", query) for query in args.query or [])

    async with connected(overrides) as (backend, context):
        if context.config.read_only and not args.dry_run:
            raise ConfigError("This context is read-only: runs cannot be started from it (--dry-run still works).")
        instance_id = link.instance_id if link is not None else None
        response = await backend.get_input_schema(workflow_id, instance_id=instance_id)
        try:
            prepared = build_run_input(
                response.inputSchema, base=response.data if instance_id else None, data=data,
                queries=queries, sets=args.set or [],
            )
        except SchemaError as exc:
            print(f"orch-tui: the input schema of {single_line(workflow_id, 80)} cannot be used: "
                  f"{single_line(exc.message, 300)}", file=sys.stderr)
            return EXIT_BACKEND
        if prepared.problems:
            print(f"orch-tui: the input of {single_line(workflow_id, 80)} is not valid; nothing was sent:",
                  file=sys.stderr)
            for problem in prepared.problems:
                print(f"  {single_line(problem, 300)}", file=sys.stderr)
            return EXIT_USAGE
        tokens, missing = tokens_for(prepared.auth_descriptors, context.provider_tokens)
        if missing:
            going_on = "a real run would start without it" if args.dry_run else "the run starts without it"
            print(f"orch-tui: {missing_tokens_message(missing, going_on)}", file=sys.stderr)
        if args.dry_run:
            print(json.dumps(prepared.payload, indent=2, ensure_ascii=False), file=out)
            scope = f" for {entity}" if entity else ""
            print(f"Dry run: {single_line(workflow_id, 80)}{scope} was not started.", file=sys.stderr)
            return EXIT_OK
        run_id = await backend.execute(
            workflow_id, prepared.payload, target_entity=entity, auth_tokens=tokens or None
        )
        if not args.wait:
            print(json.dumps({"id": run_id}) if args.json else run_id, file=out)
            return EXIT_OK
        print(f"Started run {run_id}", file=sys.stderr, flush=True)
        return await follow_run(
            backend, run_id, json_output=args.json, interval=args.interval, timeout=args.timeout, out=out
        )
