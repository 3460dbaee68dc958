"""Logical plans: nodes (nodes.py), schemas (schema.py), plan text (explain.py), optimizer/."""
