"""Near duplicates among 64-bit perceptual hashes (image dHash, text SimHash), without comparing
every pair: a million hashes take seconds, not days.

The semantics follow pandas' ``duplicated(keep="first")``: the first member of a group of near
duplicates is not counted, each later one points at the earliest earlier hash within the distance.
Nearness is not transitive: in a chain a ~ b ~ c where a and c are far apart, b points at a and c
points at a if it is near a, else at b (c counts whenever it is near any earlier hash).

How: split the 64 bits into ``distance + 1`` bands or more. Two hashes that differ in at most
``distance`` bits differ in at most ``distance`` bands (pigeonhole), so they agree exactly on the
other bands: only hashes that share the bits of some ``bands - distance`` bands are compared. With
``distance + 1`` bands a band is 13 bits at distance 4, and a million evenly spread hashes put
about 120 in each bucket; with 6 bands taken two at a time a key is 21 bits and a bucket holds
about one, for 15 lookups a hash (the band count is chosen per call, for the fewest comparisons).
Identical hashes are collapsed first, so a thousand blank frames cost nothing; the buckets are runs of
a sorted numpy array, compared a run offset at a time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

BITS = 64
MAX_TABLES = 600  # bucket tables at most
TABLE_COST = 20.0  # a table's sort, per hash, in pair comparisons (numpy: measured on a million hashes)


def hamming(a: int, b: int) -> int:
    """Bits in which two hashes differ."""
    return (a ^ b).bit_count()


def near_duplicates(hashes: Sequence[int | None], distance: int, *,
                    exclude: Sequence[bool] | None = None) -> list[int]:
    """Per position: the position of the earliest earlier hash within ``distance`` bits, or -1.

    A None hash (not measured) and a position with ``exclude[i]`` True (say, an exact byte
    duplicate, counted by another check) are neither matched nor a match: they get -1 and no later
    hash points at them.
    """
    if distance < 0:
        raise ValueError(f"distance must be 0 or more, not {distance}")
    if exclude is not None and len(exclude) != len(hashes):
        raise ValueError(f"exclude has {len(exclude)} entries for {len(hashes)} hashes")
    result = [-1] * len(hashes)
    if distance >= BITS:  # every pair is near: each points at the first eligible hash
        first = -1
        for position, value in enumerate(hashes):
            if value is None or (exclude is not None and exclude[position]):
                continue
            if first < 0:
                first = position
            else:
                result[position] = first
        return result

    eligible = [position for position, value in enumerate(hashes)
                if value is not None and not (exclude is not None and exclude[position])]
    if not eligible:
        return result
    positions = np.array(eligible, dtype=np.int64)
    values = np.array([hashes[position] for position in eligible], dtype=np.uint64)
    # identical hashes collapse to one distinct value, met first at first_positions
    distinct, first_index, inverse = np.unique(values, return_index=True, return_inverse=True)
    first_positions = positions[first_index]
    never = np.iinfo(np.int64).max
    earliest_near = np.full(distinct.size, never, dtype=np.int64)  # per distinct value: earliest other near one
    for mask in _masks(distance, int(distinct.size)):
        keys = distinct & np.uint64(mask)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        # compare each member of a bucket (a run of equal keys) with the ones offset places after it
        active = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
        offset = 1
        while active.size:
            left, right = order[active], order[active + offset]
            near = _popcount(distinct[left] ^ distinct[right]) <= distance
            if near.any():
                left, right = left[near], right[near]
                left_first, right_first = first_positions[left], first_positions[right]
                later = np.where(left_first > right_first, left, right)
                np.minimum.at(earliest_near, later, np.minimum(left_first, right_first))
            offset += 1
            active = active[active + offset < sorted_keys.size]
            active = active[sorted_keys[active + offset] == sorted_keys[active]]
    own_first = first_positions[inverse]
    nearest = earliest_near[inverse]
    # a repeat of a hash points at its first occurrence, or at an earlier near one; a first occurrence
    # only at an earlier near one (earliest_near holds only hashes first met before it)
    answer = np.where(positions == own_first, nearest, np.minimum(own_first, nearest))
    answer[answer == never] = -1
    for position, earlier in zip(eligible, answer.tolist(), strict=True):
        result[position] = earlier
    return result


def _popcount(values: np.ndarray) -> np.ndarray:
    """Set bits per uint64."""
    if hasattr(np, "bitwise_count"):  # numpy 2
        return np.bitwise_count(values)
    table = np.array([bin(byte).count("1") for byte in range(256)], dtype=np.uint8)
    return table[values.view(np.uint8).reshape(-1, 8)].sum(axis=1)


def groups(hashes: Sequence[int | None], distance: int, *, exclude: Sequence[bool] | None = None) -> list[int]:
    """Per position: the position of the group's first member (itself for a first member, -1 for
    a None or excluded hash), following the near_duplicates chain to its root."""
    nearest = near_duplicates(hashes, distance, exclude=exclude)
    roots: list[int] = []
    for position, earlier in enumerate(nearest):
        if earlier < 0:
            eligible = hashes[position] is not None and not (exclude is not None and exclude[position])
            roots.append(position if eligible else -1)
        else:
            roots.append(roots[earlier])
    return roots


def _masks(distance: int, count: int) -> list[int]:
    """The bit masks to bucket by: ``bands`` bands of nearly equal width, and every combination of
    ``bands - distance`` of them (two hashes within ``distance`` bits differ in at most ``distance``
    bands, so they agree on all the bands of at least one combination). More bands mean more tables
    but fuller keys and emptier buckets; the count is chosen for the fewest comparisons expected
    among ``count`` hashes spread evenly."""
    best: tuple[float, int] | None = None
    for bands in range(distance + 1, BITS + 1):
        agree = bands - distance
        tables = math.comb(bands, agree)
        if tables > MAX_TABLES and best is not None:
            break
        key_bits = BITS * agree / bands
        cost = tables * (TABLE_COST + count / 2.0**key_bits)
        if best is None or cost < best[0]:
            best = (cost, bands)
    assert best is not None
    bands = best[1]
    width, extra = divmod(BITS, bands)
    band_masks = []
    shift = 0
    for index in range(bands):
        size = width + (1 if index < extra else 0)
        band_masks.append(((1 << size) - 1) << shift)
        shift += size
    return [sum(chosen) for chosen in itertools.combinations(band_masks, bands - distance)]
