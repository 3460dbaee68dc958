"""Array kernels below the API layer: each has a C++ (XLA FFI, CPU) path and a pure-JAX twin."""
