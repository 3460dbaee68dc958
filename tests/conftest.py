"""Shared fixtures. Test data lives in frames.py, Hypothesis strategies in strategies.py."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
# The suite's time is mostly XLA compiling ~10k small programs that then run on a few rows:
# skipping LLVM's optimization passes cuts that CPU time by about a fifth. Semantics do not
# change (no fast-math); subprocess tests inherit it through the environment.
os.environ.setdefault("JAX_DISABLE_MOST_OPTIMIZATIONS", "1")

import hypothesis  # noqa: E402

hypothesis.settings.register_profile("ci", max_examples=20, deadline=None, derandomize=True)
hypothesis.settings.register_profile("dev", max_examples=60, deadline=None)
# The long differential fuzz run (tests/test_fuzz.py): many random chains, a new seed each run.
hypothesis.settings.register_profile("fuzz", max_examples=2000, deadline=None, derandomize=False,
                                     database=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
