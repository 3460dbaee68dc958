"""Which indexing keys pandas refuses, stated once for the indexing tests' ``raises=``.

A test says what it expects (``assert_matches_pandas(..., raises=...)``): these rules give the
expectation for a key from the sizes and labels, so a grid of keys mixes value cases and error
cases without trusting "both libraries raised" as a pass.
"""

import numpy as np
import pandas as pd


def iloc_refusal(key, n: int):
    """IndexError when a position in ``key`` is outside ``n`` rows (pandas' bounds check)."""
    if isinstance(key, slice) or isinstance(key, (list, np.ndarray)) and np.asarray(key).dtype == bool:
        return None
    positions = np.atleast_1d(np.asarray(key, dtype=np.int64))
    return IndexError if ((positions >= n) | (positions < -n)).any() else None


def loc_refusal(index: pd.Index, key):
    """KeyError when a label of ``key`` is missing (a slice bound counts on an unsorted index)."""
    if isinstance(key, slice):
        unsorted = not index.is_monotonic_increasing and not index.is_monotonic_decreasing
        bounds = [b for b in (key.start, key.stop) if b is not None]
        return KeyError if unsorted and any(b not in index for b in bounds) else None
    labels = key if isinstance(key, list) else [key]
    return KeyError if any(label not in index for label in labels) else None
