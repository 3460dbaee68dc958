"""Time series operations (layer 3): resample, asfreq, shift(freq=), at_time/between_time, asof.
merge_asof lives with the joins (joins/asof.py)."""
