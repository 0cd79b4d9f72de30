"""Run a workflow: its input form (one page or a wizard), a review of what will be sent, Run."""

from __future__ import annotations

import copy
import json
from collections.abc import Collection
from enum import Enum
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, LoadingIndicator, Static
from textual.worker import Worker

from orch_tui.core.auth import missing_tokens_message, tokens_for
from orch_tui.core.backend import StartOutcome, StartPage, StartSession
from orch_tui.core.drafts import Draft
from orch_tui.core.formatting import relative_time, single_line
from orch_tui.core.forms.data import delete_in
from orch_tui.core.forms import Field, FieldError, FormModel, SchemaError, Step
from orch_tui.core.forms.dynamic import DynamicSession
from orch_tui.core.models import WorkflowOverview
from orch_tui.core.prefill import PrefillIssue
from orch_tui.ui.screens.base import OrchScreen
from orch_tui.ui.widgets.failure import PERMISSION_HINT, ErrorPanel, Failure, permission_lines
from orch_tui.ui.widgets.footer import OrchFooter
from orch_tui.ui.widgets.form import FormView, ReviewTable, path_title, problems_content
from orch_tui.ui.widgets.header import AppHeader

READ_ONLY_REASON = "read-only context: runs cannot be started"
REVIEW_TITLE = "Review"
RUN_FAILED_HINT = "Nothing was started. Your values are kept: fix them or press Run again."


class Page(Enum):
    LOADING = "loading"
    FAILED = "failed"
    NO_INPUT = "no-input"
    STEP = "step"
    REVIEW = "review"


def steps_content(titles: list[str], current: int, width: int | None = None) -> Content:
    """``Step 2 of 4 · Network  ○ Basics ● Network ○ Access ○ Review``.

    When that is wider than ``width``, the other steps are shown as dots only.
    """
    head = Content.assemble((f"Step {current + 1} of {len(titles)} · ", "bold"), (titles[current], "bold"), " ")
    full = head
    for index, title in enumerate(titles):
        full += Content(" ● " if index == current else " ○ ") + Content(title)
    if width is None or full.cell_length <= width:
        return full
    return head + Content(" " + " ".join("●" if index == current else "○" for index in range(len(titles))))


NOTICE_ID = "execute-link-notice"


def link_notice(applied: int, ignored: list[PrefillIssue], source: str = "the link") -> Content:
    """``2 fields prefilled from the link`` and each parameter that was not applied, with why."""
    lines: list[Content] = []
    if applied:
        noun = "field" if applied == 1 else "fields"
        lines.append(Content(f"{applied} {noun} prefilled from {source} (marked “prefilled”)."))
    if ignored:
        lines.append(Content.styled(f"Not applied from {source}:", "bold"))
        lines.extend(Content("  • ") + Content(str(issue)) for issue in ignored)
    return Content("\n").join(lines)


class ExecuteScreen(OrchScreen[str | None]):
    """The run form of one workflow; dismissed with the new run's id once it started."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="execute.close"),
        Binding("ctrl+b", "previous", "Back", id="execute.back"),
        Binding("ctrl+n", "next", "Next", id="execute.next"),
        Binding("ctrl+r", "run", "Run", id="execute.run"),
        Binding("r", "retry", "Retry", id="execute.retry"),
        Binding("ctrl+d", "restore_draft", "Restore draft", id="execute.restore-draft"),
    ]

    SCOPE_KEYS = False
    DRAFT_SAVE_INTERVAL = 2.0
    """Seconds between draft saves while the form is open (only when something changed)."""

    def __init__(
        self,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
        prefilled_paths: Collection[str] = frozenset(),
        resume_run_id: str | None = None,
    ) -> None:
        """``resume_run_id``: the form a suspended run of ``workflow_id`` awaits, instead of a start."""
        super().__init__(classes="execute")
        self.workflow_id = workflow_id
        self.resume_run_id = resume_run_id
        self.initial_data = initial_data
        self.target_entity = target_entity
        self.prefilled_paths = set(prefilled_paths)
        self.workflow: WorkflowOverview | None = None
        self.model: FormModel | None = None
        self.page = Page.LOADING
        self.step_key: str | None = None
        """The step on screen (``Page.STEP``); the last step seen otherwise."""
        self._starting = False
        self.session: StartSession | None = None
        """The form being filled in: its pages come from the backend (one, or one per round trip)."""
        self.start_page: StartPage | None = None
        """The session's page on screen; ``model`` is its form model."""
        self._draft: Draft | None = None
        """A saved draft the user has been offered and not yet restored."""
        self._draft_saved = ""
        self.dynamic: DynamicSession | None = None
        """Fetches of the form's dynamic widgets, kept while the form is open."""
        self._checking = False

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="execute-title")
        yield Static(id="execute-steps")
        body = VerticalScroll(id="execute-body")
        # The fields take the focus, never the body: a focus change on the body restyles all it
        # holds, which on a form of hundreds of fields costs a second.
        body.can_focus = False
        with body:
            yield Vertical(id="execute-error")
            yield Vertical(id="execute-page")
        with Horizontal(id="execute-actions"):
            yield Button("Back", id="execute-back", compact=True)
            yield Button("Next", id="execute-next", variant="primary", compact=True)
            yield Button("Run", id="execute-run", variant="success", compact=True)
            yield Static(id="execute-status")
        yield OrchFooter()

    def on_mount(self) -> None:
        self.workflow = self.orch_app.workflows.get(self.workflow_id)
        self.orch_app.permissions_changed.subscribe(self, lambda _p: self._update_chrome())
        self.query_one("#execute-error").display = False
        self._update_title()
        self._update_chrome()
        self._load()
        self.set_interval(self.DRAFT_SAVE_INTERVAL, self._save_draft)

    @property
    def form(self) -> FormView | None:
        forms = self.query_one("#execute-page").query_children(FormView)
        return forms.first() if forms else None

    # -- loading ---------------------------------------------------------------

    @work(exclusive=True, group="execute-load", exit_on_error=False, description="Loading the run form")
    async def _load(self) -> None:
        await self._show_page(Page.LOADING, LoadingIndicator())
        self.session, outcome = await self._open_session()
        if outcome.kind == "done" or outcome.page is None:
            self._finish(outcome.run_id)
            return
        page = await self._prepare_page(outcome.page)
        await self._show_start_page(page, first=True)

    async def _show_start_page(
        self, page: StartPage, *, first: bool = False, at_end: bool = False, errors: list[FieldError] | None = None
    ) -> None:
        """Show a page of the session: its first step (the last with ``at_end``), or its errors."""
        self.start_page = page
        if not first:
            self.prefilled_paths = set()  # what a link filled in belongs to the first page
        self._update_title()
        if page.empty:
            self.model = None
            notice = Static(Content("This workflow takes no input."), id="execute-no-input", classes="note")
            await self._show_page(Page.NO_INPUT, notice)
            return
        try:
            self.model = page.model()
        except SchemaError as error:
            self.model = None
            failure = Failure.from_exception(error)
            await self._show_page(Page.FAILED, ErrorPanel(failure, id="execute-schema-error", classes="error-panel"))
            return
        self.dynamic = self._dynamic_session()
        if first:
            self._draft_saved = self._draft_json()
            if self._keeps_drafts:
                self._offer_draft(explicit_data=self.initial_data is not None)
        if errors:
            await self._show_server_errors(errors)
            return
        steps = self._visible_steps()
        await self._show_step((steps[-1] if at_end else steps[0]).key if steps else "")

    @property
    def _keeps_drafts(self) -> bool:
        return self.session is not None and self.session.keeps_drafts and self.resume_run_id is None

    @property
    def _page_has_next(self) -> bool:
        """Another page follows the one on screen: Next on its last step submits it."""
        return self.start_page is not None and self.start_page.has_next is True

    @property
    def _can_go_back_page(self) -> bool:
        return self.session is not None and self.session.can_go_back and not self._starting

    # -- drafts ------------------------------------------------------------------

    def _draft_data(self) -> dict[str, Any]:
        """The form data worth keeping: everything but secrets (password fields)."""
        assert self.model is not None
        data = copy.deepcopy(self.model.data)
        secrets = [f.path for f in self.model.root.walk() if f.widget == "password"]
        for path in sorted(secrets, key=len, reverse=True):
            delete_in(data, path)
        return data

    def _draft_json(self) -> str:
        if self.model is None:
            return ""
        return json.dumps(self._draft_data(), sort_keys=True, default=str)

    def _offer_draft(self, *, explicit_data: bool) -> None:
        drafts = self.orch_app.drafts
        if drafts is None or explicit_data:
            return
        draft = drafts.load(self.orch_app.context_name, self.workflow_id)
        if draft is None or json.dumps(draft.data, sort_keys=True, default=str) == self._draft_saved:
            return
        self._draft = draft
        when = relative_time(draft.saved_at, self.orch_app.clock())
        self.notify(
            f"You have a draft of this form from {when}: ctrl+d restores it.",
            title="Draft available", timeout=10, markup=False,
        )
        self.refresh_bindings()

    def _save_draft(self) -> None:
        drafts = self.orch_app.drafts
        if drafts is None or self.model is None or self.page not in (Page.STEP, Page.REVIEW) or not self._keeps_drafts:
            return
        current = self._draft_json()
        if current == self._draft_saved:
            return
        self._draft_saved = current
        drafts.save(self.orch_app.context_name, self.workflow_id, self._draft_data(), now=self.orch_app.clock())

    async def action_restore_draft(self) -> None:
        draft, self._draft = self._draft, None
        if draft is None or self.start_page is None or self.start_page.empty:
            return
        self.model = self.start_page.model(draft.data)
        steps = self._visible_steps()
        await self._show_step(steps[0].key if steps else "")
        self.notify("Draft restored.", markup=False)
        self.refresh_bindings()

    async def show_prefill_notice(
        self, applied: int, ignored: list[PrefillIssue], source: str = "the link"
    ) -> None:
        """Above the form: how many fields query parameters filled, and which were not applied."""
        await self.query(f"#{NOTICE_ID}").remove()
        if not applied and not ignored:
            return
        notice = Static(link_notice(applied, ignored, source), id=NOTICE_ID, classes="link-notice")
        notice.set_class(bool(ignored), "-ignored")
        await self.query_one("#execute-body").mount(notice, before=self.query_one("#execute-page"))

    def _dynamic_session(self) -> DynamicSession | None:
        """Where the form's dynamic widgets send their requests: the backend the form came from."""
        backend = self.orch_app.backend
        return DynamicSession(backend.form_request, backend.form_environment())

    async def _open_session(self) -> tuple[StartSession, StartOutcome]:
        """The backend's form session for this workflow (or the suspended run), opened."""
        backend = self.orch_app.backend
        if self.resume_run_id is not None:
            session = await backend.resume_session(self.resume_run_id)
        else:
            self.workflow = await backend.get_workflow(self.workflow_id)
            self._update_title()
            session = await backend.start_session(
                self.workflow_id, initial_data=self.initial_data, target_entity=self.target_entity
            )
        outcome = await session.open()
        self.orch_app.link_succeeded()
        return session, outcome

    async def _prepare_page(self, page: StartPage) -> StartPage:
        """The first page before it is shown (a link's query parameters fill it)."""
        return page

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool:
        """Load failures replace the form; run failures go above it, keeping every value."""
        if worker.group == "execute-load":
            panel = ErrorPanel(failure, id="execute-load-error", classes="error-panel")
            self.run_worker(self._show_page(Page.FAILED, panel), exit_on_error=False)
            return True
        if worker.group == "execute-run":
            self.run_worker(self._show_run_error(failure), exit_on_error=False)
            return True
        return False

    # -- pages -----------------------------------------------------------------

    def _visible_steps(self) -> list[Step]:
        return list(self.model.visible_steps()) if self.model is not None else []

    async def _show_page(self, page: Page, widget: Widget) -> None:
        self.page = page
        body = self.query_one("#execute-page")
        with self.app.batch_update():
            await body.remove_children()
            await body.mount(widget)
        self.query_one("#execute-body", VerticalScroll).scroll_home(animate=False)
        self._update_chrome()

    async def _show_step(self, key: str, errors: list[FieldError] | None = None) -> None:
        assert self.model is not None
        step = next((step for step in self.model.steps() if step.key == key), None)
        if step is None:
            return
        self.step_key = key
        form = FormView(
            self.model, step.field, prefilled=self.prefilled_paths, dynamic=self.dynamic, id="execute-form"
        )
        await self._show_page(Page.STEP, form)
        if errors:
            form.show_errors(errors)
            self._focus_first_invalid(form)
        else:
            self._focus_first_field(form)

    async def _show_review(self, errors: list[FieldError] | None = None) -> None:
        assert self.model is not None
        review = Vertical(id="execute-review")
        problems = Static(id="execute-problems", classes="form-problems")
        problems.display = False
        await self._show_page(Page.REVIEW, review)
        await review.mount(problems, ReviewTable(self.model.review(), id="execute-review-table"))
        if errors:
            titles = [(path_title(self.model, error.path) or "Input", error.message) for error in errors]
            problems.update(problems_content(titles))
            problems.display = True
        self.query_one("#execute-run", Button).focus()

    def _focus_first_field(self, form: FormView) -> None:
        form.focus_first_field()

    def _focus_first_invalid(self, form: FormView) -> None:
        form.focus_first_error()

    # -- chrome: title, step indicator, buttons --------------------------------

    def _update_title(self) -> None:
        name = self.workflow.display_name if self.workflow is not None else self.workflow_id
        if self.resume_run_id is not None:
            title = Content.assemble(("Runs › ", "dim"), single_line(name), (" › Resume", "dim"))
        else:
            title = Content.assemble(("Workflows › ", "dim"), single_line(name), (" › Run", "dim"))
        if self.target_entity:
            title += Content.assemble((" for ", "dim"), single_line(self.target_entity))
        page = self.start_page
        if page is not None and (page.index > 0 or page.has_next):
            title += Content.assemble((" · page ", "dim"), str(page.index + 1))
            if page.title:
                title += Content.assemble((": ", "dim"), single_line(page.title, 60))
        self.query_one("#execute-title", Static).update(title)

    def _step_titles(self) -> list[str]:
        titles = []
        steps = self._visible_steps()
        page_title = self.start_page.title if self.start_page is not None else ""
        for step in steps:
            # A server page is one step: the page's title names it (its schema's may say "unknown").
            title = page_title if page_title and len(steps) == 1 else step.title or step.key or "Input"
            titles.append(single_line(title, 30))
        return titles if self._page_has_next else [*titles, REVIEW_TITLE]

    def _next_key(self) -> str | None:
        """The visible step after the one on screen, or None when the review comes next."""
        if self.model is None:
            return None
        order = [step.key for step in self.model.steps()]
        visible = {step.key for step in self._visible_steps()}
        position = order.index(self.step_key) if self.step_key in order else -1
        return next((key for key in order[position + 1 :] if key in visible), None)

    def _previous_key(self) -> str | None:
        """The visible step before the page on screen, or None on the first step."""
        if self.model is None:
            return None
        visible = [step.key for step in self._visible_steps()]
        if self.page is Page.REVIEW:
            return visible[-1] if visible else None
        order = [step.key for step in self.model.steps()]
        position = order.index(self.step_key) if self.step_key in order else 0
        return next((key for key in reversed(order[:position]) if key in visible), None)

    def _update_chrome(self) -> None:
        steps = self.query_one("#execute-steps", Static)
        back = self.query_one("#execute-back", Button)
        next_button = self.query_one("#execute-next", Button)
        run = self.query_one("#execute-run", Button)
        status = self.query_one("#execute-status", Static)
        page = self.page

        titles = self._step_titles() if self.model is not None else []
        width = self.size.width - 2 if self.size.width else None
        if page is Page.STEP and titles:
            keys = [step.key for step in self._visible_steps()]
            current = keys.index(self.step_key) if self.step_key in keys else 0
            steps.update(steps_content(titles, current, width))
        elif page is Page.REVIEW and titles:
            steps.update(steps_content(titles, len(titles) - 1, width))
        steps.display = page in (Page.STEP, Page.REVIEW)

        self.query_one("#execute-actions").display = page in (Page.STEP, Page.REVIEW, Page.NO_INPUT)
        back.display = page in (Page.STEP, Page.REVIEW)
        back.disabled = self._previous_key() is None and not self._can_go_back_page
        next_button.display = page is Page.STEP
        next_button.label = "Next" if self._next_key() is not None or self._page_has_next else "Review"
        # A read-only context offers no Run at all; a denied one shows it greyed with the reason.
        run.display = page in (Page.REVIEW, Page.NO_INPUT) and not self.orch_app.read_only
        denied = self.orch_app.run_denied(self.workflow_id)
        run.disabled = bool(denied) or self._starting
        if self.orch_app.read_only:
            status.update(Content("Cannot run: ") + Content(READ_ONLY_REASON))
        elif denied and page in (Page.REVIEW, Page.NO_INPUT):
            status.update(Content("Cannot run: ") + Content(denied))
        elif self._starting:
            status.update(Content("Sending the page…" if self._page_has_next else "Starting run…"))
        elif self._checking:
            status.update(Content("Checking with the validation service…"))
        elif page is Page.REVIEW:
            status.update(Content("Check the values, then Run."))
        else:
            status.update(Content(""))
        self.refresh_bindings()

    def on_resize(self) -> None:
        self._update_chrome()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter moves on to the next field, as in a web form, without sending anything.
        event.stop()
        self.focus_next()

    @on(FormView.StructureChanged)
    def _structure_changed(self) -> None:
        self._update_chrome()

    # -- actions ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        page = self.page
        if action == "restore_draft":
            return self._draft is not None and page in (Page.STEP, Page.REVIEW)
        if action == "retry":
            return page is Page.FAILED
        if action == "next":
            return page is Page.STEP
        if action == "previous":
            if page not in (Page.STEP, Page.REVIEW):
                return False
            return True if self._previous_key() is not None or self._can_go_back_page else None
        if action == "run":
            if page not in (Page.STEP, Page.REVIEW, Page.NO_INPUT):
                return False
            if self.orch_app.read_only and page is not Page.STEP:
                return False
            return None if self._run_blocked() is not None else True
        return True

    def _run_blocked(self) -> str | None:
        """Why Run cannot be pressed now, or None.  From a step, Run only leads to the review."""
        if self.page is Page.STEP:
            return None
        if self.orch_app.read_only:
            return READ_ONLY_REASON
        if denied := self.orch_app.run_denied(self.workflow_id):
            return denied
        if self._starting:
            return "the run is being started"
        if self._checking:
            return "the form is being checked"
        return None

    def on_key(self, event: events.Key) -> None:
        # A greyed-out binding never reaches its action: say why instead of doing nothing.
        if event.key == "ctrl+r" and self.page in (Page.REVIEW, Page.NO_INPUT) and (why := self._run_blocked()):
            event.stop()
            self.notify(f"Cannot run: {why}", markup=False, severity="warning")

    @on(Button.Pressed, "#execute-back")
    async def action_previous(self) -> None:
        key = self._previous_key()
        if key is not None:
            await self._show_step(key)
        elif self._can_go_back_page:
            self._back_page()

    @work(exclusive=True, group="execute-run", exit_on_error=False, description="Going back a page")
    async def _back_page(self) -> None:
        assert self.session is not None
        await self._clear_run_error()
        page = await self.session.back()
        await self._show_start_page(page, at_end=True)

    @on(Button.Pressed, "#execute-next")
    async def action_next(self) -> None:
        form = self.form
        if self.page is not Page.STEP or self.model is None or form is None:
            return
        errors = self.model.validate(step=self.step_key)
        if errors:
            form.show_errors(errors)
            self._focus_first_invalid(form)
            return
        checked = self._remote_checks(step=self.step_key)
        if checked:
            self._check(checked, then="next")
            return
        form.clear_errors()
        await self._advance()

    async def _advance(self) -> None:
        key = self._next_key()
        if key is None and self._page_has_next and self.model is not None:
            # The server checks this page and answers with the next one: nothing starts yet.
            self._start(self.model.payload())
        elif key is None:
            await self._show_review()
        else:
            await self._show_step(key)

    def _remote_checks(self, step: str | None = None) -> list[Field]:
        """Visible fields (of one step, or all) that ask a validation service (``validate:url``)."""
        if self.model is None or self.dynamic is None:
            return []
        return [
            field
            for field in self.model.root.walk()
            if field.dynamic is not None
            and field.dynamic.validate is not None
            and not field.hidden
            and (step is None or field.step == step)
        ]

    @work(exclusive=True, group="execute-check", exit_on_error=False, description="Checking the form")
    async def _check(self, fields: list[Field], then: str) -> None:
        """Ask the validation services, then move on (``next``) or start the run (``run``)."""
        assert self.model is not None and self.dynamic is not None
        self._checking = True
        self._update_chrome()
        try:
            errors = await self.dynamic.validate(self.model, fields)
        finally:
            self._checking = False
            self._update_chrome()
        form = self.form
        if errors and then == "next" and form is not None and all(e.step == self.step_key for e in errors):
            # Errors of the step on screen: shown in place, nothing typed is rebuilt.
            form.show_errors(errors)
            self._focus_first_invalid(form)
        elif errors:
            await self._show_errors(errors)
        elif then == "next":
            if self.form is not None:
                self.form.clear_errors()
            await self._advance()
        else:
            self._start(self.model.payload())

    @on(Button.Pressed, "#execute-run")
    async def action_run(self) -> None:
        if (why := self._run_blocked()) is not None:
            self.notify(f"Cannot run: {why}", markup=False, severity="warning")
            return
        if self.page is Page.NO_INPUT:
            self._start({})
            return
        if self.model is None or self.page not in (Page.STEP, Page.REVIEW):
            return
        if self.page is Page.STEP and self._page_has_next:
            await self.action_next()  # a page with a next page is never run from
            return
        errors = self.model.validate()
        if errors:
            await self._show_errors(errors)
            return
        if self.page is Page.STEP:
            # The request is never sent before the user has seen what it contains.
            await self._show_review()
            return
        checked = self._remote_checks()
        if checked:
            self._check(checked, then="run")
            return
        self._start(self.model.payload())

    async def _show_errors(self, errors: list[FieldError]) -> None:
        """Go to the first step with an error and show that step's errors."""
        visible = {step.key for step in self._visible_steps()}
        if len(visible) == 1 and self.model is not None and len(self.model.steps()) == 1:
            # A one-step form (a server page): every error, the page's own ones too, belongs to it.
            only = next(iter(visible))
            errors = [e if e.step == only else FieldError(e.path, e.message, only) for e in errors]
        for error in errors:
            if error.step in visible:
                await self._show_step(error.step, [e for e in errors if e.step == error.step])
                return
        # Errors only in steps the user cannot see: list them on the review.
        await self._show_review(errors)

    def action_retry(self) -> None:
        self._load()

    def action_close(self) -> None:
        self._save_draft()
        self.dismiss(None)

    # -- running -----------------------------------------------------------------

    @work(exclusive=True, group="execute-run", exit_on_error=False, description="Starting the run")
    async def _start(self, payload: dict[str, Any]) -> None:
        self._starting = True
        await self._clear_run_error()
        self._update_chrome()
        try:
            await self._submit(payload)
        finally:
            self._starting = False
            self._update_chrome()

    async def _submit(self, payload: dict[str, Any]) -> None:
        """Send the page: the next page, the server's errors, or the run started and followed."""
        assert self.session is not None
        descriptors = self.model.auth_token_descriptors() if self.model is not None else []
        tokens, missing = tokens_for(descriptors, self.orch_app.provider_tokens)
        if missing:
            self.notify(missing_tokens_message(missing, "the run starts without it"), severity="warning", markup=False)
        outcome = await self.session.submit(payload, auth_tokens=tokens or None)
        if outcome.kind == "done":
            self._finish(outcome.run_id)
        elif outcome.kind == "page" and outcome.page is not None:
            await self._show_start_page(outcome.page)
        else:
            await self._show_server_errors(outcome.errors)

    async def _show_server_errors(self, errors: list[FieldError]) -> None:
        """The server refused the page: its errors at their fields, page-wide ones at the top."""
        if self.model is None:
            return
        found = errors or [FieldError((), "The page was refused.", "")]
        await self._show_errors(found)

    def _finish(self, run_id: str | None) -> None:
        """The run started (or resumed): no draft is kept, the console follows the run."""
        if self._keeps_drafts and self.orch_app.drafts is not None:
            self.orch_app.drafts.clear(self.orch_app.context_name, self.workflow_id)
        self._draft_saved = self._draft_json()
        run_id = run_id or self.resume_run_id or ""
        if self.resume_run_id is not None:
            self.notify(f"Resumed run {run_id}", title="Run resumed", markup=False)
        else:
            self.notify(f"Started run {run_id}", title="Run started", markup=False)
        self._after_run(run_id)

    def _after_run(self, run_id: str) -> None:
        """Once a run has started, the console follows it: the form gives way to the run."""
        if not self.is_current:
            return
        self.dismiss(run_id)
        if self.resume_run_id is None and run_id:
            self.orch_app.open_run(run_id)

    async def _show_run_error(self, failure: Failure) -> None:
        holder = self.query_one("#execute-error")
        await holder.remove_children()
        if failure.denied:
            await holder.mount(
                Static(Content("⊘ ") + Content(failure.title), classes="error-title"),
                *permission_lines(failure),
                Static(Content("Nothing was started. " + PERMISSION_HINT), classes="error-hint"),
            )
        else:
            await holder.mount(
                Static(Content("✖ ") + Content(failure.title), classes="error-title"),
                Static(Content(failure.message), classes="error-message"),
                Static(Content(RUN_FAILED_HINT), classes="error-hint"),
            )
        holder.add_class("error-panel")
        holder.set_class(failure.denied, "permission-panel")
        holder.display = True
        self.query_one("#execute-body", VerticalScroll).scroll_home(animate=False)

    async def _clear_run_error(self) -> None:
        holder = self.query_one("#execute-error")
        await holder.remove_children()
        holder.display = False
