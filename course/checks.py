"""Teaching checkers: assertions whose messages say what was expected, what came back and why.

Every checker compares plain Python values (taken with ``.tolist()``), never through
``torch.allclose`` or ``numpy.testing``, so a student who rebinds a library function in a
cell cannot make a wrong answer pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "check_shape",
    "check_dtype",
    "check_close",
    "check_equal",
    "check_true",
    "check_raises",
    "max_abs_diff",
    "to_python",
]


def _hint(hint: str) -> str:
    return f" Likely cause: {hint}" if hint else ""


def to_python(x: Any) -> Any:
    """Convert a tensor / ndarray / scalar / nested sequence into plain Python lists and numbers."""
    if hasattr(x, "detach"):  # torch.Tensor
        x = x.detach().cpu()
    if hasattr(x, "tolist"):  # torch.Tensor, numpy array or numpy scalar
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return [to_python(v) for v in x]
    return x


def _shape_of(x: Any) -> tuple[int, ...] | None:
    shape = getattr(x, "shape", None)
    return None if shape is None else tuple(int(s) for s in shape)


def _flatten(x: Any) -> list:
    if isinstance(x, list):
        out: list = []
        for v in x:
            out.extend(_flatten(v))
        return out
    return [x]


def _nested_shape(x: Any) -> tuple[int, ...]:
    if isinstance(x, list):
        return (len(x),) + (_nested_shape(x[0]) if x else ())
    return ()


def check_shape(got: Any, expected: Sequence[int], name: str = "result", hint: str = "") -> None:
    """Assert that ``got.shape`` equals ``expected``."""
    got_shape = _shape_of(got)
    if got_shape is None:
        raise AssertionError(
            f"{name}: expected a tensor of shape {tuple(expected)}, got {type(got).__name__} "
            f"with no .shape.{_hint(hint or 'did you return a list or None instead of a tensor?')}"
        )
    if got_shape != tuple(expected):
        raise AssertionError(
            f"{name}: expected shape {tuple(expected)}, got {got_shape}.{_hint(hint)}"
        )


def check_dtype(got: Any, expected: Any, name: str = "result", hint: str = "") -> None:
    """Assert that ``got.dtype`` equals ``expected`` (compared by name)."""
    got_dtype = getattr(got, "dtype", None)
    if str(got_dtype) != str(expected):
        raise AssertionError(f"{name}: expected dtype {expected}, got {got_dtype}.{_hint(hint)}")


def max_abs_diff(got: Any, expected: Any) -> float:
    """Largest absolute element-wise difference between two equally shaped values."""
    a, b = _flatten(to_python(got)), _flatten(to_python(expected))
    if len(a) != len(b):
        raise ValueError(f"cannot compare {len(a)} values with {len(b)} values")
    diffs = [abs(float(x) - float(y)) for x, y in zip(a, b, strict=True)]
    if any(math.isnan(float(x)) != math.isnan(float(y)) for x, y in zip(a, b, strict=True)):
        return math.inf
    return max((d for d in diffs if not math.isnan(d)), default=0.0)


def check_close(
    got: Any,
    expected: Any,
    name: str = "result",
    atol: float = 1e-5,
    rtol: float = 1e-4,
    hint: str = "",
) -> None:
    """Assert element-wise ``|got - expected| <= atol + rtol * |expected|``, reporting the worst spot."""
    g, e = to_python(got), to_python(expected)
    g_shape, e_shape = _nested_shape(g), _nested_shape(e)
    if g_shape != e_shape:
        raise AssertionError(
            f"{name}: expected shape {e_shape}, got {g_shape}; values cannot be compared."
            f"{_hint(hint)}"
        )
    flat_g, flat_e = _flatten(g), _flatten(e)
    worst, worst_i = -1.0, -1
    for i, (x, y) in enumerate(zip(flat_g, flat_e, strict=True)):
        x, y = float(x), float(y)
        if math.isnan(x) or math.isnan(y):
            if math.isnan(x) and math.isnan(y):
                continue
            worst, worst_i = math.inf, i
            break
        excess = abs(x - y) - (atol + rtol * abs(y))
        if excess > 0 and abs(x - y) > worst:
            worst, worst_i = abs(x - y), i
    if worst_i >= 0:
        diff = max_abs_diff(g, e)
        position = _unravel(worst_i, e_shape)
        raise AssertionError(
            f"{name}: values differ. Max abs difference {diff:.3g} (allowed {atol:g} + "
            f"{rtol:g}*|expected|); first bad element at index {position}: expected "
            f"{float(flat_e[worst_i]):.6g}, got {float(flat_g[worst_i]):.6g}.{_hint(hint)}"
        )


def _unravel(i: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    if not shape:
        return ()
    idx = []
    for size in reversed(shape):
        idx.append(i % size)
        i //= size
    return tuple(reversed(idx))


def check_equal(got: Any, expected: Any, name: str = "result", hint: str = "") -> None:
    """Assert exact equality of plain values (tensors are compared through ``.tolist()``)."""
    g, e = to_python(got), to_python(expected)
    if g != e or type(g) is not type(e) and not _same_numeric_kind(g, e):
        raise AssertionError(f"{name}: expected {_short(e)}, got {_short(g)}.{_hint(hint)}")


def _same_numeric_kind(a: Any, b: Any) -> bool:
    numeric = (int, float)
    return isinstance(a, numeric) and isinstance(b, numeric) and not isinstance(a, bool)


def _short(x: Any, limit: int = 200) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_true(condition: bool, message: str, hint: str = "") -> None:
    """Assert a condition, with a message that says what should have held."""
    if condition is not True:
        raise AssertionError(f"{message}{_hint(hint)}")


def check_raises(
    fn: Callable[[], Any],
    exc_type: type[BaseException] | tuple[type[BaseException], ...],
    name: str = "call",
    match: str | None = None,
    hint: str = "",
) -> BaseException:
    """Assert that ``fn()`` raises ``exc_type`` (whose message contains ``match``); return it."""
    expected = exc_type.__name__ if isinstance(exc_type, type) else " or ".join(
        t.__name__ for t in exc_type
    )
    try:
        fn()
    except exc_type as err:
        if match is not None and match not in str(err):
            raise AssertionError(
                f"{name}: raised {type(err).__name__} as expected, but its message "
                f"{str(err)!r} does not mention {match!r}.{_hint(hint)}"
            ) from None
        return err
    except Exception as err:  # noqa: BLE001 - report the wrong exception type
        raise AssertionError(
            f"{name}: expected {expected}, got {type(err).__name__}: {err}.{_hint(hint)}"
        ) from None
    raise AssertionError(f"{name}: expected {expected} to be raised, but nothing was.{_hint(hint)}")
