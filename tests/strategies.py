"""Hypothesis strategies for hostile and broken inbound bodies, and for valid events to spoil."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from schemas.limits import MAX_DEPTH, MAX_FIELDS, MAX_IDENTIFIER_CHARS, MAX_TEXT_CHARS
from tests.lifecycle import encode, lifecycle

# Text that may hold lone surrogates; json.dumps writes those as \udXXX escapes.
surrogates = st.characters(categories=["Cs"])
any_text = st.text(st.characters() | surrogates, max_size=20)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: json.dumps writes them as bare words
    | any_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(any_text, inner, max_size=5),
    max_leaves=25,
)

# Lengths on either side of every limit, and far past them.
edge_lengths = st.sampled_from(
    [0, 1, MAX_IDENTIFIER_CHARS, MAX_IDENTIFIER_CHARS + 1, MAX_TEXT_CHARS, MAX_TEXT_CHARS + 1]
) | st.integers(0, 100_000)


@st.composite
def valid_events(draw: st.DrawFn) -> dict[str, Any]:
    request_id = draw(st.text("ABCDEFGHIJ-0123456789", min_size=1, max_size=12))
    return draw(st.sampled_from(lifecycle(f"PROP-{request_id}")))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


def _drop(value: Any, path: tuple[Any, ...]) -> Any:
    if len(path) == 1:
        copy = dict(value) if isinstance(value, dict) else list(value)
        del copy[path[0]]
        return copy
    return _replace(value, path[:1], _drop(value[path[0]], path[1:]))


@st.composite
def spoiled_events(draw: st.DrawFn) -> bytes:
    """A valid event with one to three things wrong with it, as bytes on the wire."""
    event: Any = draw(valid_events())
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(event)
        path = draw(st.sampled_from(paths))
        how = draw(
            st.sampled_from(
                ["drop", "retype", "long", "surrogate", "deep", "wide", "extension", "nothing"]
            )
        )
        if how == "drop" and path:
            event = _drop(event, path)
        elif how == "retype":
            event = _replace(event, path, draw(json_values))
        elif how == "long":
            event = _replace(event, path, "x" * draw(edge_lengths))
        elif how == "surrogate":
            event = _replace(event, path, "id-" + draw(surrogates))
        elif how == "deep":
            event = _replace(event, path, _nested(draw(st.integers(1, MAX_DEPTH + 3))))
        elif how == "wide":
            event = _replace(event, path, list(range(draw(st.integers(0, MAX_FIELDS + 5)))))
        elif how == "extension" and isinstance(event, dict):
            event = {**event, draw(any_text): draw(json_values)}
    raw = encode(event)
    return draw(st.sampled_from([raw, _duplicate_first_key(raw), draw(_spliced(raw))]))


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"n": value}
    return value


def _duplicate_first_key(raw: bytes) -> bytes:
    # The same attribute twice: JSON readers keep the last one.
    return b'{"id": "first", "specversion": 2, ' + raw[1:] if raw.startswith(b"{") else raw


@st.composite
def _spliced(draw: st.DrawFn, raw: bytes) -> bytes:
    start = draw(st.integers(0, len(raw)))
    end = draw(st.integers(start, len(raw)))
    return raw[:start] + draw(st.binary(max_size=8)) + raw[end:]


def _deep(depth: int, of_objects: bool, closed: bool) -> bytes:
    opening, leaf, closing = (b'{"a": ', b"1", b"}") if of_objects else (b"[", b"", b"]")
    return opening * depth + (leaf + closing * depth if closed else b"")


deep_bodies = st.builds(_deep, st.integers(1, 20_000), st.booleans(), st.booleans())

hostile_bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(encode),
    spoiled_events(),
    deep_bodies,
)
