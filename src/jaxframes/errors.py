"""Exceptions that are ours, not pandas'. Everything else raises what pandas raises."""


class ImmutableFrameError(TypeError):
    """Raised where pandas would mutate in place: JaxFrames frames are immutable values."""


def reject_inplace(inplace: bool, method: str) -> None:
    """Frames are immutable; say so instead of silently ignoring ``inplace=True``."""
    if inplace:
        raise ImmutableFrameError(
            f"{method}(inplace=True) is not supported: JaxFrames frames are immutable. "
            f"Use the returned frame: df = df.{method}(...)")
