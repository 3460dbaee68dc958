"""Options: ``jf.set_option/get_option/reset_option/describe_option/option_context/options``.

Our own options live beside pandas': a key of ours (``"x64"``, also spelled ``"jaxframes.x64"``)
is handled here; every other key (``display.max_rows``, ...) passes through to pandas, whose
display options our repr and to_string use because they render with pandas.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

import jax
import pandas as pd


class _Option:
    def __init__(self, doc: str, default: Any, get: Callable[[], Any], set_: Callable[[Any], None]):
        self.doc, self.default, self.get, self.set = doc, default, get, set_


def _set_x64(value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"Value must be a bool, got {value!r}")
    jax.config.update("jax_enable_x64", value)


OURS: dict[str, _Option] = {
    "x64": _Option(
        "64-bit device arrays (jax_enable_x64). True by default (JAXFRAMES_X64=0 before import: False); "
        "pandas computes in int64/float64, so results differ where precision matters when False. "
        "Frames built before a change keep their dtypes.",
        True, lambda: bool(jax.config.jax_enable_x64), _set_x64),
}


def _ours(key: str) -> str | None:
    name = key[len("jaxframes."):] if key.startswith("jaxframes.") else key
    return name if name in OURS else None


def get_option(key: str) -> Any:
    name = _ours(key)
    return OURS[name].get() if name else pd.get_option(key)


def set_option(*args: Any) -> None:
    if len(args) % 2 or not args:
        raise ValueError("Must provide an even number of non-keyword arguments")
    for key, value in zip(args[::2], args[1::2]):
        name = _ours(key)
        if name:
            OURS[name].set(value)
        else:
            pd.set_option(key, value)


def reset_option(key: str) -> None:
    name = _ours(key)
    if name:
        OURS[name].set(OURS[name].default)
    elif key == "all":
        pd.reset_option("all")
        for opt in OURS.values():
            opt.set(opt.default)
    else:
        pd.reset_option(key)


def describe_option(key: str = "", _print_desc: bool = True) -> str | None:
    name = _ours(key)
    if name:
        opt = OURS[name]
        text = f"jaxframes.{name} : {type(opt.default).__name__}\n    {opt.doc}\n    [default: {opt.default}] [currently: {opt.get()}]\n"
    else:
        text = pd.describe_option(key, _print_desc=False) or ""
        if not key or key == "all":
            text += "".join(describe_option(f"jaxframes.{n}", False) for n in OURS)
    if _print_desc:
        print(text, end="")
        return None
    return text


@contextlib.contextmanager
def option_context(*args: Any) -> Iterator[None]:
    if len(args) % 2 or not args:
        raise ValueError("Provide an even amount of arguments as option_context(pat, val, pat, val...).")
    pairs = list(zip(args[::2], args[1::2]))
    saved = [(key, get_option(key)) for key, _ in pairs]
    try:
        set_option(*args)
        yield
    finally:
        for key, value in saved:
            set_option(key, value)


class Options:
    """``jf.options``: ``jf.options.x64`` (ours) and pandas' tree (``jf.options.display.max_rows``)."""

    def __getattr__(self, name: str) -> Any:
        if name in OURS:
            return OURS[name].get()
        return getattr(pd.options, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in OURS:
            OURS[name].set(value)
        else:
            setattr(pd.options, name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(OURS) | set(dir(pd.options)))


options = Options()
