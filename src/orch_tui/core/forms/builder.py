"""Builds the :class:`Field` tree of a schema for the current data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from orch_tui.core.formatting import clean_text
from orch_tui.core.forms.choices import (
    Branch,
    auto_select,
    branch_labels,
    branches_of,
    choice_keyword,
    const_options,
    discriminators,
)
from orch_tui.core.forms.conditions import evaluate, when_paths
from orch_tui.core.forms.data import get_in, number_text, split_dot_path, value_text
from orch_tui.core.forms.defaults import item_location
from orch_tui.core.forms.dynamic import DISPLAY_ONLY, DYNAMIC_WIDGETS, DynamicFieldError, DynamicProps
from orch_tui.core.forms.fields import MISSING, BuildContext, Field, Option, Path, SchemaError, Step
from orch_tui.core.forms.pydantic_forms import DIALECT as PYDANTIC_FORMS
from orch_tui.core.forms.pydantic_forms import DISPLAY_KEY
from orch_tui.core.forms.schema import (
    JSON_TYPES,
    Resolved,
    SchemaResolver,
    child_pointer,
    infer_type,
    merge_over,
    ordered_keys,
    type_of,
    ui_settings,
)
from orch_tui.core.forms.validation import SchemaTools, pattern_compiles

MAX_DEPTH = 48
STRUCTURAL_KINDS = frozenset({"object", "array", "choice", "key_value"})

CONSTRAINT_KEYS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)

FORMAT_WIDGETS = {
    "date": "date",
    "date-time": "datetime",
    "email": "email",
    "idn-email": "email",
    "uri": "uri",
    "url": "uri",
    "iri": "uri",
    "uri-reference": "uri",
    "iri-reference": "uri",
}

FORMAT_HELP = {
    "date": "YYYY-MM-DD",
    "date-time": "YYYY-MM-DDTHH:MM:SSZ (or an offset such as +02:00)",
    "time": "HH:MM:SS",
    "email": "e.g. name@example.com",
    "idn-email": "e.g. name@example.com",
    "uri": "https://…",
    "url": "https://…",
    "iri": "https://…",
    "uri-reference": "a URL or a path",
    "iri-reference": "a URL or a path",
    "uuid": "8-4-4-4-12 hex digits",
    "ipv4": "e.g. 192.0.2.10",
    "ipv6": "e.g. 2001:db8::10",
    "hostname": "e.g. host.example.com",
    "idn-hostname": "e.g. host.example.com",
    "regex": "a regular expression",
    "json-pointer": "e.g. /path/to/value",
}

_STRING_WIDGETS = {
    "text": "text",
    "password": "password",
    "textarea": "textarea",
    "email": "email",
    "uri": "uri",
    "url": "uri",
    "date": "date",
    "datetime": "datetime",
    "date-time": "datetime",
    "alt-date": "date",
    "alt-datetime": "datetime",
}
_CHOICE_WIDGETS = {"select": "select", "radio": "radio"}
_BOOLEAN_WIDGETS = {"switch": "switch", "checkbox": "switch", "radio": "radio", "select": "select"}
_NUMBER_WIDGETS = ("updown", "range", "text", "number", "integer")
_MULTI_WIDGETS = {"checkboxes": "checkboxes", "select": "checkboxes"}
#: The form library's own widget names: silently ignored where they do not fit the type.
_STANDARD_WIDGETS = frozenset(
    {
        "text",
        "password",
        "textarea",
        "email",
        "uri",
        "url",
        "date",
        "datetime",
        "date-time",
        "alt-date",
        "alt-datetime",
        "select",
        "radio",
        "checkbox",
        "checkboxes",
        "switch",
        "updown",
        "range",
        "hidden",
        "number",
        "integer",
    }
)

Lookup = Callable[[str], Any]


def _text(value: Any) -> str | None:
    """Text from a schema, cleaned of terminal control characters (None when there is none)."""
    return clean_text(value) or None if isinstance(value, str) and value else None


def constraints_of(schema: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in CONSTRAINT_KEYS:
        if key in schema:
            value = schema[key]
            if key.startswith("exclusive") and isinstance(value, bool):
                continue
            found[key] = value
    return found


def number_help(kind: str, constraints: dict[str, Any]) -> str:
    text = "Whole number" if kind == "integer" else "Number"
    low = constraints.get("minimum")
    high = constraints.get("maximum")
    low_ex = constraints.get("exclusiveMinimum")
    high_ex = constraints.get("exclusiveMaximum")
    if low is not None and high is not None:
        text += f" from {number_text(low)} to {number_text(high)}"
    else:
        bounds = []
        if low is not None:
            bounds.append(f"≥ {number_text(low)}")
        if low_ex is not None:
            bounds.append(f"> {number_text(low_ex)}")
        if high is not None:
            bounds.append(f"≤ {number_text(high)}")
        if high_ex is not None:
            bounds.append(f"< {number_text(high_ex)}")
        if bounds:
            text += " " + ", ".join(bounds)
    if constraints.get("multipleOf") is not None:
        text += f", multiple of {number_text(constraints['multipleOf'])}"
    return text


def enum_options(schema: dict[str, Any], pointer: str) -> tuple[list[Option], bool]:
    """Options of an ``enum`` (labels from ``enumNames``/``ui:enumNames``) and whether it allows null."""
    values = schema.get("enum")
    if not isinstance(values, list):
        raise SchemaError(f"enum at {pointer} must be a list", pointer=pointer)
    names = schema.get("enumNames")
    if not isinstance(names, list):
        names = ui_settings(schema).get("enumNames")
    if not isinstance(names, list):
        names = []
    options: list[Option] = []
    nullable = False
    for index, value in enumerate(values):
        if value is None:
            nullable = True
            continue
        label = names[index] if index < len(names) and names[index] is not None else value_text(value)
        options.append(Option(value, clean_text(str(label))))
    return options, nullable


def when_lookup(data: Any, step_path: Path) -> Lookup:
    """Reads a ``when`` dot-path: in the step's own data first, then from the root."""

    def lookup(text: str) -> Any:
        segments = split_dot_path(text)
        if step_path:
            value = get_in(data, step_path + segments)
            if value is not MISSING:
                return value
        return get_in(data, segments)

    return lookup


@dataclass(slots=True)
class BuiltTree:
    root: Field
    multi_step: bool
    steps: list[Step]
    index: dict[Path, Field]
    watch: set[Path]
    choices: dict[Path, tuple[int, bool]]
    discriminators: dict[Path, frozenset[Path]]
    object_choices: set[Path]
    order: dict[Path, int]
    signature: list[Any]


class TreeBuilder:
    """One pass over the schema and the data.

    ``remembered`` holds branch selections from earlier passes (``(index, explicit)`` by path).
    """

    def __init__(
        self,
        resolver: SchemaResolver,
        tools: SchemaTools,
        data: Any,
        remembered: dict[Path, tuple[int, bool]],
        dialect: str | None = None,
    ) -> None:
        self.dialect = dialect
        self.resolver = resolver
        self.tools = tools
        self.data = data
        self.remembered = remembered
        self.index: dict[Path, Field] = {}
        self.watch: set[Path] = set()
        self.choices: dict[Path, tuple[int, bool]] = {}
        self.discriminators: dict[Path, frozenset[Path]] = {}
        self.object_choices: set[Path] = set()
        self.multi = False

    # -- entry point ---------------------------------------------------------------------

    def build(self, root_schema: dict[str, Any]) -> BuiltTree:
        resolved = self.resolver.resolve(root_schema, "#", self.data)
        self.multi = self._is_multi_step(resolved)
        ctx = BuildContext(
            step=None if self.multi else "",
            step_path=(),
            ancestors=frozenset(),
            parent_hidden=False,
            template=False,
            depth=0,
        )
        root_title = _text(resolved.schema.get("title")) or ""
        root = self._node(resolved, root_schema, "#", (), "", self.data, False, ctx, root_title)
        steps = self._steps(root)
        self._autofocus(steps)
        order: dict[Path, int] = {}
        signature: list[Any] = [self.multi, [(s.key, s.title, s.hidden) for s in steps]]
        for position, field in enumerate(root.walk()):
            order.setdefault(field.path, position)
            signature.append(_signature(field))
        return BuiltTree(
            root=root,
            multi_step=self.multi,
            steps=steps,
            index=self.index,
            watch=self.watch,
            choices=self.choices,
            discriminators=self.discriminators,
            object_choices=self.object_choices,
            order=order,
            signature=signature,
        )

    def _is_multi_step(self, resolved: Resolved) -> bool:
        if self.dialect == PYDANTIC_FORMS:
            return False  # one page of a paged form is one step, whatever its fields are
        schema = resolved.schema
        if schema.get("type") != "object" or choice_keyword(schema) is not None:
            return False
        properties = schema.get("properties")
        if not isinstance(properties, dict) or not properties:
            return False
        data = self.data if isinstance(self.data, dict) else {}
        for name, sub in properties.items():
            if sub is False:
                return False
            prop = self.resolver.resolve(
                sub, child_pointer(resolved.pointer, "properties", name), data.get(name, MISSING)
            )
            if type_of(prop.schema) != "object":
                return False
        return True

    # -- nodes ---------------------------------------------------------------------------

    def _build(
        self,
        raw: Any,
        pointer: str,
        path: Path,
        key: str | int,
        value: Any,
        required: bool,
        ctx: BuildContext,
        title: str | None = None,
    ) -> Field:
        resolved = self.resolver.resolve(raw, pointer, value)
        return self._node(resolved, raw, pointer, path, key, value, required, ctx, title)

    def _node(
        self,
        resolved: Resolved,
        raw: Any,
        pointer: str,
        path: Path,
        key: str | int,
        value: Any,
        required: bool,
        ctx: BuildContext,
        title: str | None,
    ) -> Field:
        schema = resolved.schema
        ui = ui_settings(schema)
        heading = title if title is not None else (_text(ui.get("title")) or _text(schema.get("title")) or clean_text(str(key)))
        field = Field(
            path=path,
            pointer=pointer,
            key=key,
            title=heading,
            schema=schema,
            required=required,
            nullable=resolved.nullable,
            step=ctx.step,
        )
        field.description = _text(ui.get("description")) or _text(schema.get("description"))
        field.default = schema.get("default", MISSING)
        field.placeholder = _text(ui.get("placeholder"))
        field.help = _text(ui.get("help"))
        field.autofocus = ui.get("autofocus") is True
        field.read_only = schema.get("readOnly") is True or ui.get("readonly") is True or ui.get("disabled") is True
        field._raw = raw
        field._ctx = ctx
        field._omit = schema.get("omitFromWorkflowInput")
        if not ctx.template:
            self.index.setdefault(path, field)
            for relative in resolved.watch:
                self.watch.add(path + relative)

        widget = ui.get("widget")
        hidden = self._hidden(ui.get("hidden"), ctx)
        if widget == "hidden":
            hidden = True
        field.hidden = ctx.parent_hidden or hidden
        if widget == "AuthRequester":
            field.virtual = True
            props = ui.get("props")
            descriptors = props.get("authTokenDescriptors") if isinstance(props, dict) else None
            field.auth_descriptors = list(descriptors) if isinstance(descriptors, list) else []

        recursive = not resolved.refs.isdisjoint(ctx.ancestors)
        if (recursive and (value is MISSING or value is None)) or ctx.depth >= MAX_DEPTH:
            self._collapse(field, schema, recursive and ctx.depth < MAX_DEPTH)
            return field

        child_ctx = BuildContext(
            step=ctx.step,
            step_path=ctx.step_path,
            ancestors=ctx.ancestors | resolved.refs,
            parent_hidden=field.hidden,
            template=ctx.template,
            depth=ctx.depth + 1,
        )
        field._child_ctx = child_ctx
        self._shape(field, resolved, value, child_ctx)
        if isinstance(widget, str) and widget in DYNAMIC_WIDGETS:
            self._apply_dynamic(field, widget, ui)
        else:
            self._apply_widget(field, widget)
        return field

    @staticmethod
    def _apply_dynamic(field: Field, name: str, ui: dict[str, Any]) -> None:
        """An orchestrator dynamic widget; wrong settings leave a plain field with a note saying why."""
        problem: str | None = None
        props: DynamicProps | None = None
        try:
            props = DynamicProps.parse(name, ui.get("props"), ui)
        except DynamicFieldError as error:
            problem = error.message.rstrip(".")
        fits = {
            "ActiveTextInput": field.kind in ("string", "enum"),
            "ActiveDropdown": field.kind in ("string", "enum"),
            "ActiveMultiSelect": field.kind in ("array", "multi_enum")
            and (field.item is None or field.item.kind in ("string", "enum")),
        }.get(name, True)
        if problem is None and not fits:
            problem = f"cannot edit a field of type {field.kind}"
        if problem is not None or props is None:
            note = f"{name}: {problem}; shown as a plain field"
            field.note = f"{field.note}. {note}" if field.note else note
            return
        field.dynamic = props
        field.widget = DYNAMIC_WIDGETS[name]
        if field.widget in DISPLAY_ONLY:
            field.virtual = True

    @staticmethod
    def _collapse(field: Field, schema: dict[str, Any], recursive: bool) -> None:
        kind = infer_type(schema) or "object"
        field.kind = kind if kind in JSON_TYPES else "object"
        field.widget = "group" if field.kind == "object" else "list" if field.kind == "array" else "readonly"
        field.collapsed = True
        field.note = (
            "Recursive schema: this part is expanded once it has a value"
            if recursive
            else f"Nested more than {MAX_DEPTH} levels deep; not expanded"
        )

    def _shape(self, field: Field, resolved: Resolved, value: Any, ctx: BuildContext) -> None:
        schema = resolved.schema
        shown = schema.get(DISPLAY_KEY)
        if isinstance(shown, dict):
            self._display(field, shown)
            return
        if self.dialect == PYDANTIC_FORMS and isinstance(schema.get("format"), str):
            field.format = schema["format"]
        keyword = choice_keyword(schema)
        if keyword is not None:
            options = const_options(self.resolver, schema, resolved.pointer, keyword)
            if options is not None:
                field.kind = "enum"
                field.widget = "select"
                field.options = options
                field.nullable = field.nullable or len(options) < len(schema[keyword])
                return
            self._choice(field, resolved, keyword, value, ctx)
            return
        if "const" in schema:
            constant = schema["const"]
            field.kind = "null" if constant is None else "const"
            field.widget = "readonly"
            field.read_only = True
            field.options = [] if constant is None else [Option(constant, value_text(constant))]
            if field.default is MISSING and constant is not None:
                field.default = constant
            return
        if "enum" in schema:
            field.kind = "enum"
            field.widget = "select"
            field.options, nullable = enum_options(schema, field.pointer)
            field.nullable = field.nullable or nullable
            return
        declared = schema.get("type")
        if isinstance(declared, list):
            unknown = [t for t in declared if t not in JSON_TYPES]
            if unknown:
                raise SchemaError(f"Unknown type {unknown[0]!r} at {field.pointer}", pointer=field.pointer)
            others = [t for t in declared if t != "null"]
            if len(others) > 1:
                field.note = f"Accepts {' or '.join(others)}; edited as {others[0]}"
        kind = infer_type(schema)
        if kind is None and not field.path:
            kind = "object"
        if kind is not None and kind not in JSON_TYPES:
            raise SchemaError(f"Unknown type {kind!r} at {field.pointer}", pointer=field.pointer)
        if kind == "object":
            self._object(field, resolved, value, ctx)
        elif kind == "array":
            self._array(field, resolved, value, ctx)
        elif kind in ("integer", "number"):
            field.kind = kind
            field.widget = kind
            field.constraints = constraints_of(schema)
            field.input_help = number_help(kind, field.constraints)
        elif kind == "boolean":
            field.kind = "boolean"
            field.widget = "switch"
        elif kind == "null":
            field.kind = "null"
            field.widget = "readonly"
            field.read_only = True
        else:
            self._string(field, schema)

    @staticmethod
    def _display(field: Field, shown: dict[str, Any]) -> None:
        """A display-only field of a pydantic-forms page (label, divider, markdown, ...)."""
        fmt = str(shown.get("format") or "label")
        field.kind = "display"
        field.format = fmt
        field.widget = fmt
        field.read_only = True
        field.display = shown.get("content")
        text = shown.get("text")
        field.default = text if isinstance(text, str) and text else MISSING
        if fmt == "hidden":
            field.hidden = True

    @staticmethod
    def _string(field: Field, schema: dict[str, Any]) -> None:
        field.kind = "string"
        fmt = schema.get("format")
        field.format = fmt if isinstance(fmt, str) else None
        field.widget = FORMAT_WIDGETS.get(field.format or "", "text")
        field.input_help = FORMAT_HELP.get(field.format or "")
        field.constraints = constraints_of(schema)
        pattern = field.constraints.get("pattern")
        if isinstance(pattern, str) and not pattern_compiles(pattern):
            field.note = f"Pattern {pattern} cannot be checked here"

    def _object(self, field: Field, resolved: Resolved, value: Any, ctx: BuildContext) -> None:
        schema = resolved.schema
        properties = schema.get("properties")
        if properties is not None and not isinstance(properties, dict):
            raise SchemaError(f"properties at {field.pointer} must be an object", pointer=field.pointer)
        extra = schema.get("additionalProperties")
        field.constraints = constraints_of(schema)
        if not properties and (isinstance(extra, dict) or extra is True):
            field.kind = "key_value"
            field.widget = "key_value"
            extra_raw = extra if isinstance(extra, dict) else {}
            extra_pointer = child_pointer(resolved.pointer, "additionalProperties")
            entries = value if isinstance(value, dict) else {}
            field.items = [
                self._build(extra_raw, extra_pointer, field.path + (name,), name, entry, False, ctx, str(name))
                for name, entry in entries.items()
            ]
            field.item = self._build(
                extra_raw, extra_pointer, field.path + ("",), "", MISSING, False, replace(ctx, template=True), "Value"
            )
            field._item_raw = extra_raw
            field._item_pointer = extra_pointer
            return
        field.kind = "object"
        field.widget = "group"
        field.children = self._object_children(schema, resolved.pointer, field.path, value, ctx)

    def _object_children(
        self, schema: dict[str, Any], pointer: str, path: Path, value: Any, ctx: BuildContext
    ) -> list[Field]:
        properties = schema.get("properties") or {}
        if not isinstance(properties, dict):
            raise SchemaError(f"properties at {pointer} must be an object", pointer=pointer)
        required_list = schema.get("required") or []
        if not isinstance(required_list, list):
            raise SchemaError(f"required at {pointer} must be a list", pointer=pointer)
        required = {name for name in required_list if isinstance(name, str)}
        order = schema.get("ui:order")
        if order is None and isinstance(schema.get("ui:options"), dict):
            order = schema["ui:options"].get("order")
        data = value if isinstance(value, dict) else {}
        split_steps = self.multi and path == ()
        children: list[Field] = []
        for name in ordered_keys(list(properties), order):
            sub = properties[name]
            if sub is False:
                continue
            child_ctx = replace(ctx, step=name, step_path=(name,)) if split_steps else ctx
            children.append(
                self._build(
                    sub,
                    child_pointer(pointer, "properties", name),
                    path + (name,),
                    name,
                    data.get(name, MISSING),
                    name in required,
                    child_ctx,
                )
            )
        return children

    def _array(self, field: Field, resolved: Resolved, value: Any, ctx: BuildContext) -> None:
        schema = resolved.schema
        items = schema.get("items")
        if items is not None and not isinstance(items, dict | list | bool):
            raise SchemaError(f"items at {field.pointer} must be a schema or a list of schemas", pointer=field.pointer)
        field.constraints = constraints_of(schema)
        first_raw, first_pointer = item_location(schema, resolved.pointer, 0)
        probe = self.resolver.resolve(first_raw, first_pointer)
        options: list[Option] | None = None
        if not isinstance(items, list):
            if "enum" in probe.schema:
                options, _ = enum_options(probe.schema, first_pointer)
            else:
                keyword = choice_keyword(probe.schema)
                if keyword is not None:
                    options = const_options(self.resolver, probe.schema, probe.pointer, keyword)
        if options is not None:
            field.kind = "multi_enum"
            field.widget = "checkboxes"
            field.options = options
            field._item_raw = first_raw
            field._item_pointer = first_pointer
            return
        field.kind = "array"
        field.widget = "list"
        entries = value if isinstance(value, list) else []
        for index, entry in enumerate(entries):
            raw, pointer = item_location(schema, resolved.pointer, index)
            field.items.append(
                self._build(raw, pointer, field.path + (index,), index, entry, False, ctx, f"Item {index + 1}")
            )
        count = len(entries)
        raw, pointer = item_location(schema, resolved.pointer, count)
        template = self.resolver.resolve(raw, pointer)
        field.item = self._node(
            template,
            raw,
            pointer,
            field.path + (count,),
            count,
            MISSING,
            False,
            replace(ctx, template=True),
            _text(template.schema.get("title")) or "Item",
        )
        field._item_raw = raw
        field._item_pointer = pointer

    def _choice(self, field: Field, resolved: Resolved, keyword: str, value: Any, ctx: BuildContext) -> None:
        schema = resolved.schema
        entries, nullable = branches_of(self.resolver, schema, resolved.pointer, keyword, value)
        field.nullable = field.nullable or nullable
        if not entries:
            field.kind = "null"
            field.widget = "readonly"
            field.read_only = True
            return
        field.kind = "choice"
        field.widget = "select"
        field.options = [Option(position, label) for position, label in enumerate(branch_labels(entries))]
        position = self._select(field.path, entries, value, ctx)
        field.selected_branch = position
        field._branches = entries
        _, branch, _ = entries[position]
        content = merge_over(branch.schema, {k: v for k, v in schema.items() if k != keyword}, over_first=True)
        is_object = infer_type(content) == "object"
        if not ctx.template:
            for relative in branch.watch:
                self.watch.add(field.path + relative)
            self._watch_choice(field.path, entries, is_object)
        branch_ctx = replace(ctx, ancestors=ctx.ancestors | branch.refs)
        if is_object:
            self.object_choices.add(field.path)
            field.constraints = constraints_of(content)
            field.children = self._object_children(content, branch.pointer, field.path, value, branch_ctx)
            return
        inner = Resolved(content, branch.pointer, branch.refs, (), branch.nullable or field.nullable, False)
        field.children = [
            self._node(inner, content, branch.pointer, field.path, field.key, value, field.required, ctx, field.title)
        ]

    def _select(self, path: Path, entries: list[Branch], value: Any, ctx: BuildContext) -> int:
        if not ctx.template:
            remembered = self.remembered.get(path)
            if remembered is not None and 0 <= remembered[0] < len(entries):
                self.choices[path] = remembered
                return remembered[0]
        position = auto_select(self.tools, entries, value)
        if not ctx.template:
            self.choices[path] = (position, False)
        return position

    def _watch_choice(self, path: Path, entries: list[Branch], is_object: bool) -> None:
        watched = frozenset(path + (name,) for name in discriminators(entries)) if is_object else frozenset({path})
        self.discriminators[path] = watched
        if not self.choices.get(path, (0, False))[1]:
            self.watch.update(watched)

    # -- ui ------------------------------------------------------------------------------

    def _hidden(self, rule: Any, ctx: BuildContext) -> bool:
        if rule is None or rule is False:
            return False
        if rule is True:
            return True
        if not isinstance(rule, dict):
            return False
        if not ctx.template:
            for text in when_paths(rule):
                segments = split_dot_path(text)
                self.watch.add(segments)
                if ctx.step_path:
                    self.watch.add(ctx.step_path + segments)
        return evaluate(rule, when_lookup(self.data, ctx.step_path))

    @staticmethod
    def _apply_widget(field: Field, name: Any) -> None:
        if name is None or not isinstance(name, str):
            return
        if name == "hidden":
            field.widget = "hidden"
            return
        mapped: str | None = None
        kind = field.kind
        if kind == "string":
            mapped = _STRING_WIDGETS.get(name)
        elif kind in ("enum", "choice"):
            mapped = _CHOICE_WIDGETS.get(name)
        elif kind == "boolean":
            mapped = _BOOLEAN_WIDGETS.get(name)
            if mapped in ("radio", "select"):
                field.options = [Option(True, "Yes"), Option(False, "No")]
        elif kind in ("integer", "number"):
            mapped = kind if name in _NUMBER_WIDGETS else None
        elif kind == "multi_enum":
            mapped = _MULTI_WIDGETS.get(name)
        if mapped is not None:
            field.widget = mapped
            return
        if name in _STANDARD_WIDGETS:
            return
        note = f"Custom widget {name!r} is not supported here; shown as a plain field"
        field.note = f"{field.note}. {note}" if field.note else note

    # -- steps and focus -----------------------------------------------------------------

    def _steps(self, root: Field) -> list[Step]:
        if not self.multi:
            return [Step("", root.title, root, False)]
        steps: list[Step] = []
        for child in root.children:
            schema = child.schema
            placeholder = (
                type_of(schema) == "object"
                and ui_settings(schema).get("widget") == "hidden"
                and not schema.get("properties")
            )
            if placeholder:
                continue
            hidden = child.hidden
            if not hidden and child.kind in ("object", "choice"):
                hidden = all(grandchild.hidden for grandchild in child.children)
            steps.append(Step(str(child.key), child.title, child, hidden))
        return steps

    @staticmethod
    def _autofocus(steps: list[Step]) -> None:
        for step in steps:
            fields = [f for f in step.field.walk() if f.path]
            if any(f.autofocus for f in fields):
                continue
            for candidate in fields:
                if (
                    candidate.is_leaf
                    and candidate.kind not in ("const", "null")
                    and not candidate.hidden
                    and not candidate.read_only
                    and not candidate.virtual
                    and not candidate.collapsed
                ):
                    candidate.autofocus = True
                    break


def _signature(field: Field) -> tuple[Any, ...]:
    return (
        field.path,
        field.kind,
        field.widget,
        field.title,
        field.description,
        field.required,
        field.nullable,
        field.read_only,
        field.hidden,
        field.selected_branch,
        field.note,
        field.autofocus,
        field.help,
        field.placeholder,
        field.input_help,
        field.format,
        field.default,
        field.display,
        field.options,
        field.constraints,
        len(field.items),
        field.collapsed,
    )
