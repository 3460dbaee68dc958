"""Sort-based group-by: sort the keys once, find segment boundaries, reduce segments."""
