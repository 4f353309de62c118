"""Near duplicates among 64-bit hashes: the banded search against an every-pair reference."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from readiness.media.hashes import groups, hamming, near_duplicates


def every_pair(hashes: Sequence[int | None], distance: int, exclude: Sequence[bool] | None = None) -> list[int]:
    """The O(n^2) reference: the earliest earlier eligible hash within distance bits, or -1."""
    def eligible(position: int) -> bool:
        return hashes[position] is not None and not (exclude is not None and exclude[position])

    result = []
    for position, value in enumerate(hashes):
        match = -1
        if eligible(position):
            for earlier in range(position):
                if eligible(earlier) and hamming(hashes[earlier], value) <= distance:  # type: ignore[arg-type]
                    match = earlier
                    break
        result.append(match)
    return result


def planted(rng: random.Random, count: int, distance: int) -> list[int | None]:
    """Random hashes, half of them copies of others with up to distance + 2 bits flipped, a few None."""
    hashes: list[int] = [rng.getrandbits(64) for _ in range(count // 2)]
    for _ in range(count - count // 2):
        value = rng.choice(hashes)
        for _ in range(rng.randint(0, distance + 2)):
            value ^= 1 << rng.randrange(64)
        hashes.append(value)
    rng.shuffle(hashes)
    return [value if rng.random() > 0.05 else None for value in hashes]


def test_hamming() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0, (1 << 64) - 1) == 64
    assert hamming(0b1011, 0b0110) == 3


@pytest.mark.parametrize("distance", [0, 1, 2, 3, 4, 5, 6, 8, 10, 16, 63, 64, 70])
@pytest.mark.parametrize("seed", range(3))
def test_matches_every_pair_reference(distance: int, seed: int) -> None:
    rng = random.Random(seed * 100 + distance)
    hashes = planted(rng, 400, distance)
    found = near_duplicates(hashes, distance)
    assert found == every_pair(hashes, distance)
    if distance < 64:
        assert sum(position >= 0 for position in found) > 50  # the planted pairs were found
    exclude = [rng.random() < 0.15 for _ in hashes]
    assert near_duplicates(hashes, distance, exclude=exclude) == every_pair(hashes, distance, exclude)


def test_semantics_first_is_not_counted_and_chains() -> None:
    a = 0
    b = 0b1111  # 4 bits from a
    c = 0b11111111  # 4 bits from b, 8 from a
    far = (1 << 64) - 1
    assert near_duplicates([a, b, c, far, a, None], 4) == [-1, 0, 1, -1, 0, -1]
    assert near_duplicates([a, b, c], 8) == [-1, 0, 0]
    # an excluded hash is neither matched nor a match
    assert near_duplicates([a, b, c], 4, exclude=[False, True, False]) == [-1, -1, -1]
    assert groups([a, b, c, far, a, None], 4) == [0, 0, 0, 3, 0, -1]


def test_identical_hashes_point_at_the_first() -> None:
    hashes: list[int | None] = [7 for _ in range(1000)]
    hashes.append(7 ^ 0b11)
    found = near_duplicates(hashes, 2)
    assert found == [-1] + [0] * 1000


def test_a_repeat_prefers_an_earlier_near_hash() -> None:
    # 0 and 1 differ in one bit; the repeat of 1 points at 0, the earlier of the two
    assert near_duplicates([0, 1, 1], 1) == [-1, 0, 0]
    assert near_duplicates([1, 0, 1], 1) == [-1, 0, 0]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        near_duplicates([1, 2], -1)
    with pytest.raises(ValueError):
        near_duplicates([1, 2], 2, exclude=[True])
    assert near_duplicates([], 4) == []
    assert near_duplicates([None, None], 4) == [-1, -1]
