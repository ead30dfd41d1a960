import pytest

from ascrapy.utils.memo import ClearingMemo


def test_a_memo_answers_what_it_kept_until_it_is_full_then_starts_over():
    memo: ClearingMemo[str, int] = ClearingMemo(3)
    assert memo.keep("a", 1) == 1
    memo.keep("b", 2)
    memo.keep("c", 3)
    assert memo.get("a") == 1 and len(memo) == 3
    assert memo.keep("d", 4) == 4
    assert dict(memo) == {"d": 4}  # emptied, then the new answer kept


def test_a_memo_keeps_at_least_one_answer():
    with pytest.raises(ValueError, match="at least one"):
        ClearingMemo(0)
