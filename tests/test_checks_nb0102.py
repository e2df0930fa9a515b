"""check_calls (branch nb0102): a table of calls, each one unchanged-checked and compared."""

from __future__ import annotations

import pytest

from course.checks import check_calls, single_use


def test_check_calls_passes_and_returns_results():
    out = check_calls(str.split, [("a  b", ["a", "b"]), ((" x\ty ",), ["x", "y"]), (("a,b",), {"sep": ","}, ["a", "b"])])
    assert out == [["a", "b"], ["x", "y"], ["a", "b"]]


def test_check_calls_names_the_failing_call_and_gives_the_hint():
    with pytest.raises(AssertionError, match=r"split\('a b'\): expected \['a', 'b', 'c'\].*Likely cause: count"):
        check_calls(str.split, [("a b", ["a", "b", "c"])], hint="count")


def test_check_calls_is_strict_about_kinds_unless_close():
    with pytest.raises(AssertionError, match="expected a tuple"):
        check_calls(lambda a: list(a), [(((1, 2),), (1, 2))])
    check_calls(lambda x: x / 2, [(1, 0.5000001)], close=True)


def test_check_calls_fails_when_an_argument_is_changed():
    def pops(xs):
        xs.pop()
        return xs

    with pytest.raises(AssertionError, match="changed its input"):
        check_calls(pops, [(([1, 2],), [1])])


def test_check_calls_projects_and_accepts_single_use_arguments():
    check_calls(lambda items: {"n": sum(1 for _ in items)}, [(single_use([1, 2, 3]), 3)], project=lambda r: r["n"])
    with pytest.raises(AssertionError, match="iterated a second time"):
        check_calls(lambda items: (list(items), list(items)), [(single_use([1]), None)])


def test_check_calls_names_a_generator_and_accepts_a_single_use_of_another_class():
    class single_use:  # noqa: N801 - what a notebook holds after the hidden tests reload course.checks
        def __init__(self, items):
            self._items, self._used = list(items), False

        def __iter__(self):
            self._used = True
            return iter(self._items)

    with pytest.raises(AssertionError, match=r"<lambda>\(<single_use>\): expected 4"):
        check_calls(lambda items: sum(items), [(single_use([1, 2]), 4)])
    check_calls(lambda items: sum(items), [(single_use([1, 2]), 3), ((x for x in [1]), 1)])
