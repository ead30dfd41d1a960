"""FingerprintSet answers exactly as a set of the same fingerprints would."""

from __future__ import annotations

import hashlib
import random

from ascrapy.fingerprint_set import FingerprintSet


def _fingerprints(count: int, seed: int) -> list[bytes]:
    return [hashlib.sha1(f"{seed}-{n}".encode()).digest() for n in range(count)]  # noqa: S324


def test_membership_matches_a_set_across_runs_and_merges():
    stored = FingerprintSet(recent_minimum=64)
    reference: set[bytes] = set()
    rng = random.Random(7)
    pool = _fingerprints(3000, seed=1)
    for fingerprint in pool[:2000]:
        if rng.random() < 0.3 and reference:  # re-adding a known one changes nothing
            known = rng.choice(sorted(reference))
            stored.add(known)
        stored.add(fingerprint)
        reference.add(fingerprint)
    assert stored._stored > 1000 and len(stored._starts) > 10  # inserted into the run, in buckets
    assert len(stored) == len(reference) == 2000
    for fingerprint in pool:
        assert (fingerprint in stored) == (fingerprint in reference)
    assert sorted(stored) == sorted(reference)


def test_fingerprints_of_other_lengths_and_types():
    stored = FingerprintSet(_fingerprints(10, seed=2), recent_minimum=4)
    stored.add(b"short")
    stored.update([b"short", b"x" * 32])
    for _ in range(8):
        stored.add(hashlib.sha1(str(_).encode()).digest())  # noqa: S324
    assert b"short" in stored and b"x" * 32 in stored
    assert b"other" not in stored and "text" not in stored and None not in stored
    assert len(stored) == len(set(stored)) == 20


def test_an_empty_set_holds_nothing():
    stored = FingerprintSet()
    assert len(stored) == 0 and list(stored) == [] and b"a" * 20 not in stored


def test_add_unseen_skips_the_lookup_and_the_run_grows_in_its_own_mapping():
    import mmap

    stored = FingerprintSet(recent_minimum=16)
    pool = _fingerprints(400, seed=3)
    for fingerprint in pool:
        assert fingerprint not in stored
        stored.add_unseen(fingerprint)
    assert isinstance(stored._run, mmap.mmap) and stored._stored >= 16 * 16
    assert all(fingerprint in stored for fingerprint in pool)
    assert len(stored) == 400


def test_update_stores_many_at_once_and_keeps_later_additions_right():
    first, later = _fingerprints(5000, seed=4), _fingerprints(200, seed=5)
    stored = FingerprintSet(first + first[:100], recent_minimum=256)
    assert stored._stored == 5000 and not stored._recent  # one run, straight away
    stored.update(later + first[:50])  # few new ones: they wait in the recent set
    assert len(stored) == 5200 and len(stored._recent) == 200
    assert all(fp in stored for fp in first + later)
    assert b"z" * 20 not in stored


def test_a_batch_of_only_other_lengths_leaves_the_run_alone():
    stored = FingerprintSet(recent_minimum=2)
    stored.update([b"ab", b"cd", b"ef"])  # the first length seen becomes the record width
    stored.update([b"long-one", b"long-two"])
    assert {b"ab", b"cd", b"ef", b"long-one", b"long-two"} == set(stored)


def _check_against(stored: FingerprintSet, reference: set[bytes], probes: list[bytes]) -> None:
    assert len(stored) == len(reference)
    for fingerprint in probes:
        assert (fingerprint in stored) == (fingerprint in reference), fingerprint
    listed = list(stored)
    assert len(listed) == len(reference) and set(listed) == reference  # each one once, whole


def test_random_operations_match_a_set_across_merges_and_bucket_splits():
    for seed in range(4):
        rng = random.Random(seed)
        pool = _fingerprints(6000, seed=10 + seed)
        stored = FingerprintSet(recent_minimum=rng.choice([1, 8, 32]))
        reference: set[bytes] = set()
        bits = []
        for _ in range(3000):
            choice = rng.random()
            if choice < 0.5:
                fingerprint = rng.choice(pool)
                stored.add(fingerprint)
                reference.add(fingerprint)
            elif choice < 0.8:
                fingerprint = rng.choice(pool)
                if fingerprint not in stored:
                    stored.add_unseen(fingerprint)
                reference.add(fingerprint)
            elif choice < 0.82:
                batch = rng.sample(pool, rng.randrange(1, 400))
                stored.update(batch)
                reference.update(batch)
            else:
                fingerprint = rng.choice(pool)
                assert (fingerprint in stored) == (fingerprint in reference)
            bits.append(stored._bits)
        assert bits[-1] > bits[len(bits) // 10]  # the buckets were split on the way
        _check_against(stored, reference, pool)


def test_a_match_across_two_records_is_no_match():
    # Two-byte records: "xy" can be the end of one record and the start of the next.
    rng = random.Random(5)
    everything = [bytes([first, second]) for first in range(256) for second in range(256)]
    reference = set(rng.sample(everything, 30000))
    stored = FingerprintSet(sorted(reference), recent_minimum=1000)
    assert stored._stored == 30000
    _check_against(stored, reference, everything)


def test_fingerprints_of_many_lengths_empty_included():
    rng = random.Random(6)
    pool = [bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 16, 20, 20, 20, 32]))) for _ in range(3000)]
    stored = FingerprintSet(recent_minimum=16)
    reference: set[bytes] = set()
    for fingerprint in pool[:2000]:
        stored.add(fingerprint)
        reference.add(fingerprint)
    assert stored._width in {1, 16, 20, 32} and stored._stored and stored._odd  # set order picks the width
    _check_against(stored, reference, pool)
    assert (b"" in stored) == (b"" in reference)


def test_the_first_fingerprints_set_the_record_width():
    stored = FingerprintSet([b"", b"", b"abc"], recent_minimum=1)
    assert stored._width == 3 and b"" in stored and b"abc" in stored and b"abd" not in stored
    assert sorted(stored) == [b"", b"abc"] and len(stored) == 2


def test_a_merge_grows_the_same_mapping():
    stored = FingerprintSet(_fingerprints(1000, seed=7), recent_minimum=16)
    run = stored._run
    more = _fingerprints(100, seed=8)
    for fingerprint in more:
        stored.add(fingerprint)
    assert stored._run is run and stored._stored >= 1096
    _check_against(stored, set(_fingerprints(1000, seed=7) + more), more)


def test_update_in_batches_with_duplicates_across_them(monkeypatch):
    from ascrapy import fingerprint_set

    monkeypatch.setattr(fingerprint_set, "_UPDATE_BATCH", 700)
    first, second = _fingerprints(3000, seed=9), _fingerprints(3000, seed=10)
    stored = FingerprintSet(first + first[::3], recent_minimum=500)  # batches of new and known ones
    stored.update(iter(second[:100] + first[:1000] + second))  # one small batch, then large ones
    _check_against(stored, set(first + second), first + second + _fingerprints(500, seed=11))
