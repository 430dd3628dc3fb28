"""Turn pydantic's errors into ``file:line: field: what is wrong, what is allowed``."""

from __future__ import annotations

import json
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from portal.errors import ContentError, Problem
from portal.yamlio import Document

__all__ = ["problems_from_validation_error", "validate_document"]

M = TypeVar("M", bound=BaseModel)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return json.dumps(value, default=str, ensure_ascii=False)


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Follow ``loc`` through the model's field annotations to the model found there."""
    current: Any = model
    for part in loc:
        current = _unwrap_to_model(current, part)
        if current is None:
            return None
    return _only_model(current)


def _only_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    models = [m for m in (_only_model(a) for a in get_args(annotation)) if m is not None]
    return models[0] if len(models) == 1 else None


def _unwrap_to_model(annotation: Any, part: str | int) -> Any:
    model = _only_model(annotation) if not isinstance(annotation, type) else annotation
    if isinstance(part, int):
        args = [a for a in get_args(annotation) if a is not type(None)]
        for arg in args:
            if get_origin(arg) in (list, tuple) or get_origin(arg) is None:
                inner = get_args(arg)
                if inner:
                    return inner[0]
        return args[0] if args else None
    if model is not None and isinstance(model, type) and issubclass(model, BaseModel):
        field = model.model_fields.get(part)
        return field.annotation if field else None
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, typing.Annotated):
        for arg in get_args(annotation):
            found = _unwrap_to_model(arg, part)
            if found is not None:
                return found
    if origin is dict:
        return get_args(annotation)[1]
    return None


def _message(error: Any, model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "missing":
        return "required field is missing"
    if kind == "not_echoed":
        return str(error["msg"])  # the value may be a secret: never repeat it in a log
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        # A field that moved (a model's MOVED_FIELDS) is not a typo: say where it went.
        moved: dict[str, str] = getattr(parent, "MOVED_FIELDS", {})
        if loc[-1] in moved:
            return moved[str(loc[-1])]
        allowed = ", ".join(sorted(parent.model_fields)) if parent else "see the schema"
        return f"{_describe(loc[-1])} is not a known field (a typo?); allowed here: {allowed}"
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{_describe(value)} is not allowed; use one of: {expected}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s), has {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} item(s), has {ctx.get('actual_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters, has {len(str(value))}"
    if kind.startswith("datetime_") or kind == "timezone_aware":
        example = "like 2026-11-28T18:05:00Z"
        return f"must be a date and time with a time zone, {example}, got {_describe(value)}"
    if kind.startswith("date_"):
        return f"must be a date written YYYY-MM-DD, got {_describe(value)}"
    if kind == "value_error":
        return f"{ctx.get('error', error['msg'])}, got {_describe(value)}"
    if kind.endswith("_parsing") or kind.endswith("_type"):
        wanted = error["msg"].removeprefix("Input should be ").removeprefix("a valid ")
        return f"must be {wanted}, got {_describe(value)}"
    return f"{error['msg'][0].lower()}{error['msg'][1:]}, got {_describe(value)}"


def problems_from_validation_error(
    exc: ValidationError, doc: Document, model: type[BaseModel]
) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        # Validators wrapped around a type add their own name to loc; the YAML has no such key.
        loc = tuple(p for p in error["loc"] if not str(p).startswith(("function-", "tagged-union")))
        field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc)
        field = field.replace(".[", "[")
        problems.append(
            Problem(doc.file, doc.positions.line_for(loc), field, _message(error, model))
        )
    return problems


def validate_document(doc: Document, model: type[M], *, data: Any = None) -> M:
    """Validate ``doc`` (or ``data`` taken from it) as ``model``; ContentError on any problem."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        raise ContentError(problems_from_validation_error(exc, doc, model)) from exc
