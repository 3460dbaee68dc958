"""Moving windows: rolling, expanding and exponentially weighted, over a Table's live rows.

The kernels live in kernels/windows.py (C++ on the CPU backend, a pure-JAX twin elsewhere);
this package turns pandas' window arguments into window bounds and applies pandas' rules
(min_periods, NaN, dtypes). The facades (methods/windows.py) construct these objects.
"""

from jaxframes.windows.ewm import EWM
from jaxframes.windows.rolling import Expanding, Rolling, Window

__all__ = ["EWM", "Expanding", "Rolling", "Window"]
