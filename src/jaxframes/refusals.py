"""The pandas names JaxFrames refuses on purpose, with the reason: the one list.

The facades and the top level install each refused name as a callable (or property) that raises
``NotImplementedError`` with its reason, and ``python -m jaxframes.coverage`` lists them as refused
rather than missing. A name leaves this table when it is built.
"""

from __future__ import annotations

from typing import Any, Callable

_SPARSE = "sparse data is not supported: JaxFrames columns are dense JAX arrays (use .to_pandas() for pandas' sparse accessor)"
_STYLE = "the Styler renders pandas objects: use df.to_pandas().style"
_COMMON_FRAME = {
    "sparse": _SPARSE,
}

REFUSED: dict[str, dict[str, str]] = {
    "DataFrame": {
        **_COMMON_FRAME,
        "style": _STYLE,
    },
    "Series": {
        **_COMMON_FRAME,
        "struct": "struct columns (Arrow struct) are not supported: flatten them into columns before converting",
    },
    "DataFrameGroupBy": {},
    "SeriesGroupBy": {},
    "top level": {
        "SparseDtype": _SPARSE,
        "test": "runs pandas' own test suite: use pd.test(); JaxFrames' tests run with pytest",
    },
}

# Public names of pandas' top level that are not API but its internals or import artifacts:
# neither counted as had nor as lacked by the coverage report.
NOT_COUNTED: dict[str, str] = {
    "annotations": "`from __future__ import annotations` leaking into pandas' namespace",
    "compat": "pandas' internal compatibility shims",
    "core": "pandas' internal implementation package",
    "pandas": "the package's reference to itself",
    "util": "pandas' internal utilities",
}


class Refused:
    """A refused name: calling it (or, as a class attribute, reading it through an instance of a
    property-like name) raises NotImplementedError with the reason."""

    def __init__(self, owner: str, name: str, reason: str, is_property: bool = False):
        self.owner, self.name, self.reason, self.is_property = owner, name, reason, is_property

    def error(self) -> NotImplementedError:
        return NotImplementedError(f"{self.owner}.{self.name} is refused: {self.reason}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error()

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        if self.is_property:
            raise self.error()
        return self

    def __repr__(self) -> str:
        return f"<refused {self.owner}.{self.name}: {self.reason}>"


# pandas attributes (not methods) among the refused names: reading them raises.
_PROPERTIES = {"sparse", "style", "struct"}


def refused_members(group: str) -> dict[str, Refused]:
    """{name: Refused} for a class group ("DataFrame", "Series", ...), to set on the class."""
    return {name: Refused(group, name, reason, name in _PROPERTIES) for name, reason in REFUSED[group].items()}


def refused_functions() -> dict[str, Callable[..., Any]]:
    """{name: Refused} for the top level."""
    return {name: Refused("jaxframes", name, reason) for name, reason in REFUSED["top level"].items()}


def is_refused(obj: Any) -> bool:
    return isinstance(obj, Refused)


def not_built(reason: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a method that exists only to raise ``NotImplementedError(reason)``: the coverage
    report counts it as missing, not as a name we have."""
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        def raiser(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError(reason)
        raiser.__name__, raiser.__doc__ = fn.__name__, fn.__doc__
        raiser._jf_not_built = reason  # type: ignore[attr-defined]
        return raiser
    return mark


def is_not_built(obj: Any) -> bool:
    return getattr(obj, "_jf_not_built", None) is not None
