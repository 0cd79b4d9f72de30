"""The form model: schema + live data → field tree, validation, payload, review."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from orch_tui.core.forms.builder import STRUCTURAL_KINDS, BuiltTree, TreeBuilder, when_lookup
from orch_tui.core.forms.choices import Branch, auto_select
from orch_tui.core.forms.conditions import evaluate
from orch_tui.core.forms.data import deep_copy, delete_in, get_in, json_equal, set_in
from orch_tui.core.forms.defaults import DefaultsComputer, empty_value, item_location, merge_defaults
from orch_tui.core.forms.dynamic import apply_static_defaults, replace_properties
from orch_tui.core.forms.fields import MISSING, Field, FieldError, Path, ReviewRow, SchemaError, Step
from orch_tui.core.forms.pydantic_forms import DIALECT as PYDANTIC_FORMS
from orch_tui.core.forms.pydantic_forms import normalize_page
from orch_tui.core.forms.schema import SchemaResolver, mapping_of, type_of
from orch_tui.core.forms.validation import SchemaTools, human_message

if TYPE_CHECKING:
    from jsonschema import ValidationError

_DEFAULT_PASSES = 4


def _as_path(path: Iterable[str | int]) -> Path:
    return tuple(path)


def _topmost(paths: Iterable[Path]) -> list[Path]:
    chosen: list[Path] = []
    for path in sorted(paths, key=len):
        if not any(path[: len(prefix)] == prefix for prefix in chosen):
            chosen.append(path)
    return chosen


class FormModel:
    """A workflow input form (see ``docs/form-model.md``)."""

    def __init__(
        self,
        schema: Mapping[str, Any] | None,
        data: Any = None,
        apply_defaults: bool = True,
        *,
        dialect: str | None = None,
        labels: Mapping[str, Any] | None = None,
    ) -> None:
        """``dialect="pydantic-forms"`` reads ``schema`` as one orchestrator-core form page
        (see :mod:`orch_tui.core.forms.pydantic_forms`; ``labels`` are its translations);
        by default it is a Backstage workflow's input schema."""
        if schema is None:
            schema = {"type": "object", "properties": {}}
        if not isinstance(schema, Mapping):
            raise SchemaError("The input schema must be a JSON object")
        if dialect not in (None, PYDANTIC_FORMS):
            raise ValueError(f"unknown form dialect {dialect!r}")
        self.dialect = dialect
        if dialect == PYDANTIC_FORMS:
            schema = normalize_page(schema, labels=labels)
        self._use_schema(apply_static_defaults(deep_copy(dict(schema))))
        self._apply_defaults = apply_defaults
        self._choices: dict[Path, tuple[int, bool]] = {}
        self.version = 0
        self.data: Any = deep_copy(data) if data is not None else {}

        if apply_defaults:
            self._fill_root_defaults()
        built = self._build()
        if apply_defaults:
            for _ in range(_DEFAULT_PASSES):
                self._choices = built.choices
                if not self._fill_root_defaults():
                    break
                built = self._build()
        self._install(built)

    def _use_schema(self, schema: dict[str, Any]) -> None:
        tools = SchemaTools(schema)
        tools.check_schema()
        self._schema = schema
        self._tools = tools
        self._resolver = SchemaResolver(schema, self._tools.is_valid)
        self._defaults = DefaultsComputer(
            self._resolver, self._choose, null_default_wins=getattr(self, "dialect", None) == PYDANTIC_FORMS
        )

    def update_schema(self, patch: Mapping[str, Any]) -> bool:
        """SchemaUpdater: properties named like ``patch``'s keys, anywhere, take its schemas.

        The data is kept (fields that left the schema are pruned from the payload); new fields
        get their defaults.  Returns True when the schema changed.
        """
        schema = deep_copy(self._schema)
        if not replace_properties(schema, patch):
            return False
        apply_static_defaults(schema)
        if json_equal(schema, self._schema):
            return False
        saved = (self._schema, self._tools, self._resolver, self._defaults, deep_copy(self.data), dict(self._choices))
        try:
            self._use_schema(schema)
            if self._apply_defaults:
                self._fill_root_defaults()
            self._rebuild(force=True)
        except Exception:
            # A schema that cannot be built leaves the form as it was.
            self._schema, self._tools, self._resolver, self._defaults, self.data, self._choices = saved
            raise
        return True

    # -- tree ----------------------------------------------------------------------------

    @property
    def schema(self) -> dict[str, Any]:
        """The input schema (a private copy; do not modify)."""
        return self._schema

    @property
    def multi_step(self) -> bool:
        return self._tree.multi_step

    @property
    def root(self) -> Field:
        return self._tree.root

    def steps(self) -> list[Step]:
        return list(self._tree.steps)

    def visible_steps(self) -> list[Step]:
        return [step for step in self._tree.steps if not step.hidden]

    def field(self, path: Iterable[str | int]) -> Field | None:
        """The field at ``path`` in the current tree (None when there is none)."""
        return self._tree.index.get(_as_path(path))

    def _build(self) -> BuiltTree:
        return TreeBuilder(self._resolver, self._tools, self.data, self._choices, self.dialect).build(self._schema)

    def _install(self, built: BuiltTree) -> None:
        self._tree = built
        self._choices = dict(built.choices)
        prefixes: set[Path] = set()
        for path in built.watch:
            for size in range(len(path) + 1):
                prefixes.add(path[:size])
        self._watch_prefixes = prefixes

    def _rebuild(self, *, force: bool = False) -> bool:
        previous = self._tree
        known = set(previous.index)
        built = self._build()
        if self._apply_defaults:
            for _ in range(_DEFAULT_PASSES):
                fresh = _topmost(path for path in built.index if path not in known)
                if not fresh:
                    break
                self._choices = built.choices
                changed = False
                for path in fresh:
                    changed = self._fill_defaults_at(built.index[path]) or changed
                known |= set(built.index)
                if not changed:
                    break
                built = self._build()
        self._install(built)
        if force or built.signature != previous.signature:
            self.version += 1
            return True
        return False

    # -- defaults ------------------------------------------------------------------------

    def _choose(self, path: Path, entries: list[Branch], value: Any) -> int:
        remembered = self._choices.get(path)
        if remembered is not None and 0 <= remembered[0] < len(entries):
            return remembered[0]
        return auto_select(self._tools, entries, value)

    def _fill_root_defaults(self) -> bool:
        current = self.data
        computed = self._defaults.compute(self._schema, "#", (), current if current is not None else MISSING)
        if computed is MISSING:
            return False
        merged = merge_defaults(computed, current)
        if json_equal(merged, current):
            return False
        self.data = merged
        return True

    def _fill_defaults_at(self, field: Field) -> bool:
        if not field.path or field.is_template or field._ctx is None:
            return False
        value = get_in(self.data, field.path)
        computed = self._defaults.compute(field._raw, field.pointer, field.path, value, MISSING, field._ctx.ancestors)
        if computed is MISSING:
            return False
        merged = merge_defaults(computed, value)
        if value is MISSING and isinstance(merged, dict) and not merged and not field.required:
            return False
        if value is not MISSING and json_equal(merged, value):
            return False
        set_in(self.data, field.path, merged)
        return True

    # -- data ----------------------------------------------------------------------------

    def get(self, path: Iterable[str | int]) -> Any:
        """The value at ``path`` (MISSING when absent); containers are the live data."""
        return get_in(self.data, _as_path(path))

    def set(self, path: Iterable[str | int], value: Any) -> bool:
        """Store ``value`` at ``path``; True when the form's structure changed."""
        key = _as_path(path)
        value = deep_copy(value)
        if not key:
            self.data = value
            self._choices = {}
            return self._rebuild()
        if not isinstance(self.data, list if isinstance(key[0], int) else dict):
            self.data = [] if isinstance(key[0], int) else {}
        set_in(self.data, key, value)
        return self._changed(key)

    def delete(self, path: Iterable[str | int]) -> bool:
        """Remove the value at ``path``; True when the form's structure changed."""
        key = _as_path(path)
        if not key:
            return self.set((), {})
        container = self._tree.index.get(key[:-1])
        if (
            isinstance(key[-1], int)
            and container is not None
            and container.kind == "array"
            and isinstance(get_in(self.data, key[:-1]), list)
        ):
            return self.remove_item(key[:-1], key[-1])
        if not delete_in(self.data, key):
            return False
        return self._changed(key)

    def _changed(self, path: Path) -> bool:
        if not self._needs_rebuild(path):
            return False
        self._forget_choices(path)
        return self._rebuild()

    def _needs_rebuild(self, path: Path) -> bool:
        field = self._tree.index.get(path)
        if field is None or field.kind in STRUCTURAL_KINDS or field.collapsed:
            return True
        if path in self._watch_prefixes:
            return True
        watch = self._tree.watch
        return any(path[:size] in watch for size in range(len(path)))

    def _forget_choices(self, path: Path) -> None:
        size = len(path)
        for choice, (_, explicit) in list(self._choices.items()):
            if len(choice) > size and choice[:size] == path:
                del self._choices[choice]
            elif choice == path:
                if not explicit or choice in self._tree.object_choices:
                    del self._choices[choice]
            elif not explicit and path in self._tree.discriminators.get(choice, frozenset()):
                del self._choices[choice]

    def _remap_choices(self, container: Path, mapping: dict[Any, Any]) -> None:
        size = len(container)
        remapped: dict[Path, tuple[int, bool]] = {}
        for choice, entry in self._choices.items():
            if len(choice) > size and choice[:size] == container:
                position = choice[size]
                if position in mapping:
                    target = mapping[position]
                    if target is None:
                        continue
                    choice = container + (target,) + choice[size + 1 :]
            remapped[choice] = entry
        self._choices = remapped

    # -- choices -------------------------------------------------------------------------

    def select_branch(self, path: Iterable[str | int], index: int) -> bool:
        """Switch the oneOf/anyOf at ``path`` to branch ``index`` (a position in ``options``).

        Values of properties only the old branch defines are dropped; shared properties keep
        their value unless it is the old branch's constant/default and the new branch has its
        own; the new branch's defaults are filled in.
        """
        key = _as_path(path)
        field = self._tree.index.get(key)
        if field is None or field.kind != "choice":
            raise KeyError(f"no oneOf/anyOf field at {key!r}")
        if not 0 <= index < len(field._branches):
            raise IndexError(f"branch {index} out of range (0–{len(field._branches) - 1})")
        old = field.selected_branch if field.selected_branch is not None else 0
        if index == old:
            self._choices[key] = (index, True)
            return False
        old_schema = field._branches[old][1].schema
        new_schema = field._branches[index][1].schema
        value = get_in(self.data, key)
        if isinstance(value, dict) and key in self._tree.object_choices:
            base = mapping_of(field.schema, "properties")
            old_props = mapping_of(old_schema, "properties")
            new_props = mapping_of(new_schema, "properties")
            for name in list(value):
                if name in base or name not in old_props:
                    continue
                if name not in new_props or self._replaced_by_new_branch(value[name], old_props[name], new_props[name]):
                    del value[name]
        elif value is not MISSING and not self._tools.is_valid(field._branches[index][2], value):
            delete_in(self.data, key)
        self._choices[key] = (index, True)
        current = get_in(self.data, key)
        computed = self._defaults.compute(
            field._raw, field.pointer, key, current, MISSING, field._ctx.ancestors if field._ctx else frozenset()
        )
        if computed is not MISSING:
            merged = merge_defaults(computed, current)
            if current is MISSING or not json_equal(merged, current):
                set_in(self.data, key, merged)
        self._rebuild()
        return True

    def _replaced_by_new_branch(self, value: Any, old_raw: Any, new_raw: Any) -> bool:
        old = self._resolver.resolve(old_raw, "#").schema
        new = self._resolver.resolve(new_raw, "#").schema
        if "const" in new:
            return not json_equal(value, new["const"])
        for keyword in ("const", "default"):
            if keyword in old and json_equal(value, old[keyword]):
                return "default" in new or "const" in new
        return not self._tools.is_valid(new_raw, value)

    # -- lists ---------------------------------------------------------------------------

    def _list_field(self, path: Path) -> Field:
        field = self._tree.index.get(path)
        # a oneOf/anyOf over scalar branches shares its path with the field of the chosen branch
        while field is not None and field.kind == "choice" and field.children and field.children[0].path == path:
            field = field.children[0]
        if field is None or field.kind not in ("array", "key_value"):
            raise KeyError(f"no list at {path!r}")
        return field

    def add_item(self, path: Iterable[str | int]) -> Path:
        """Append an entry (with its defaults) to the list at ``path``; returns the entry's path.

        For a key/value object the new key is ``newKey`` (``newKey-1``, … when taken).
        """
        key = _as_path(path)
        field = self._list_field(key)
        ancestors = field._child_ctx.ancestors if field._child_ctx else frozenset()
        if field.kind == "array":
            entries = get_in(self.data, key)
            if not isinstance(entries, list):
                entries = []
                set_in(self.data, key, entries)
            position = len(entries)
            raw, pointer = item_location(field.schema, field.pointer, position)
            new_path: Path = key + (position,)
            value = self._defaults.compute(raw, pointer, new_path, MISSING, MISSING, ancestors)
            if value is MISSING:
                value = empty_value(self._resolver.resolve(raw, pointer).schema)
            entries.append(value)
        else:
            mapping = get_in(self.data, key)
            if not isinstance(mapping, dict):
                mapping = {}
                set_in(self.data, key, mapping)
            name = "newKey"
            counter = 0
            while name in mapping:
                counter += 1
                name = f"newKey-{counter}"
            new_path = key + (name,)
            value = self._defaults.compute(field._item_raw, field._item_pointer, new_path, MISSING, MISSING, ancestors)
            if value is MISSING:
                value = empty_value(self._resolver.resolve(field._item_raw, field._item_pointer).schema)
            mapping[name] = value
        self._rebuild(force=True)
        return new_path

    def remove_item(self, path: Iterable[str | int], index: int | str) -> bool:
        """Remove entry ``index`` (a position, or a key of a key/value object)."""
        key = _as_path(path)
        self._list_field(key)
        container = get_in(self.data, key)
        if isinstance(container, list) and isinstance(index, int):
            if not 0 <= index < len(container):
                raise IndexError(f"item {index} out of range")
            del container[index]
            mapping: dict[Any, Any] = {index: None}
            mapping.update({i: i - 1 for i in range(index + 1, len(container) + 1)})
            self._remap_choices(key, mapping)
        elif isinstance(container, dict):
            name = (
                index if isinstance(index, str) else (list(container)[index] if 0 <= index < len(container) else None)
            )
            if name is None or name not in container:
                raise KeyError(f"no entry {index!r} at {key!r}")
            del container[name]
            self._remap_choices(key, {name: None})
        else:
            raise KeyError(f"no entry {index!r} at {key!r}")
        self._rebuild(force=True)
        return True

    def move_item(self, path: Iterable[str | int], index: int, delta: int) -> bool:
        """Move entry ``index`` by ``delta`` places; False when that would leave the list."""
        key = _as_path(path)
        self._list_field(key)
        container = get_in(self.data, key)
        if not isinstance(container, list) or not 0 <= index < len(container):
            return False
        target = index + delta
        if delta == 0 or not 0 <= target < len(container):
            return False
        order = list(range(len(container)))
        order.insert(target, order.pop(index))
        container.insert(target, container.pop(index))
        self._remap_choices(key, {old: new for new, old in enumerate(order)})
        self._rebuild(force=True)
        return True

    def rename_key(self, path: Iterable[str | int], old: str, new: str) -> bool:
        """Rename an entry of the key/value object at ``path`` (keeps its position)."""
        key = _as_path(path)
        field = self._list_field(key)
        container = get_in(self.data, key)
        if field.kind != "key_value" or not isinstance(container, dict) or old not in container:
            raise KeyError(f"no entry {old!r} at {key!r}")
        if new == old:
            return False
        if new in container:
            raise KeyError(f"{new!r} already exists at {key!r}")
        renamed = {(new if name == old else name): value for name, value in container.items()}
        container.clear()
        container.update(renamed)
        self._remap_choices(key, {old: new})
        return self._rebuild()

    # -- conditions at submit time -----------------------------------------------------

    def _omitted(self, field: Field) -> bool:
        rule = field._omit
        if rule is None or rule is False:
            return False
        if rule is True:
            return True
        step_path = field._ctx.step_path if field._ctx else ()
        return evaluate(rule, when_lookup(self.data, step_path))

    def _keeps_empty_string(self, path: Path) -> bool:
        field = self._tree.index.get(path)
        if field is None:
            return False
        return any(option.value == "" for option in field.options) or field.schema.get("const") == ""

    def _without_empty_strings(self, value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            return {
                name: self._without_empty_strings(item, path + (name,))
                for name, item in value.items()
                if not (isinstance(item, str) and item == "" and not self._keeps_empty_string(path + (name,)))
            }
        if isinstance(value, list):
            return [self._without_empty_strings(item, path + (i,)) for i, item in enumerate(value)]
        return value

    # -- validation ----------------------------------------------------------------------

    def validate(self, step: str | None = None) -> list[FieldError]:
        """Draft-07 errors (formats checked) mapped to fields; ``step`` keeps one step's errors.

        Hidden fields are validated too; empty strings count as absent.  In a multi-step form
        a visible step without data is checked as an empty object, so its required fields are
        reported (the wizard always shows the step as an object).
        """
        instance = self._without_empty_strings(self.data, ())
        if self._tree.multi_step and isinstance(instance, dict):
            for visible in self.visible_steps():
                if visible.key not in instance and visible.field.kind in ("object", "choice"):
                    instance[visible.key] = {}
        found: list[FieldError] = []
        seen: set[tuple[Path, str]] = set()
        try:
            for error in self._tools.iter_errors(instance):
                for mapped in self._map_error(error):
                    marker = (mapped.path, mapped.message)
                    if marker not in seen:
                        seen.add(marker)
                        found.append(mapped)
        except SchemaError as broken:
            # A schema the validator cannot walk (a $ref loop, say) blocks the run, saying why.
            found.append(FieldError((), broken.message, None))
        found.sort(key=self._error_order)
        if step is not None:
            found = [error for error in found if error.step == step]
        return found

    def _error_order(self, error: FieldError) -> tuple[int, int, str]:
        order = self._tree.order
        path = error.path
        for size in range(len(path), -1, -1):
            position = order.get(path[:size])
            if position is not None:
                return (position, len(path), error.message)
        return (len(order), len(path), error.message)

    def _step_of(self, path: Path) -> str | None:
        if not self._tree.multi_step:
            return ""
        if path:
            for step in self._tree.steps:
                if step.key == path[0]:
                    return step.key
        return None

    def error_at(self, path: Path, message: str) -> FieldError:
        """A problem with the field at ``path``, placed in its step."""
        return FieldError(path, message, self._step_of(path))

    def _map_error(self, error: ValidationError) -> list[FieldError]:
        path: Path = tuple(error.absolute_path)
        keyword = error.validator
        if keyword == "required" and isinstance(error.instance, dict):
            missing = [name for name in (error.validator_value or []) if name not in error.instance]
            name = next((n for n in missing if error.message == f"{n!r} is a required property"), None)
            if name is None and missing:
                name = missing[0]
            if name is not None:
                return [self.error_at(path + (name,), "Required")]
        if keyword == "dependencies" and isinstance(error.validator_value, dict):
            for owner, needed in error.validator_value.items():
                if isinstance(needed, list):
                    for name in needed:
                        if error.message == f"{name!r} is a dependency of {owner!r}":
                            return [self.error_at(path + (name,), "Required")]
        field = self._tree.index.get(path)
        if keyword in ("oneOf", "anyOf") and error.context:
            inner = self._branch_errors(error, field)
            if inner:
                return inner
        if keyword == "oneOf" and not error.context:
            return [self.error_at(path, "Matches more than one option")]
        options = field.options if field is not None and field.options else None
        parent = self._tree.index.get(path[:-1]) if path else None
        if options is None and parent is not None and parent.kind == "multi_enum":
            options = parent.options
        if field is not None and field.kind == "enum" and keyword in ("oneOf", "anyOf"):
            values = ", ".join(option.label for option in field.options)
            return [self.error_at(path, f"Must be one of: {values}")]
        return [self.error_at(path, human_message(error, options))]

    def _branch_errors(self, error: ValidationError, field: Field | None) -> list[FieldError]:
        groups: dict[int, list[ValidationError]] = {}
        for sub in error.context or []:
            if sub.relative_schema_path:
                position = sub.relative_schema_path[0]
                if isinstance(position, int):
                    groups.setdefault(position, []).append(sub)
        if field is not None and field.kind == "choice" and field._branches and field.selected_branch is not None:
            original = field._branches[field.selected_branch][0]
            chosen = groups.get(original)
            if not chosen:
                return []
            return [mapped for sub in chosen for mapped in self._map_error(sub)]
        candidates = [
            group
            for group in groups.values()
            if not any(sub.validator in ("type", "const", "enum") and not sub.relative_path for sub in group)
        ]
        if len(candidates) == 1:
            return [mapped for sub in candidates[0] for mapped in self._map_error(sub)]
        return []

    # -- output --------------------------------------------------------------------------

    def payload(self) -> Any:
        """The data to submit: pruned to what the schema defines for the current data,
        without ``omitFromWorkflowInput`` fields, virtual and display-only fields and empty
        optional strings."""
        pruned = self._prune(self._tree.root, self.data, in_list=False)
        if pruned is MISSING:
            return {} if type_of(self._tree.root.schema) in ("object", None) else None
        return pruned

    def _prune(self, field: Field, value: Any, *, in_list: bool) -> Any:
        if value is MISSING or field.virtual or field.kind == "display":
            return MISSING
        if field.path and self._omitted(field):
            return MISSING
        if isinstance(value, str) and value == "" and not in_list and not self._keeps_empty_string(field.path):
            return MISSING
        if field.collapsed:
            return deep_copy(value)
        if field.kind == "choice" and field.children and field.children[0].path == field.path:
            return self._prune(field.children[0], value, in_list=in_list)
        if field.kind in ("object", "choice"):
            if not isinstance(value, dict):
                return deep_copy(value)
            children = {child.key: child for child in field.children}
            extra = field.schema.get("additionalProperties")
            keep_unknown = extra is True or isinstance(extra, dict)
            result: dict[str, Any] = {}
            for name, item in value.items():
                child = children.get(name)
                if child is None:
                    if keep_unknown:
                        result[name] = deep_copy(item)
                    continue
                pruned = self._prune(child, item, in_list=False)
                if pruned is not MISSING:
                    result[name] = pruned
            return result
        if field.kind == "array" and isinstance(value, list):
            out: list[Any] = []
            for position, item in enumerate(value):
                if position < len(field.items):
                    pruned = self._prune(field.items[position], item, in_list=True)
                    if pruned is not MISSING:
                        out.append(pruned)
                else:
                    out.append(deep_copy(item))
            return out
        if field.kind == "key_value" and isinstance(value, dict):
            entries = {entry.key: entry for entry in field.items}
            mapping: dict[str, Any] = {}
            for name, item in value.items():
                entry = entries.get(name)
                pruned = self._prune(entry, item, in_list=True) if entry is not None else deep_copy(item)
                if pruned is not MISSING:
                    mapping[name] = pruned
            return mapping
        return deep_copy(value)

    def review(self) -> list[ReviewRow]:
        """Rows of the review page; see :func:`orch_tui.core.forms.describe.review_rows`."""
        from orch_tui.core.forms.describe import review_rows

        return review_rows(self)

    def describe(self) -> dict[str, Any]:
        """A JSON description of the steps and their input fields."""
        from orch_tui.core.forms.describe import describe_model

        return describe_model(self)

    def auth_token_descriptors(self) -> list[Any]:
        """``authTokenDescriptors`` of every AuthRequester field, in display order."""
        found: list[Any] = []
        for field in self._tree.root.walk():
            if field.virtual:
                found.extend(field.auth_descriptors)
        return found

    def __repr__(self) -> str:
        steps: Sequence[Step] = self._tree.steps
        return (
            f"FormModel(multi_step={self._tree.multi_step}, steps={[s.key for s in steps]!r}, version={self.version})"
        )
