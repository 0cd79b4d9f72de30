"""Value types of the form model: fields, steps, errors, review rows and the MISSING marker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any, Final, Self, cast

from orch_tui.core.errors import OrchError

if TYPE_CHECKING:
    from orch_tui.core.forms.dynamic import DynamicProps
    from orch_tui.core.forms.schema import Resolved

PathKey = str | int
Path = tuple[PathKey, ...]


class _Missing:
    """The absence of a value (distinct from JSON ``null``)."""

    _instance: Any = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cast(Self, cls._instance)

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> _Missing:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Missing:
        return self

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()


class SchemaError(OrchError):
    """The workflow's input schema cannot be turned into a form."""

    title = "Invalid input schema"

    def __init__(self, message: str, *, pointer: str | None = None) -> None:
        super().__init__(message)
        self.pointer = pointer


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of an enum, a multi-select or a oneOf/anyOf selector."""

    value: Any
    label: str


@dataclass(frozen=True, slots=True)
class FieldError:
    """A validation problem attached to the field at ``path``.

    ``step`` is the key of the step holding the field (``""`` in a single-step form) or ``None``
    for problems outside every step (the root of a multi-step form).
    """

    path: Path
    message: str
    step: str | None


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One line of the review table; headings (objects, list items) have ``value == ""``."""

    depth: int
    title: str
    value: str
    path: Path


@dataclass(frozen=True, slots=True)
class BuildContext:
    """Where a field sits: its step, what it inherits, and the $refs expanded above it."""

    step: str | None
    step_path: Path
    ancestors: frozenset[str]
    parent_hidden: bool
    template: bool
    depth: int


@dataclass(eq=False, slots=True)
class Field:
    """One node of the form tree built for the current data.

    Groups (``object``, ``choice``) hold ``children``; lists (``array``, ``key_value``) hold one
    field per current entry in ``items`` and a template for new entries in ``item``.
    """

    path: Path
    pointer: str
    key: PathKey
    title: str
    kind: str = "string"
    widget: str = "text"
    description: str | None = None
    required: bool = False
    nullable: bool = False
    read_only: bool = False
    default: Any = MISSING
    format: str | None = None
    placeholder: str | None = None
    help: str | None = None
    autofocus: bool = False
    options: list[Option] = dc_field(default_factory=list)
    constraints: dict[str, Any] = dc_field(default_factory=dict)
    children: list[Field] = dc_field(default_factory=list)
    item: Field | None = None
    items: list[Field] = dc_field(default_factory=list)
    selected_branch: int | None = None
    note: str | None = None
    hidden: bool = False
    input_help: str | None = None
    schema: dict[str, Any] = dc_field(default_factory=dict)
    #: Key of the step the field belongs to (``""`` in single-step forms, ``None`` for the root
    #: of a multi-step form).
    step: str | None = None
    #: A virtual field (``ui:widget: AuthRequester``): never part of the payload or the review.
    virtual: bool = False
    #: ``ui:props.authTokenDescriptors`` of an AuthRequester field.
    auth_descriptors: list[Any] = dc_field(default_factory=list)
    #: ``ui:props`` of an orchestrator dynamic widget (ActiveTextInput, SchemaUpdater, ...).
    dynamic: DynamicProps | None = None
    #: A recursive (or too deeply nested) node that is not expanded; ``note`` says why.
    collapsed: bool = False
    #: What a display-only field (``kind == "display"``, pydantic-forms pages) shows: the label
    #: text, ``{"content", "color"}`` of markdown, ``{"header", "message", ...}`` of a callout,
    #: ``{"headers", "labels", "columns"}`` of a summary, a hidden field's value.
    display: Any = None
    _raw: Any = dc_field(default=None, repr=False)
    _ctx: BuildContext | None = dc_field(default=None, repr=False)
    _child_ctx: BuildContext | None = dc_field(default=None, repr=False)
    _branches: list[tuple[int, Resolved, Any]] = dc_field(default_factory=list, repr=False)
    _omit: Any = dc_field(default=None, repr=False)
    _item_raw: Any = dc_field(default=None, repr=False)
    _item_pointer: str = dc_field(default="", repr=False)

    @property
    def is_leaf(self) -> bool:
        """True for input fields: everything but objects, choices over objects and lists of objects."""
        if self.kind in ("object", "choice"):
            return False
        if self.kind == "array":
            return self.item is None or self.item.kind not in ("object", "choice", "array", "key_value")
        return True

    @property
    def is_template(self) -> bool:
        return self._ctx is not None and self._ctx.template

    def walk(self) -> Iterator[Field]:
        """This field and every descendant (children and current items, not templates)."""
        yield self
        for child in self.children:
            yield from child.walk()
        for entry in self.items:
            yield from entry.walk()


@dataclass(frozen=True, slots=True)
class Step:
    """One page of the form; single-step forms have one step with key ``""``."""

    key: str
    title: str
    field: Field
    hidden: bool
