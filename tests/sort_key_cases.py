"""Sort-key test data (ties, NaN, -0.0, +-inf, extremes, nulls) and an independent numpy oracle.

The oracle never uses the bit tricks under test: it ranks the valid values with np.unique
(which ties -0.0 with 0.0), places nulls by na_position, and sorts with np.lexsort (stable).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from jaxframes.kernels.keys import SortKey

KINDS = ("int32", "int64", "float32", "float64", "bool", "datetime", "codes", "uint32")
NAT = np.iinfo(np.int64).min


@dataclass
class HostKey:
    """A sort key on the host: values, validity (None = no mask) and ordering rules."""

    kind: str
    values: np.ndarray
    validity: np.ndarray | None = None
    ascending: bool = True
    na_position: str = "last"
    domain: int | None = None

    def null_mask(self) -> np.ndarray:
        null = np.zeros(len(self.values), bool) if self.validity is None else ~self.validity
        if self.values.dtype.kind == "f":
            null |= np.isnan(self.values)
        if self.kind == "datetime":
            null |= self.values == NAT
        return null

    def to_device(self) -> SortKey:
        kind = {"datetime": "M", "codes": "U"}.get(self.kind)
        validity = None if self.validity is None else jnp.asarray(self.validity)
        return SortKey(jnp.asarray(self.values), kind=kind, ascending=self.ascending,
                       na_position=self.na_position, validity=validity, domain=self.domain)


def make_values(kind: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, int | None]:
    """Values with many ties and the awkward cases of the dtype; (values, domain or None)."""
    if kind == "bool":
        return rng.random(n) < 0.5, None
    if kind == "codes":
        domain = 5
        return rng.integers(0, domain, n).astype(np.int32), domain
    if kind in ("float32", "float64"):
        dt = np.dtype(kind)
        specials = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, np.finfo(dt).max, np.finfo(dt).min,
                             np.finfo(dt).tiny, -np.finfo(dt).tiny, 1.5, -1.5, 2.0], dt)
        pool = np.concatenate([specials, rng.normal(size=8).astype(dt)])
        return pool[rng.integers(0, len(pool), n)], None
    dt = np.dtype({"datetime": "int64"}.get(kind, kind))
    info = np.iinfo(dt)
    specials = [info.min, info.max, info.min + 1, info.max - 1, 0, 1, 2]
    if kind == "datetime":
        specials += [NAT, 1_600_000_000_000_000_000]
    if dt.kind == "i":
        specials += [-1, -2]
    pool = np.concatenate([np.array(specials, dt), rng.integers(info.min // 2, info.max // 2, 8, dtype=dt)])
    return pool[rng.integers(0, len(pool), n)], None


def make_key(kind: str, n: int, rng: np.random.Generator, *, ascending: bool = True,
             na_position: str = "last", with_validity: bool = False) -> HostKey:
    values, domain = make_values(kind, n, rng)
    validity = rng.random(n) < 0.8 if with_validity else None
    return HostKey(kind, values, validity, ascending, na_position, domain)


def oracle_argsort(keys: list[HostKey]) -> np.ndarray:
    """The expected stable permutation, from ranks and np.lexsort."""
    columns = []
    for key in keys:
        null = key.null_mask()
        valid = key.values[~null]
        ranks = np.zeros(len(key.values), np.int64)
        if valid.size:
            uniques, inverse = np.unique(valid, return_inverse=True)
            ranks[~null] = inverse if key.ascending else len(uniques) - 1 - inverse
            top = len(uniques)
        else:
            top = 0
        ranks[null] = -1 if key.na_position == "first" else top
        columns.append(ranks)
    if not columns or len(columns[0]) == 0:
        return np.zeros(0, np.int64)
    return np.lexsort(columns[::-1])
