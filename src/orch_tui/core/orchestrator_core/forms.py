"""orchestrator-core's paged forms as a session: start a workflow, or resume a suspended process.

The protocol (pydantic-forms over HTTP): the client always sends the *whole* list of pages filled
so far; the server replays the form from the start and answers

* **510** ``FormNotCompleteError`` with the next page (``form``: JSON Schema, ``meta``:
  ``hasNext``, ``customButtons``, or ``null``);
* **400** ``FormValidationError`` with ``validation_errors`` (``loc`` relative to the failing page,
  ``["__root__"]`` for the page as a whole);
* **201** ``{"id"}`` when a start is complete (the process runs at once), **204** when a resume is.

Going back is client-side: drop the last page and post the rest again.  A resume starts from the
process's ``form`` (posting an empty list to a suspended process is a 400, not a 510).

Nothing here renders anything: :meth:`FormPage.model` gives the console's
:class:`~orch_tui.core.forms.FormModel` of a page, whose ``payload()`` is what :meth:`submit` takes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from orch_tui.core import errors
from orch_tui.core.backend import StartOutcome, StartPage
from orch_tui.core.forms import FieldError, FormModel
from orch_tui.core.forms.data import deep_copy
from orch_tui.core.forms.pydantic_forms import DIALECT, server_errors


@dataclass(frozen=True)
class FormReply:
    """One answer of the form endpoint: its HTTP status and JSON body."""

    status: int
    body: Any


Poster = Callable[[list[dict[str, Any]]], Awaitable[FormReply]]


@dataclass(frozen=True)
class FormPage:
    """One page of a paged form."""

    index: int
    """Position of the page in the page list (0 = the first page of the form)."""
    schema: dict[str, Any]
    meta: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    """What the page starts with: a prefill, or what was entered before going back."""
    title: str = ""
    labels: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def has_next(self) -> bool | None:
        """``meta.hasNext``: False on the last page (label the button Submit), None when unknown."""
        value = (self.meta or {}).get("hasNext")
        return value if isinstance(value, bool) else None

    @property
    def buttons(self) -> dict[str, Any]:
        """``meta.customButtons`` (``{"next": {"text", "color"}, "previous": {...}}``)."""
        value = (self.meta or {}).get("customButtons")
        return dict(value) if isinstance(value, Mapping) else {}

    def button_text(self, which: Literal["next", "previous"]) -> str | None:
        button = self.buttons.get(which)
        text = button.get("text") if isinstance(button, Mapping) else None
        return text if isinstance(text, str) and text else None

    @property
    def properties(self) -> list[str]:
        props = self.schema.get("properties")
        return list(props) if isinstance(props, dict) else []

    def model(self) -> FormModel:
        """The page as a form model (pydantic-forms dialect), filled with :attr:`data`."""
        return FormModel(self.schema, deep_copy(self.data) if self.data else None, dialect=DIALECT, labels=self.labels)


@dataclass(frozen=True)
class FormOutcome:
    """What a post of the pages led to."""

    kind: Literal["page", "invalid", "done"]
    page: FormPage | None = None
    """The page to show (``page``), or the page the errors belong to (``invalid``)."""
    errors: list[FieldError] = field(default_factory=list)
    process_id: str | None = None
    """The process started (``done`` of a start) or resumed (``done`` of a resume)."""

    @property
    def messages(self) -> list[str]:
        return [f"{'.'.join(str(p) for p in e.path)}: {e.message}" if e.path else e.message for e in self.errors]


def page_title(schema: Mapping[str, Any], fallback: str) -> str:
    """The page's title; pydantic-forms' generated pages say ``unknown``."""
    title = schema.get("title")
    if isinstance(title, str) and title.strip() and title != "unknown":
        return title
    props = schema.get("properties")
    names = list(props) if isinstance(props, Mapping) else []
    if names == ["product"]:
        return "Choose a product"
    if names and names[0] == "subscription_id":
        return "Choose a subscription"
    return fallback


class FormSession:
    """A paged form in progress (see the module docstring)."""

    def __init__(
        self,
        post: Poster,
        *,
        mode: Literal["start", "resume"],
        target: str,
        title: str = "",
        initial_pages: list[dict[str, Any]] | None = None,
        first_page: dict[str, Any] | None = None,
        labels: Mapping[str, Any] | None = None,
        confirm_prefilled: bool = False,
    ) -> None:
        """``target`` is the workflow name (start) or the process id (resume); ``initial_pages``
        are prefilled pages posted without being shown (e.g. ``[{"product": id}]`` or
        ``[{"subscription_id": id}]``); ``first_page`` is a suspended process's ``form``.

        ``confirm_prefilled`` shows the last prefilled page (filled in) instead of posting it, so
        that a form the prefill completes (validate workflows) does not start on :meth:`open`.
        """
        if mode == "resume" and first_page is None:
            raise errors.BadRequest(f"Process {target} awaits no input (it has no form).")
        self._post = post
        self.mode = mode
        self.target = target
        self.title = title or target
        self.labels = labels
        self._initial = [dict(page) for page in initial_pages or []]
        self._first = first_page
        self._confirm = confirm_prefilled and bool(self._initial)
        self.pages: list[dict[str, Any]] = []
        """The pages accepted so far (prefilled ones included)."""
        self.current: FormPage | None = None
        self.process_id: str | None = None
        self.done = False
        self._floor = 0

    # -- walking the form ---------------------------------------------------------------------

    async def open(self) -> FormOutcome:
        """Post the prefilled pages (start) or show the awaited input (resume)."""
        if self.mode == "resume":
            assert self._first is not None
            self.current = self._page(0, self._first, None, None)
            return FormOutcome("page", self.current)
        pages = self._initial[:-1] if self._confirm else list(self._initial)
        reply = await self._post(pages)
        if reply.status == 400:
            found = server_errors(_validation_errors(reply.body))
            details = "; ".join(f"{'.'.join(map(str, e.path))}: {e.message}" if e.path else e.message for e in found)
            raise errors.BadRequest(f"The prefilled form input was refused: {details or _detail(reply.body)}", status=400)
        self.pages = pages
        self._floor = len(pages)
        prefill = self._initial[-1] if self._confirm else None
        return self._advance(reply, prefill)

    async def submit(self, data: Mapping[str, Any]) -> FormOutcome:
        """Post every page so far plus ``data`` (the current page's payload)."""
        if self.done or self.current is None:
            raise errors.BadRequest("This form is finished; open a new one.")
        page = dict(data)
        reply = await self._post([*self.pages, page])
        if reply.status == 400:
            found = server_errors(_validation_errors(reply.body), self.current.properties)
            if not found:
                found = [FieldError((), _detail(reply.body) or "The form was refused", "")]
            return FormOutcome("invalid", self.current, found)
        self.pages.append(page)
        return self._advance(reply, None)

    @property
    def can_go_back(self) -> bool:
        return not self.done and self.current is not None and len(self.pages) > self._floor

    async def back(self) -> FormPage:
        """Drop the last page and show it again, filled with what was entered."""
        if not self.can_go_back:
            raise errors.BadRequest("There is no earlier page to go back to.")
        dropped = self.pages.pop()
        if self.mode == "resume" and not self.pages:
            assert self._first is not None
            self.current = self._page(0, self._first, None, dropped)
            return self.current
        reply = await self._post(list(self.pages))
        if reply.status != 510:
            self.pages.append(dropped)
            raise errors.MalformedResponse(f"Expected the earlier form page (510), got HTTP {reply.status}.")
        outcome = self._advance(reply, dropped)
        assert outcome.page is not None
        return outcome.page

    # -- replies ------------------------------------------------------------------------------

    def _advance(self, reply: FormReply, data: dict[str, Any] | None) -> FormOutcome:
        body = reply.body if isinstance(reply.body, dict) else {}
        if reply.status == 510:
            schema = body.get("form")
            if not isinstance(schema, dict):
                raise errors.MalformedResponse("A 510 form answer without a form schema.")
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else None
            self.current = self._page(len(self.pages), schema, meta, data)
            return FormOutcome("page", self.current)
        if reply.status in (200, 201, 204):
            self.done = True
            self.current = None
            process_id = body.get("id") if isinstance(body.get("id"), str) else None
            self.process_id = process_id or (self.target if self.mode == "resume" else None)
            return FormOutcome("done", process_id=self.process_id)
        raise errors.MalformedResponse(f"Unexpected form answer HTTP {reply.status}.")

    def _page(
        self, index: int, schema: dict[str, Any], meta: dict[str, Any] | None, data: dict[str, Any] | None
    ) -> FormPage:
        return FormPage(index, schema, meta, data, page_title(schema, self.title), self.labels)


def _validation_errors(body: Any) -> list[Any]:
    if isinstance(body, dict) and isinstance(body.get("validation_errors"), list):
        return list(body["validation_errors"])
    return []


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail.strip().splitlines()[0] if detail.strip() else ""
    return ""


class CoreStartSession:
    """A :class:`FormSession` as the console's :class:`~orch_tui.core.backend.StartSession`:
    each server page a :class:`~orch_tui.core.backend.StartPage` (pydantic-forms dialect).

    ``initial_data`` ("Run again") fills the fields of a page that arrives without data; provider
    tokens are not sent (orchestrator-core takes none)."""

    keeps_drafts = False

    def __init__(self, form: FormSession, initial_data: Mapping[str, Any] | None = None) -> None:
        self.form = form
        self.title = form.title
        self._initial = dict(initial_data or {})

    def _page(self, page: FormPage | None) -> StartPage | None:
        if page is None:
            return None
        data = page.data
        if data is None and self._initial:
            data = {key: deep_copy(self._initial[key]) for key in page.properties if key in self._initial} or None
        return StartPage(
            page.schema, data, title=page.title, index=page.index, has_next=page.has_next,
            next_text=page.button_text("next"), dialect=DIALECT, labels=page.labels,
        )

    def _outcome(self, outcome: FormOutcome) -> StartOutcome:
        return StartOutcome(outcome.kind, self._page(outcome.page), list(outcome.errors), outcome.process_id)

    @property
    def current(self) -> StartPage | None:
        return self._page(self.form.current)

    @property
    def can_go_back(self) -> bool:
        return self.form.can_go_back

    async def open(self) -> StartOutcome:
        return self._outcome(await self.form.open())

    async def submit(self, data: Mapping[str, Any], *, auth_tokens: Any = None) -> StartOutcome:
        return self._outcome(await self.form.submit(data))

    async def back(self) -> StartPage:
        page = self._page(await self.form.back())
        assert page is not None
        return page
