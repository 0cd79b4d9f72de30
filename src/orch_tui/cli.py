"""Command line entry point.

``--help`` and ``--version`` answer without importing Textual: heavy imports
happen inside the command that needs them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from orch_tui import __version__

EXIT_OK = 0
EXIT_BACKEND = 1
EXIT_USAGE = 2

DESCRIPTION = """\
A terminal console for workflow orchestrators.

With no command it opens the full-screen console. With no context
configured it runs against the embedded demo orchestrator."""

EPILOG = """\
examples:
  orch-tui                                  open the console (demo when nothing is configured)
  orch-tui --context prod                   open the console on a configured context
  orch-tui workflows --json                 list workflows as JSON
  orch-tui --entity component:payments-api  the console scoped to one catalog entity
  orch-tui https://bs.example.com/orchestrator/workflows/greeting/execute?name=Ada
                                            open a web UI link in the console
  orch-tui run greeting --set name=Ada --wait   start a run and follow it
  orch-tui demo-server --port 7099          serve the demo orchestrator over HTTP
  orch-tui --url http://127.0.0.1:7099 workflows
  orch-tui config path                      where the config file lives
"""


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("connection")
    group.add_argument("--context", metavar="NAME", default=default, help="configured context to use")
    group.add_argument(
        "--url", metavar="URL", default=default,
        help="Backstage backend root or .../api/orchestrator URL (overrides the context's url)",
    )
    group.add_argument("--token-env", metavar="VAR", default=default, help="read the bearer token from $VAR")
    group.add_argument("--ca-bundle", metavar="PATH", default=default, help="CA bundle for TLS verification")
    group.add_argument(
        "--insecure", action="store_true", default=argparse.SUPPRESS if suppress else False,
        help="do not verify TLS certificates",
    )
    group.add_argument(
        "--readonly", action="store_true", default=argparse.SUPPRESS if suppress else None,
        help="never start, abort or retrigger runs",
    )
    group.add_argument(
        "--refresh", metavar="SECONDS", type=_positive_float, default=default,
        help="refresh interval (default 5)",
    )
    group.add_argument(
        "--demo-user", metavar="NAME", default=default,
        help="call the demo orchestrator as one of its users: admin, developer or viewer",
    )
    scope = parser.add_argument_group("scope")
    scope.add_argument(
        "--entity", metavar="REF", default=default,
        help="work on one catalog entity: kind:namespace/name, kind:name or namespace:kind:name "
        "(its workflows and runs; runs started carry it as their target entity)",
    )


def _console_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else False
    group = parser.add_argument_group("console")
    group.add_argument(
        "--no-mouse", action="store_true", default=default,
        help="leave the mouse to the terminal (native text selection over ssh)",
    )
    group.add_argument(
        "--ascii", action="store_true", default=default,
        help="draw status glyphs, arrows and box lines in ASCII (also ORCH_TUI_ASCII=1)",
    )
    group.add_argument(
        "--theme", metavar="NAME", default=argparse.SUPPRESS if suppress else None,
        help="colour theme, e.g. ansi-dark or ansi-light to follow the terminal's colours "
        "(also ORCH_TUI_THEME or theme = in the config file)",
    )


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orch-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"orch-tui {__version__}")
    _global_options(parser, suppress=False)
    _console_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    wf = commands.add_parser("workflows", help="list workflows and exit")
    _global_options(wf, suppress=True)
    wf.add_argument("--json", action="store_true", help="print JSON instead of a table")

    runs = commands.add_parser("runs", help="list runs and exit")
    _global_options(runs, suppress=True)
    runs.add_argument("--workflow", metavar="ID", help="only this workflow's runs")
    runs.add_argument(
        "--status", metavar="S", action="append", default=[],
        help="only runs in this state (repeatable): running, failed, completed, aborted, suspended, pending",
    )
    runs.add_argument("--limit", metavar="N", type=_positive_int, default=20, help="how many runs (default 20)")
    runs.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = commands.add_parser("show", help="show one run and exit")
    _global_options(show, suppress=True)
    show.add_argument("run_id", metavar="RUN_ID")
    show.add_argument("--json", action="store_true", help="print the run document as JSON")

    abort = commands.add_parser("abort", help="abort a running or failed run")
    _global_options(abort, suppress=True)
    abort.add_argument("run_id", metavar="RUN_ID")
    abort.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    retrigger = commands.add_parser("retrigger", help="resume a failed run from its failed node")
    _global_options(retrigger, suppress=True)
    retrigger.add_argument("run_id", metavar="RUN_ID")

    engine = commands.add_parser(
        "engine", help="show the engine's state and its runs and tasks per status",
        description="Print whether the orchestrator's engine is running, pausing or paused, with its "
        "runs and tasks per status (orchestrator-core). A backend without an engine status exits 2.",
    )
    _global_options(engine, suppress=True)
    engine.add_argument("--json", action="store_true", help="print JSON instead of text")

    retry_tasks = commands.add_parser(
        "retry-tasks", help="retry every failed task",
        description="Run every failed task again from the step it stopped at (orchestrator-core's "
        "'Retry all failed tasks') and print how many. Asks first unless --yes; a read-only context or "
        "a backend without tasks exits 2.",
    )
    _global_options(retry_tasks, suppress=True)
    retry_tasks.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    watch = commands.add_parser(
        "watch", help="follow a run until it ends",
        description="Follow a run, printing each change, until it reaches a final state. "
        "Exit code: 0 completed, 1 failed, 2 aborted, 3 timeout or any other outcome.",
    )
    _global_options(watch, suppress=True)
    watch.add_argument("run_id", metavar="RUN_ID")
    watch.add_argument("--json", action="store_true", help="print the final run document as JSON")
    watch.add_argument("--timeout", metavar="S", type=_positive_float, help="give up after S seconds")
    watch.add_argument("--interval", metavar="S", type=_positive_float, default=2.0, help="poll interval (default 2)")

    open_link = commands.add_parser(
        "open", help="open a web UI link (workflow, runs, run form, run) in the console",
        description="Open an orchestrator link of the web UI in the console: /orchestrator, "
        "/orchestrator/workflows/ID[/runs|/execute?…], /orchestrator/instances/ID, "
        "/orchestrator/entity/NS/KIND/NAME/WORKFLOW[/RUN] or /catalog/NS/KIND/NAME/workflows, with or "
        "without scheme and host. The link's host picks the context unless --context or --url is given. "
        "A run form opens prefilled from the link; nothing is started until you press Run. "
        "'orch-tui URL' is the same as 'orch-tui open URL'.",
    )
    _global_options(open_link, suppress=True)
    _console_options(open_link, suppress=True)
    open_link.add_argument("link", metavar="URL", help="a link copied from the web UI")

    run = commands.add_parser(
        "run", help="start a workflow without the console",
        description="Build a run's input as the run form would: --data, then the link's query and "
        "--query (the web UI's prefill rules), then each --set (same path and coercion rules); schema "
        "defaults are filled in, the input is checked against the schema and pruned like the form's. "
        "Invalid input is listed with dot paths and nothing is sent (exit 2). Prints the new run's id; "
        "--wait follows the run like watch, with its exit codes.",
    )
    _global_options(run, suppress=True)
    run.add_argument("workflow", metavar="WORKFLOW", help="workflow id, or an execute link of the web UI")
    run.add_argument(
        "--set", metavar="PATH=VALUE", action="append", default=[],
        help="set one field (repeatable): name=alice, step.count=3, tags=a,b",
    )
    run.add_argument(
        "--query", metavar="QS", action="append", default=[],
        help="query parameters as in an execute link, e.g. 'name=alice&tags=a,b' (repeatable)",
    )
    run.add_argument("--data", metavar="FILE", help="input data (JSON object file, or - for stdin)")
    run.add_argument("--dry-run", action="store_true", help="print the input that would be sent; send nothing")
    run.add_argument("--wait", action="store_true", help="follow the run until it ends (exit codes as watch)")
    run.add_argument("--json", action="store_true", help="print JSON: {\"id\"}, or the final run with --wait")
    run.add_argument("--timeout", metavar="S", type=_positive_float, help="with --wait: give up after S seconds")
    run.add_argument("--interval", metavar="S", type=_positive_float, default=2.0,
                     help="with --wait: poll interval (default 2)")

    demo = commands.add_parser(
        "demo-server", help="serve the demo orchestrator over HTTP",
        description="Serve the demo orchestrator (with its catalog and permission APIs) over HTTP. "
        "Without a token a caller may do everything; the tokens demo-admin, demo-developer and "
        "demo-viewer call it as users with those rights (e.g. ORCH_TUI_TOKEN=demo-viewer).",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    demo.add_argument("--port", type=_port, default=7099, help="port to listen on (default 7099)")
    demo.add_argument("--seed-runs", type=int, default=60, metavar="N", help="runs of seeded history (default 60)")
    demo.add_argument("--chaos", type=float, default=0.0, metavar="RATE",
                      help="inject faults into this share of API answers, 0..1: 5xx, answers past the "
                      "client's timeout, dropped connections")
    demo.add_argument("--chaos-seed", type=int, default=7, metavar="N", help="seed of the fault plan (default 7)")
    demo.add_argument("--hostile", action="store_true",
                      help="put hostile text (markup, escape sequences, bidi, 1 MB strings) in everything shown")

    form = commands.add_parser(
        "form", help="open the form for a local input schema (form playground)",
        description="Open the form for a local JSON Schema file. Run prints the payload JSON to stdout "
        "and exits 0; quitting exits 1 with no output.",
    )
    form.add_argument("schema", metavar="SCHEMA.json", help="input schema file (JSON)")
    form.add_argument("--query", metavar="QS", help="prefill from query parameters, e.g. 'name=alice&tags=a,b'")
    form.add_argument("--data", metavar="FILE", help="initial form data (JSON file, or - for stdin)")
    form.add_argument("--base", metavar="DATA.json", help="base data for --prefill-only (as 'Run again' data)")
    mode = form.add_mutually_exclusive_group()
    mode.add_argument("--describe", action="store_true", help="print the form's steps and fields as JSON")
    mode.add_argument("--prefill-only", action="store_true", help="print base data merged with --query as JSON")

    serve = commands.add_parser(
        "serve", help="serve the console to a web browser (needs the [serve] extra)",
        description="Serve the console in a web browser with textual-serve (pip install 'orch-tui[serve]'). "
        "Each browser tab runs its own console with this command's options and environment, so anyone who "
        "can reach the address uses your context and token: keep the default 127.0.0.1 unless you mean it.",
    )
    _global_options(serve, suppress=True)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--ascii", action="store_true", default=argparse.SUPPRESS, help="ASCII glyphs in the served console"
    )

    debug = commands.add_parser(
        "debug-info", help="print versions, terminal, config and log paths (for bug reports)",
        description="Print what a bug report needs: versions (python, textual, httpx, orch-tui), the "
        "terminal ($TERM, size, colour support), the config file read, the resolved context (the token "
        "only as set or not set) and the log file.",
    )
    _global_options(debug, suppress=True)

    cfg = commands.add_parser("config", help="show configuration")
    cfg_commands = cfg.add_subparsers(dest="config_command", metavar="WHAT", required=True)
    cfg_commands.add_parser("path", help="print the config file path")
    show = cfg_commands.add_parser("show", help="print the resolved context (token hidden)")
    _global_options(show, suppress=True)
    cfg_commands.add_parser("contexts", help="list configured contexts")
    return parser


def _overrides(args: argparse.Namespace) -> Any:
    from orch_tui.core.config import Overrides

    return Overrides(
        context=getattr(args, "context", None),
        url=getattr(args, "url", None),
        token_env=getattr(args, "token_env", None),
        insecure=bool(getattr(args, "insecure", False)),
        ca_bundle=getattr(args, "ca_bundle", None),
        read_only=True if getattr(args, "readonly", None) else None,
        refresh_interval=getattr(args, "refresh", None),
        demo_user=getattr(args, "demo_user", None),
    )


def _entity(args: argparse.Namespace) -> Any:
    """The ``--entity`` scope as an EntityRef, or None; ConfigError (exit 2) when unreadable."""
    from orch_tui.core.entity import entity_option

    return entity_option(getattr(args, "entity", None))


def _fail(message: str, code: int) -> int:
    from orch_tui.core.formatting import clean_text

    print(f"orch-tui: {clean_text(message)}", file=sys.stderr)
    return code


_VALUE_OPTIONS = frozenset(
    {"--context", "--url", "--token-env", "--ca-bundle", "--refresh", "--demo-user", "--entity"}
)


def _with_open(argv: Sequence[str]) -> list[str]:
    """``orch-tui [options] URL`` means ``orch-tui [options] open URL``: the first word that is
    not an option (or an option's value) is a link rather than a command."""
    words = list(argv)
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        if word == "--":
            return words
        if word.startswith("-"):
            skip = word in _VALUE_OPTIONS
            continue
        from orch_tui.core.deeplink import looks_like_link

        return [*words[:index], "open", *words[index:]] if looks_like_link(word) else words
    return words


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = _with_open(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(words)
    import logging

    logging.getLogger("orch_tui").addHandler(logging.NullHandler())
    from orch_tui.core.errors import ConfigError, OrchError

    try:
        if args.command == "demo-server":
            return _demo_server(args)
        if args.command == "config":
            return _config(args)
        if args.command == "debug-info":
            return _debug_info(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "form":
            return _form(args)
        if args.command == "open":
            return _open(args)
        if args.command in RUN_COMMANDS:
            import asyncio

            from orch_tui import headless

            return asyncio.run(RUN_COMMANDS[args.command](headless, args, _command_overrides(args)))
        return _run_app(args, argv=words)
    except ConfigError as exc:
        return _fail(exc.message, EXIT_USAGE)
    except OrchError as exc:
        return _fail(exc.summary, EXIT_BACKEND)
    except KeyboardInterrupt:
        return 130


RUN_COMMANDS: dict[str, Any] = {
    "workflows": lambda h, args, o: h.workflows_command(args, o),
    "runs": lambda h, args, o: h.runs_command(args, o),
    "show": lambda h, args, o: h.show_command(args, o),
    "abort": lambda h, args, o: h.abort_command(args, o),
    "retrigger": lambda h, args, o: h.retrigger_command(args, o),
    "engine": lambda h, args, o: h.engine_command(args, o),
    "retry-tasks": lambda h, args, o: h.retry_tasks_command(args, o),
    "watch": lambda h, args, o: h.watch_command(args, o),
    "run": lambda h, args, o: h.run_command(args, o),
}


def _command_overrides(args: argparse.Namespace) -> Any:
    """The flags' overrides; for ``run LINK`` the link's host picks the context unless a flag did."""
    overrides = _overrides(args)
    if args.command == "run":
        from orch_tui.core.deeplink import link_overrides
        from orch_tui.headless import run_target

        _, link = run_target(args.workflow)
        if link is not None:
            return link_overrides(link, overrides)
    return overrides


def _open(args: argparse.Namespace) -> int:
    from orch_tui.core.deeplink import link_overrides, parse_link

    link = parse_link(args.link)
    return _run_app(args, link=link, overrides=link_overrides(link, _overrides(args)))


def _run_app(
    args: argparse.Namespace, *, link: Any = None, overrides: Any = None, argv: Sequence[str] | None = None
) -> int:
    """Start the console.  Started the same way as a previous start that loaded its list (see
    :mod:`orch_tui.core.start_snapshot`), it shows that list at once and builds the backend
    meanwhile; otherwise the configuration is read and the backend built first.

    Start-up makes tens of thousands of objects that live as long as the process; collecting
    meanwhile would walk them again and again, so the garbage collector is paused until the app
    has painted its first list (the app turns it on again then, over what is made from then on).
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _start_app(args, link=link, overrides=overrides, argv=argv)
    finally:
        if enabled:
            gc.enable()


def _start_app(args: argparse.Namespace, *, link: Any, overrides: Any, argv: Sequence[str] | None) -> int:
    from orch_tui.core.drafts import DraftStore
    from orch_tui.core.recent import RecentEntities
    from orch_tui.core.start_snapshot import StartSettings, forget_snapshot, load_snapshot, save_snapshot, start_key
    from orch_tui.logging_setup import setup_file_logging

    entity = _entity(args)
    key = start_key(argv) if argv is not None and link is None and overrides is None else None
    snapshot = load_snapshot(key) if key is not None else None
    settings: StartSettings | None = None
    options: dict[str, Any]
    if snapshot is not None and key is not None:
        from orch_tui.core.pending import PendingBackend

        settings = snapshot.settings
        snapshot_key = key

        def connect() -> Any:
            try:
                return _connect(args, _overrides(args))
            except Exception:
                forget_snapshot(snapshot_key)  # the next start reads the configuration first again
                raise

        backend: Any = PendingBackend(snapshot.backend)
        options = dict(connect=connect, remembered=snapshot)
    else:
        overrides = overrides or _overrides(args)
        context, backend, context_overrides = _connect(args, overrides)
        settings = StartSettings(
            context_name=context.name, read_only=context.config.read_only,
            refresh_interval=context.config.refresh_interval, theme=context.theme, keymap=dict(context.keymap or {}),
        )
        options = dict(provider_tokens=context.provider_tokens, deep_link=link, context_overrides=context_overrides)
        if context.config.token_command:
            # Its token comes from a command that may ask on the terminal: it runs before the
            # console takes the terminal, every time, so this start is never remembered.
            key = None
    setup_file_logging()
    from orch_tui.ui.app import OrchApp

    if key is not None:
        remembered_settings = settings

        def remember(info: Any, workflows: Any) -> None:
            save_snapshot(key, remembered_settings, info, workflows)

        options["remember"] = remember
    app = OrchApp(
        backend,
        context_name=settings.context_name,
        read_only=settings.read_only,
        refresh_interval=settings.refresh_interval,
        drafts=DraftStore(),
        recent_entities=RecentEntities(),
        entity=entity,
        keymap=settings.keymap,
        ascii_only=_ascii_wanted(args),
        theme_name=getattr(args, "theme", None) or settings.theme,
        **options,
    )
    app.run(mouse=not getattr(args, "no_mouse", False))
    return app.return_code or 0


def _connect(args: argparse.Namespace, overrides: Any) -> tuple[Any, Any, Any]:
    """The context resolved, its backend built, and what the flags say about every context
    (where to connect is the switched-to context's)."""
    from orch_tui.core.config import Overrides, resolve_context
    from orch_tui.core.connect import make_backend

    context = resolve_context(overrides)
    backend = make_backend(context)
    return context, backend, Overrides(read_only=overrides.read_only, refresh_interval=overrides.refresh_interval)


def _ascii_wanted(args: argparse.Namespace) -> bool:
    import os

    return bool(getattr(args, "ascii", False)) or os.environ.get("ORCH_TUI_ASCII", "").strip().lower() in (
        "1", "true", "yes", "on",
    )


_FORWARDED_OPTIONS = (
    ("context", "--context"), ("url", "--url"), ("token_env", "--token-env"), ("ca_bundle", "--ca-bundle"),
    ("refresh", "--refresh"), ("demo_user", "--demo-user"), ("entity", "--entity"),
)
_FORWARDED_FLAGS = (("insecure", "--insecure"), ("readonly", "--readonly"), ("ascii", "--ascii"))


def serve_command(args: argparse.Namespace) -> list[str]:
    """The console command each browser session runs: this Python, with the connection options given."""
    command = [sys.executable, "-m", "orch_tui"]
    for name, flag in _FORWARDED_OPTIONS:
        value = getattr(args, name, None)
        if value is not None:
            command += [flag, str(value)]
    command += [flag for name, flag in _FORWARDED_FLAGS if getattr(args, name, None)]
    return command


def _serve(args: argparse.Namespace) -> int:
    import shlex

    from orch_tui.core.config import resolve_context

    try:
        from textual_serve.server import Server
    except ImportError:
        return _fail(
            "serve needs textual-serve, which is not installed: pip install 'orch-tui[serve]' "
            "(or pip install textual-serve).",
            EXIT_USAGE,
        )
    resolve_context(_overrides(args))  # a configuration error is said here, not in each browser tab
    command = shlex.join(serve_command(args))
    print(f"orch-tui console on http://{args.host}:{args.port}/ (ctrl+c stops)", file=sys.stderr)
    Server(command, host=args.host, port=args.port, title="orch-tui").serve()
    return EXIT_OK


def _debug_info(args: argparse.Namespace) -> int:
    """Versions, terminal, config and log paths: what a bug report needs, never a token."""
    import os
    import platform
    import shutil
    from importlib import metadata

    from orch_tui.core.config import resolve_context
    from orch_tui.core.errors import ConfigError
    from orch_tui.logging_setup import log_file

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    size = shutil.get_terminal_size(fallback=(0, 0))
    colour = "none (NO_COLOR set)" if os.environ.get("NO_COLOR") else (
        os.environ.get("COLORTERM") or ("256" if "256color" in os.environ.get("TERM", "") else "basic or unknown")
    )
    lines = [
        ("orch-tui", __version__),
        ("python", f"{platform.python_version()} ({platform.python_implementation()}, {sys.platform})"),
        ("textual", version("textual")),
        ("rich", version("rich")),
        ("httpx", version("httpx")),
        ("TERM", os.environ.get("TERM") or "not set"),
        ("terminal size", f"{size.columns}x{size.lines}" if size.columns else "unknown (not a terminal)"),
        ("colour", colour),
        ("stdout is a terminal", "yes" if sys.stdout.isatty() else "no"),
    ]
    try:
        context = resolve_context(_overrides(args))
    except ConfigError as exc:
        from orch_tui.core.config import default_config_path

        path = default_config_path()
        lines += [
            ("config file", f"{path}{'' if path.exists() else ' (not present)'}"),
            ("context", f"not resolved: {exc.message}"),
        ]
    else:
        config = context.config
        lines += [
            ("config file", f"{context.config_path}{'' if context.config_loaded else ' (not present)'}"),
            ("settings from", ", ".join(context.sources) or "defaults"),
            ("context", f"{context.name} ({config.kind})"),
            ("url", config.url or "embedded demo"),
            ("token", "set" if context.token is not None else "not set"),
            ("read only", "yes" if config.read_only else "no"),
            ("verify TLS", str(context.verify) if context.verify is not True else "yes"),
            ("refresh interval", f"{config.refresh_interval:g} s"),
            ("keymap overrides", str(len(context.keymap))),
            ("contexts configured", ", ".join(context.context_names) or "none"),
        ]
    lines.append(("log file", str(log_file())))
    from orch_tui.core.formatting import clean_text

    width = max(len(name) for name, _ in lines)
    for name, value in lines:
        print(f"{name:<{width}}  {clean_text(value)}")
    return EXIT_OK


def _demo_server(args: argparse.Namespace) -> int:
    from orch_tui.demo import serve

    if args.seed_runs < 0:
        return _fail("--seed-runs must be 0 or more", EXIT_USAGE)
    if not 0.0 <= args.chaos <= 1.0:
        return _fail("--chaos must be a rate between 0 and 1", EXIT_USAGE)
    print(f"orch-tui demo orchestrator on http://{args.host}:{args.port}/api/orchestrator", file=sys.stderr)
    if args.chaos:
        print(f"chaos: faults in {args.chaos:.0%} of API answers (seed {args.chaos_seed})", file=sys.stderr)
    print("demo users: no token (everything), or ORCH_TUI_TOKEN=demo-admin | demo-developer | demo-viewer",
          file=sys.stderr)
    serve(
        host=args.host, port=args.port, seed_runs=args.seed_runs,
        chaos=args.chaos, chaos_seed=args.chaos_seed, hostile=args.hostile,
    )
    return EXIT_OK


def _config(args: argparse.Namespace) -> int:
    from orch_tui.core.config import default_config_path, list_contexts, resolve_context

    if args.config_command == "path":
        print(default_config_path())
        return EXIT_OK
    if args.config_command == "contexts":
        file, path = list_contexts()
        if not file.contexts:
            print(f"No contexts configured in {path}; the built-in 'demo' context is used.")
            return EXIT_OK
        for name, ctx in sorted(file.contexts.items()):
            marker = "*" if name == file.current_context else " "
            print(f"{marker} {name:<20} {ctx.kind:<10} {ctx.url or ''}")
        return EXIT_OK
    context = resolve_context(_overrides(args))
    print(f"# config file: {context.config_path}{'' if context.config_loaded else ' (not present)'}")
    for key, value in context.describe().items():
        print(f"{key} = {json.dumps(value)}")
    return EXIT_OK


def _read_json(path: str, what: str) -> Any:
    from orch_tui.headless import read_json

    return read_json(path, what)


def _load_schema(path: str) -> dict[str, Any]:
    from orch_tui.core.errors import ConfigError

    schema = _read_json(path, "schema")
    if not isinstance(schema, dict):
        raise ConfigError(f"Schema {path} must be a JSON object, not {type(schema).__name__}.")
    return schema


def _form(args: argparse.Namespace) -> int:
    from orch_tui.core.errors import ConfigError

    schema = _load_schema(args.schema)
    if args.prefill_only:
        from orch_tui.core.prefill import merge_query_params

        if args.query is None:
            raise ConfigError("--prefill-only needs --query.")
        base = _read_json(args.base, "base data") if args.base else {}
        if not isinstance(base, dict):
            raise ConfigError("Base data must be a JSON object.")
        result = merge_query_params(schema, args.query, base)
        for issue in result.ignored:
            print(f"orch-tui: ignored {issue}", file=sys.stderr)
        print(json.dumps(result.data, indent=2, ensure_ascii=False))
        return EXIT_OK
    from orch_tui.core.forms import FormModel

    data = _read_json(args.data, "form data") if args.data else None
    if data is not None and not isinstance(data, dict):
        raise ConfigError("Form data must be a JSON object.")
    prefill = None
    if args.query:
        from orch_tui.core.prefill import merge_query_params

        prefill = merge_query_params(schema, args.query, data or {})
        data = prefill.data
    from orch_tui.core.forms import SchemaError

    try:
        model = FormModel(schema, data)
    except SchemaError as exc:
        raise ConfigError(f"{args.schema}: {exc.message}") from exc
    if args.describe:
        print(json.dumps(model.describe(), indent=2, ensure_ascii=False))
        return EXIT_OK
    return _form_playground(schema, data, prefill)


def _form_playground(schema: dict[str, Any], data: dict[str, Any] | None, prefill: Any = None) -> int:
    from orch_tui.ui.playground import run_playground

    payload = run_playground(schema, data, prefill=prefill)
    if payload is None:
        return EXIT_BACKEND
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    return EXIT_OK
