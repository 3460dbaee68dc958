"""Exceptions that are ours, not pandas'. Everything else raises what pandas raises."""


class ImmutableFrameError(TypeError):
    """Raised where pandas would mutate in place: JaxFrames frames are immutable values."""
