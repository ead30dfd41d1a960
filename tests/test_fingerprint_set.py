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
    assert stored._stored > 1000 and len(stored._index) > 10  # inserted into the run, in blocks
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
