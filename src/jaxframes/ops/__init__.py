"""Column-level operations with pandas semantics (dtype promotion, null propagation).

They take and return Columns (plus a live-row mask where rows matter); the API classes in
frame.py / series.py are thin wrappers around them.
"""
