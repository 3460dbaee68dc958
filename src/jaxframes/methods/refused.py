"""The pandas names refused on purpose (``jaxframes.refusals``), installed on the facades.

These mixins come last in DataFrame's and Series' bases, so a method built later in any other
mixin takes precedence over its refusal."""

from __future__ import annotations

from jaxframes.refusals import refused_members


class FrameRefusedMethods:
    """DataFrame names refused on purpose: each raises NotImplementedError with its reason."""

    __slots__ = ()


class SeriesRefusedMethods:
    """Series names refused on purpose: each raises NotImplementedError with its reason."""

    __slots__ = ()


for _cls, _group in ((FrameRefusedMethods, "DataFrame"), (SeriesRefusedMethods, "Series")):
    for _name, _member in refused_members(_group).items():
        setattr(_cls, _name, _member)
