"""Execution: lowering plans to compiled stages (lower.py), the compile cache (cache.py)."""
