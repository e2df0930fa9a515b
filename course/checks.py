"""Teaching checkers: assertions whose messages say what was expected, what came back and why.

Every checker compares plain Python values (taken with ``.tolist()``), never through
``torch.allclose`` or ``numpy.testing``, so a student who rebinds a library function in a
cell cannot make a wrong answer pass.

The checkers are strict by default: ``check_equal`` and ``check_close`` also compare the kind
of value (a tuple is not a list, an int is not a float, ``numpy.int64`` is not ``int``, a
float64 tensor is not a float32 one). ``strict=False`` is the explicit opt-out for a test that
really means "any number". ``call`` turns an exception raised inside the student's function
into one course message; ``call_unchanged`` also fails when the call modified an argument and
returns copies of the arguments taken before the call, from which references are computed.
"""

from __future__ import annotations

import copy
import linecache
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = [
    "check_shape",
    "check_dtype",
    "check_close",
    "check_equal",
    "check_true",
    "check_raises",
    "check_device",
    "check_grad",
    "call",
    "call_unchanged",
    "snapshot",
    "changed",
    "single_use",
    "max_abs_diff",
    "to_python",
]


# Failures are raised from a two-line function compiled here, so the traceback a student sees
# ends in "<course check>" with no checker source; the checkers' own frames carry
# __tracebackhide__, which IPython (and pytest) skip.
_RAISER_SOURCE = "def course_check_failed(error):\n    raise error  # a course check failed: read the message below\n"
_RAISER: dict = {}
exec(compile(_RAISER_SOURCE, "<course check>", "exec"), _RAISER)  # noqa: S102
linecache.cache["<course check>"] = (len(_RAISER_SOURCE), None, _RAISER_SOURCE.splitlines(True), "<course check>")


def _fail(message: str, cause: BaseException | None = None, suppress: bool = False) -> None:
    __tracebackhide__ = True
    error = AssertionError(message)
    if cause is not None:
        error.__cause__ = cause
    if suppress or cause is not None:
        error.__suppress_context__ = True
    _RAISER["course_check_failed"](error)


def _hint(hint: str) -> str:
    return f" Likely cause: {hint}" if hint else ""


def _is_tensor(x: Any) -> bool:
    return type(x).__module__.startswith("torch") and hasattr(x, "detach") and hasattr(x, "dtype")


def _is_ndarray(x: Any) -> bool:
    return type(x).__module__ == "numpy" and type(x).__name__ == "ndarray"


def _is_numpy_scalar(x: Any) -> bool:
    return type(x).__module__ == "numpy" and not _is_ndarray(x) and hasattr(x, "dtype")


def to_python(x: Any, name: str = "result") -> Any:
    """Convert a tensor / ndarray / scalar / nested sequence into plain Python lists and numbers."""
    __tracebackhide__ = True
    if _is_tensor(x):
        if x.device.type == "meta":
            _fail(
                f"{name}: got a tensor on the 'meta' device (shape {tuple(x.shape)}), whose values "
                "cannot be read. Likely cause: the result was left on (or moved to) another device; "
                "return it on the device of the inputs, or call .cpu() where a CPU value is asked for."
            )
        x = x.detach().cpu()
    if hasattr(x, "tolist"):  # torch.Tensor, numpy array or numpy scalar
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return [to_python(v, name) for v in x]
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


def _describe(x: Any) -> str:
    """A short type description: 'tensor float32 [2, 3] on cpu', 'numpy.int64', 'list of 3'."""
    if _is_tensor(x):
        return f"tensor {str(x.dtype).replace('torch.', '')} {list(x.shape)} on {x.device}"
    if _is_ndarray(x):
        return f"numpy array {x.dtype} {list(x.shape)}"
    if _is_numpy_scalar(x):
        return f"numpy.{type(x).__name__}"
    if isinstance(x, (list, tuple, dict, set)):
        return f"{type(x).__name__} of {len(x)}"
    return type(x).__name__


_KIND_HINTS = {
    ("tuple", "list"): "the docstring promises a tuple: return tuple(...)",
    ("int", "float"): "an int was promised: use // or int(...), or an integer dtype",
    ("float", "int"): "a float was promised: use / (true division) or float(...)",
    ("int", "numpy"): "numpy values are not Python ints: convert with int(...) or .tolist()",
    ("float", "numpy"): "numpy values are not Python floats: convert with float(...) or .item()",
    ("float", "tensor"): "return a Python number with .item(), not a 0-d tensor",
    ("int", "tensor"): "return a Python number with .item(), not a 0-d tensor",
}


def _kind_problem(got: Any, expected: Any, where: str = "", dict_value: bool = False) -> str | None:
    """Why ``got`` is not the same kind of value as ``expected`` (None when it is)."""
    at = f" at {where}" if where else ""
    if _is_tensor(expected):
        if not _is_tensor(got):
            return f"expected a tensor{at}, got {_describe(got)}"
        if got.dtype != expected.dtype:
            return f"expected dtype {expected.dtype}{at}, got {got.dtype}"
        if tuple(got.shape) != tuple(expected.shape):
            return f"expected shape {tuple(expected.shape)}{at}, got {tuple(got.shape)}"
        return None
    if _is_ndarray(expected):
        if not _is_ndarray(got):
            return f"expected a numpy array{at}, got {_describe(got)}"
        if str(got.dtype) != str(expected.dtype):
            return f"expected dtype {expected.dtype}{at}, got {got.dtype}"
        return None
    if _is_numpy_scalar(expected):
        if type(got) is not type(expected):
            return f"expected numpy.{type(expected).__name__}{at}, got {_describe(got)}"
        return None
    for kind in (bool, int, float, complex, str, bytes):
        if type(expected) is kind:
            if type(got) is kind:
                return None
            if dict_value and kind in (int, float) and _is_numpy_scalar(got) and got.dtype.kind == (
                    "i" if kind is int else "f"):
                return None  # a dict's values may be numpy numbers of the same kind (gensim's counts)
            return f"expected a Python {kind.__name__}{at}, got {_describe(got)}"
    if isinstance(expected, tuple):
        if not isinstance(got, tuple):
            return f"expected a tuple{at}, got {_describe(got)}"
        return _items_problem(list(got), list(expected), where)
    if isinstance(expected, list):
        if _is_tensor(got) or _is_ndarray(got):
            if _is_tensor(got) and got.device.type == "meta":
                return None  # to_python reports the device
            got = got.tolist()
        elif not isinstance(got, list):
            return f"expected a list{at}, got {_describe(got)}"
        return _items_problem(got, expected, where)
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"expected a dict{at}, got {_describe(got)}"
        if set(got) != set(expected):
            return None  # the value comparison reports the keys
        for key in expected:
            problem = _kind_problem(got[key], expected[key], f"{where}[{key!r}]", dict_value=True)
            if problem:
                return problem
        return None
    if expected is None:
        return None if got is None else f"expected None{at}, got {_describe(got)}"
    if isinstance(expected, (set, frozenset)) and not isinstance(got, (set, frozenset)):
        return f"expected a set{at}, got {_describe(got)}"
    return None


def _items_problem(got: list, expected: list, where: str) -> str | None:
    if len(got) != len(expected):
        return None  # the value comparison reports lengths
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        problem = _kind_problem(g, e, f"{where}[{i}]")
        if problem:
            return problem
    return None


def _kind_hint(got: Any, expected: Any) -> str:
    g = "numpy" if (_is_numpy_scalar(got) or _is_ndarray(got)) else "tensor" if _is_tensor(got) else type(got).__name__
    return _KIND_HINTS.get((type(expected).__name__, g), "")


def check_shape(got: Any, expected: Sequence[int], name: str = "result", hint: str = "") -> None:
    """Assert that ``got.shape`` equals ``expected``."""
    __tracebackhide__ = True
    got_shape = _shape_of(got)
    if got_shape is None:
        _fail(
            f"{name}: expected a tensor of shape {tuple(expected)}, got {type(got).__name__} "
            f"with no .shape.{_hint(hint or 'did you return a list or None instead of a tensor?')}"
        )
    if got_shape != tuple(expected):
        _fail(
            f"{name}: expected shape {tuple(expected)}, got {got_shape}.{_hint(hint)}"
        )


def check_dtype(got: Any, expected: Any, name: str = "result", hint: str = "") -> None:
    """Assert that ``got.dtype`` equals ``expected`` (compared by name)."""
    __tracebackhide__ = True
    got_dtype = getattr(got, "dtype", None)
    if str(got_dtype) != str(expected):
        _fail(f"{name}: expected dtype {expected}, got {got_dtype}.{_hint(hint)}")


def _device_name(device: Any) -> tuple[str, int | None]:
    text = str(device)
    kind, _, index = text.partition(":")
    return kind, (int(index) if index else None)


def check_device(got: Any, expected: Any, name: str = "result", hint: str = "") -> None:
    """Assert that a tensor (or every tensor in a list, tuple, dict or a module) is on ``expected``.

    ``expected`` is a device or its name; "cuda" matches any CUDA index, "cuda:1" only that one.
    """
    __tracebackhide__ = True
    want_kind, want_index = _device_name(expected)
    found: list[tuple[str, Any]] = []

    def walk(x: Any, where: str) -> None:
        if _is_tensor(x):
            found.append((where, x.device))
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{where}[{k!r}]")
        elif isinstance(x, (list, tuple)):
            for i, v in enumerate(x):
                walk(v, f"{where}[{i}]")
        elif hasattr(x, "state_dict") and hasattr(x, "parameters"):
            for k, v in x.state_dict().items():
                walk(v, f"{where}.{k}")

    walk(got, name)
    if not found:
        _fail(f"{name}: expected a tensor on {expected}, got {_describe(got)}.{_hint(hint)}")
    for where, device in found:
        kind, index = _device_name(device)
        if kind != want_kind or (want_index is not None and index != want_index):
            _fail(
                f"{where}: expected a tensor on device {expected}, got one on {device}."
                f"{_hint(hint or 'create tensors with device=<the input device> and do not move results')}"
            )


def max_abs_diff(got: Any, expected: Any) -> float:
    """Largest absolute element-wise difference between two equally shaped values."""
    a, b = _flatten(to_python(got)), _flatten(to_python(expected))
    if len(a) != len(b):
        raise ValueError(f"cannot compare {len(a)} values with {len(b)} values")
    diffs = [abs(float(x) - float(y)) for x, y in zip(a, b, strict=True)]
    if any(math.isnan(float(x)) != math.isnan(float(y)) for x, y in zip(a, b, strict=True)):
        return math.inf
    return max((d for d in diffs if not math.isnan(d)), default=0.0)


def _close_kind_problem(got: Any, expected: Any) -> str | None:
    """check_close's kind rules: a tensor or array keeps its dtype, a number stays a number."""
    if _is_tensor(expected) or _is_ndarray(expected):
        problem = _kind_problem(got, expected)
        return problem if problem and "shape" not in problem else None
    if type(expected) in (int, float):
        if type(got) in (int, float):
            return None
        if _is_tensor(got) and got.dim() == 0 and got.is_floating_point():
            return None  # a 0-d float tensor (a loss) may stand for a number; check_equal is stricter
        return f"expected a Python number, got {_describe(got)}"
    if isinstance(expected, tuple) and not isinstance(got, tuple):
        return f"expected a tuple, got {_describe(got)}"
    return None


def check_close(
    got: Any,
    expected: Any,
    name: str = "result",
    atol: float = 1e-5,
    rtol: float = 1e-4,
    hint: str = "",
    strict: bool = True,
) -> None:
    """Assert element-wise ``|got - expected| <= atol + rtol * |expected|``, reporting the worst spot.

    strict (default): a tensor or array ``expected`` needs a tensor or array of the same dtype,
    a Python number needs a Python number or a 0-d float tensor (not a numpy scalar, not an
    integer tensor), a tuple a tuple.
    """
    __tracebackhide__ = True
    if strict:
        problem = _close_kind_problem(got, expected)
        if problem:
            _fail(f"{name}: {problem}.{_hint(hint or _kind_hint(got, expected))}")
    g, e = to_python(got, name), to_python(expected, f"{name} (expected)")
    g_shape, e_shape = _nested_shape(g), _nested_shape(e)
    if g_shape != e_shape:
        _fail(
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
        if math.isinf(x) or math.isinf(y):
            if x == y:
                continue
            worst, worst_i = math.inf, i
            break
        excess = abs(x - y) - (atol + rtol * abs(y))
        if excess > 0 and abs(x - y) > worst:
            worst, worst_i = abs(x - y), i
    if worst_i >= 0:
        diff = max_abs_diff(g, e)
        position = _unravel(worst_i, e_shape)
        _fail(
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


def check_equal(got: Any, expected: Any, name: str = "result", hint: str = "", strict: bool = True) -> None:
    """Assert exact equality of values and, by default, of their kinds.

    strict (default): a tuple must be a tuple, an int an int (not a float, bool or numpy.int64),
    a tensor a tensor of the same dtype; a tensor may stand for a list when its ``.tolist()``
    gives the same kinds of numbers. A dict's values may be numpy numbers of the right kind
    (libraries such as gensim store them); anywhere else a Python number is required.
    ``strict=False`` compares values only (1 == 1.0).
    """
    __tracebackhide__ = True
    g, e = to_python(got, name), to_python(expected, f"{name} (expected)")
    if g != e:
        _fail(f"{name}: expected {_short(e)}, got {_short(g)}.{_hint(hint)}")
    if strict:
        problem = _kind_problem(got, expected)
        if problem:
            _fail(
                f"{name}: the values are right but {problem}.{_hint(hint or _kind_hint(got, expected))}"
            )
    elif type(g) is not type(e) and not _same_numeric_kind(g, e):
        _fail(f"{name}: expected {_short(e)}, got {_short(g)}.{_hint(hint)}")


def _same_numeric_kind(a: Any, b: Any) -> bool:
    numeric = (int, float)
    return isinstance(a, numeric) and isinstance(b, numeric) and not isinstance(a, bool)


def _short(x: Any, limit: int = 200) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_true(condition: bool, message: str, hint: str = "") -> None:
    """Assert a condition, with a message that says what should have held."""
    __tracebackhide__ = True
    if condition is not True:
        _fail(f"{message}{_hint(hint)}")


def check_raises(
    fn: Callable[[], Any],
    exc_type: type[BaseException] | tuple[type[BaseException], ...],
    name: str = "call",
    match: str | None = None,
    hint: str = "",
) -> BaseException:
    """Assert that ``fn()`` raises ``exc_type`` (whose message contains ``match``); return it."""
    __tracebackhide__ = True
    expected = exc_type.__name__ if isinstance(exc_type, type) else " or ".join(
        t.__name__ for t in exc_type
    )
    try:
        fn()
    except exc_type as err:
        if match is not None and match not in str(err):
            _fail(
                f"{name}: raised {type(err).__name__} as expected, but its message "
                f"{str(err)!r} does not mention {match!r}.{_hint(hint)}",
                suppress=True,
            )
        return err
    except Exception as err:  # noqa: BLE001 - report the wrong exception type
        _fail(
            f"{name}: expected {expected}, got {type(err).__name__}: {err}.{_hint(hint)}",
            suppress=True,
        )
    _fail(f"{name}: expected {expected} to be raised, but nothing was.{_hint(hint)}")


# --- calling the student's function ---------------------------------------------------------
def _summary(x: Any, limit: int = 60) -> str:
    if _is_tensor(x) or _is_ndarray(x):
        return _describe(x)
    if isinstance(x, (list, tuple, dict, set)):
        text = repr(x)
        return text if len(text) <= limit else f"<{_describe(x)}>"
    if isinstance(x, (int, float, str, bool, bytes)) or x is None:
        text = repr(x)
        return text if len(text) <= limit else text[: limit - 3] + "..."
    return f"<{type(x).__name__}>"


def _fn_name(fn: Callable) -> str:
    qual = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    return qual or type(fn).__name__


def _call_text(fn: Callable, args: tuple, kwargs: dict) -> str:
    parts = [_summary(a) for a in args] + [f"{k}={_summary(v)}" for k, v in kwargs.items()]
    return f"{_fn_name(fn)}({', '.join(parts)})"


def call(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``; an exception raised inside becomes one course message.

    The message says what was called, with what, and what it raised; the student's own
    traceback stays attached as the cause, the checker's frames are hidden.
    """
    __tracebackhide__ = True
    return _call(fn, args, kwargs, args, kwargs)


def _call(fn: Callable, args: tuple, kwargs: dict, shown_args: tuple, shown_kwargs: dict) -> Any:
    __tracebackhide__ = True
    try:
        return fn(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - any error inside the student's code is reported
        tb = err.__traceback__
        if tb is not None and tb.tb_next is not None:
            err = err.with_traceback(tb.tb_next)  # drop this frame; start at the student's
        _fail(
            f"{_call_text(fn, shown_args, shown_kwargs)} raised {type(err).__name__}: {err}. Likely cause: "
            "read the error above (your code's line is in the traceback); check the shapes, "
            "dtypes and devices the docstring promises, and test with this input yourself.",
            cause=err,
        )


class _Opaque:
    """Stand-in for an argument that cannot be copied (an iterator): never compared."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj


def _is_single_use(x: Any) -> bool:
    """A ``single_use`` of this module or of an earlier import of it (grading and hidden tests reload
    course.checks, after which the notebook's ``single_use`` objects belong to the old class)."""
    return any(k.__name__ == "single_use" and k.__module__ == __name__ for k in type(x).__mro__)


def snapshot(x: Any) -> Any:
    """A deep copy of ``x`` for later comparison: tensors are cloned (requires_grad kept)."""
    if _is_tensor(x):
        with _no_grad():
            clone = x.detach().clone()
        if x.requires_grad and (clone.is_floating_point() or clone.is_complex()):
            clone.requires_grad_(True)
        return clone
    if isinstance(x, Iterator) or _is_single_use(x):
        return _Opaque(x)
    if isinstance(x, list):
        return [snapshot(v) for v in x]
    if isinstance(x, tuple) and type(x) is tuple:
        return tuple(snapshot(v) for v in x)
    if type(x) is dict:
        return {k: snapshot(v) for k, v in x.items()}
    try:
        return copy.deepcopy(x)
    except Exception:  # noqa: BLE001 - some objects cannot be copied: they are not compared
        return _Opaque(x)


class _no_grad:  # torch.no_grad without importing torch at module load
    def __enter__(self) -> None:
        import torch

        self._ctx = torch.no_grad()
        self._ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)


def changed(before: Any, after: Any, where: str = "argument") -> str | None:
    """What differs between a snapshot and the object now (None when nothing does)."""
    if isinstance(before, _Opaque):
        return None
    if _is_tensor(before):
        if not _is_tensor(after):
            return f"{where} was a tensor and is now {_describe(after)}"
        for what, b, a in [("dtype", before.dtype, after.dtype), ("device", before.device, after.device),
                           ("shape", tuple(before.shape), tuple(after.shape)),
                           ("requires_grad", before.requires_grad, after.requires_grad)]:
            if b != a:
                return f"{where}: its {what} changed from {b} to {a}"
        if before.device.type == "meta":
            return None
        b_vals, a_vals = _flatten(to_python(before)), _flatten(to_python(after))
        for i, (b, a) in enumerate(zip(b_vals, a_vals, strict=True)):
            if b != a and not (isinstance(b, float) and math.isnan(b) and isinstance(a, float) and math.isnan(a)):
                pos = _unravel(i, tuple(before.shape))
                return f"{where}: the value at index {pos} changed from {b!r} to {a!r}"
        return None
    if _is_ndarray(before):
        if not _is_ndarray(after):
            return f"{where} was a numpy array and is now {_describe(after)}"
        if before.dtype != after.dtype or before.shape != after.shape:
            return f"{where}: its dtype or shape changed from {before.dtype} {before.shape} to {after.dtype} {after.shape}"
        b_vals, a_vals = _flatten(before.tolist()), _flatten(after.tolist())
        for i, (b, a) in enumerate(zip(b_vals, a_vals, strict=True)):
            if b != a and not (isinstance(b, float) and math.isnan(b) and isinstance(a, float) and math.isnan(a)):
                return f"{where}: the value at index {_unravel(i, before.shape)} changed from {b!r} to {a!r}"
        return None
    if isinstance(before, (list, tuple)) and type(before) in (list, tuple):
        if type(after) is not type(before):
            return f"{where} was a {type(before).__name__} and is now {_describe(after)}"
        if len(after) != len(before):
            return f"{where}: its length changed from {len(before)} to {len(after)}"
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            problem = changed(b, a, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if type(before) is dict:
        if not isinstance(after, dict):
            return f"{where} was a dict and is now {_describe(after)}"
        if list(before) != list(after):
            added = [k for k in after if k not in before]
            removed = [k for k in before if k not in after]
            return f"{where}: its keys changed (added {added}, removed {removed})"
        for k in before:
            problem = changed(before[k], after[k], f"{where}[{k!r}]")
            if problem:
                return problem
        return None
    if hasattr(before, "state_dict") and hasattr(before, "parameters"):  # nn.Module
        b_state, a_state = before.state_dict(), after.state_dict()
        return changed(dict(b_state), dict(a_state), f"{where}.state_dict()")
    if hasattr(before, "equals") and callable(before.equals):  # pandas
        try:
            return None if before.equals(after) else f"{where}: its contents changed"
        except Exception:  # noqa: BLE001
            return None
    try:
        same = before == after
        if isinstance(same, bool):
            if same:
                return None
            if type(before).__eq__ is not object.__eq__:
                return f"{where}: changed from {_short(before, 80)} to {_short(after, 80)}"
    except Exception:  # noqa: BLE001
        return None
    attrs_b = getattr(before, "__dict__", None)
    attrs_a = getattr(after, "__dict__", None)
    if isinstance(attrs_b, dict) and isinstance(attrs_a, dict):
        return changed(dict(attrs_b), dict(attrs_a), where)
    return None


class Snapshots:
    """The arguments of a call as they were before it: ``.args`` (a tuple) and ``.kwargs``.

    Iterating gives the positional copies, so ``out, (x0, w0) = call_unchanged(f, x, w)`` works.
    """

    def __init__(self, args: tuple, kwargs: dict) -> None:
        self.args = args
        self.kwargs = kwargs

    def __iter__(self):
        return iter(self.args)

    def __getitem__(self, key: int | str) -> Any:
        return self.kwargs[key] if isinstance(key, str) else self.args[key]


def call_unchanged(fn: Callable, *args: Any, _may_change: Sequence[int | str] = (), **kwargs: Any):
    """Call ``fn`` like ``call`` and fail, with a teaching message, if it changed an argument.

    Returns ``(result, snapshots)``: the snapshots are copies of the arguments taken before the
    call, so references computed from them are right even when the call changed its inputs.
    ``_may_change`` lists positions or keyword names an exercise is meant to change (a model).
    """
    __tracebackhide__ = True
    before_args = tuple(snapshot(a) for a in args)
    before_kwargs = {k: snapshot(v) for k, v in kwargs.items()}
    names = _param_names(fn, len(args))
    result = _call(fn, args, kwargs, before_args, before_kwargs)
    items = [(i, names[i], b, a) for i, (b, a) in enumerate(zip(before_args, args, strict=True))]
    items += [(k, k, before_kwargs[k], kwargs[k]) for k in kwargs]
    for key, label, before, after in items:
        if key in _may_change or label in _may_change:
            continue
        problem = changed(before, after, f"argument {label}")
        if problem:
            _fail(
                f"{_call_text(fn, before_args, before_kwargs)} changed its input: {problem}. "
                "Likely cause: an in-place operation on the caller's object (x /= ..., x[...] = ..., "
                "a method ending in _ such as clamp_ or add_, list.append/extend/sort, "
                "dict.update/pop); work on a copy (x = x.clone(), list(xs), dict(d)) or build a "
                "new result. The caller may still need the original."
            )
    return result, Snapshots(before_args, before_kwargs)


def _param_names(fn: Callable, count: int) -> list[str]:
    code = getattr(fn, "__code__", None)
    names: list[str] = []
    if code is not None:
        names = list(code.co_varnames[: code.co_argcount])
        if getattr(fn, "__self__", None) is not None and names:
            names = names[1:]
    names += [f"#{i}" for i in range(len(names), count)]
    return [n if n else f"#{i}" for i, n in enumerate(names[:count])]


def check_grad(
    fn: Callable,
    args: Sequence[Any],
    reference: Callable,
    name: str = "gradients",
    hint: str = "",
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> None:
    """Assert that gradients flow through ``fn(*args)`` as through ``reference(*args)``.

    Every floating-point tensor argument is copied with requires_grad=True for each side; a
    fixed random weighting of the outputs is back-propagated and the gradients compared (NaN
    where the reference has a number fails).
    """
    __tracebackhide__ = True
    import torch

    def prepare() -> list:
        return [a.detach().clone().requires_grad_(True) if _is_tensor(a) and a.is_floating_point() else a
                for a in args]

    mine, theirs = prepare(), prepare()
    out = call(fn, *mine)
    ref = reference(*theirs)
    label = _call_text(fn, tuple(args), {})
    if not _is_tensor(out) or not out.requires_grad:
        _fail(
            f"{name}: {label} returned {_describe(out)} that does not require grad, although its "
            "inputs do: no gradient can flow back. Likely cause: a detour through NumPy or .tolist(), "
            ".item(), .detach(), torch.no_grad(), or a new tensor built from the values; "
            f"use torch operations on the inputs.{(' ' + hint) if hint else ''}"
        )
    if tuple(out.shape) != tuple(ref.shape):
        _fail(f"{name}: expected shape {tuple(ref.shape)}, got {tuple(out.shape)}.{_hint(hint)}")
    weights = torch.randn(tuple(ref.shape), generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    (out * weights.to(out.dtype)).sum().backward()
    (ref * weights.to(ref.dtype)).sum().backward()
    names = _param_names(fn, len(args))
    for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if not (_is_tensor(b) and b.requires_grad):
            continue
        if b.grad is None:
            continue
        if a.grad is None:
            _fail(f"{name}: no gradient reached argument {names[i]}.{_hint(hint)}")
        check_close(a.grad, b.grad, name=f"{name} of argument {names[i]}", atol=atol, rtol=rtol, strict=False,
                    hint=hint or "the gradient differs from the reference's (NaN often comes from 0 / 0 "
                    "or sqrt(0) even where torch.where later discards the value)")


class single_use:  # noqa: N801 - used like a function: single_use([...])
    """An iterable that can be iterated once, like a generator; a second pass fails loudly.

    Pass it where a signature says Iterable: a function that loops over its argument twice
    (``len(list(x))`` then ``for t in x``) would silently see nothing the second time.
    """

    def __init__(self, items: Any) -> None:
        self._items = list(items)
        self._used = False

    def __iter__(self):
        if self._used:
            _fail(
                "an Iterable argument was iterated a second time, but a generator can be read "
                "only once (the second pass would see nothing). Likely cause: loop over it once, "
                "or collect it first with items = list(items)."
            )
        self._used = True
        return iter(self._items)


# --- branch nb03: masked pooling and collate checkers (notebook 03, reused by later notebooks) ---
__all__ += ["check_masked_pooling", "check_collated"]  # noqa: PLE0605

_POOL_HINTS = {
    "sum": "multiply x by the mask as [batch, seq_len, 1] (mask.unsqueeze(-1), cast to x.dtype) so that it "
           "broadcasts over dim, then sum over the time dimension (dim=1)",
    "mean": "divide each row's masked sum by THAT row's number of real steps, as [batch, 1], clamped to at least 1 "
            "so that a row of padding gives 0 / 1 = 0, not 0 / 0 = NaN",
    "max": "fill the padded positions with -inf (x.masked_fill(~mask.unsqueeze(-1), float('-inf'))), take "
           ".max(dim=1).values, and give zeros to the rows without real steps (torch.where with mask.any(dim=1))",
}


def _pool_rows(x_rows: list, mask_rows: list, reduce: str, dim: int) -> list[list[float]]:
    """Per sequence, the reduction over its real step vectors, in plain Python (zeros if none)."""
    out = []
    for seq, keep in zip(x_rows, mask_rows, strict=True):
        steps = [step for step, k in zip(seq, keep, strict=True) if k]
        if not steps:
            out.append([0.0] * dim)
            continue
        cols = list(zip(*steps, strict=True))
        if reduce == "sum":
            out.append([math.fsum(c) for c in cols])
        elif reduce == "mean":
            out.append([math.fsum(c) / len(c) for c in cols])
        else:
            out.append([max(c) for c in cols])
    return out


def _pool_case(seed: int, dtype: Any) -> tuple[Any, Any]:
    """A random [5, 7, 3] batch: real steps anywhere (pre- and post-padded rows), padding 50.0, row 0 all padding."""
    import torch

    g = torch.Generator().manual_seed(seed)
    x = torch.randn(5, 7, 3, generator=g, dtype=torch.float64)
    mask = torch.rand(5, 7, generator=g) < 0.6
    mask[0] = False
    mask[1:, 3] = True
    x = torch.where(mask.unsqueeze(-1), x, torch.full_like(x, 50.0)).to(dtype)
    return x, mask


def _pool_diagnosis(got: list, x_rows: list, mask_rows: list, reduce: str, dim: int, atol: float) -> str:
    """Which common wrong answer ``got`` matches, if any (a sentence or "")."""
    every = [[True] * len(seq) for seq in x_rows]
    zeroed = [[[v if k else 0.0 for v in step] for step, k in zip(seq, keep, strict=True)]
              for seq, keep in zip(x_rows, mask_rows, strict=True)]
    candidates = [("the padded steps were included: the mask was not applied", _pool_rows(x_rows, every, reduce, dim))]
    if reduce == "mean":
        sums = _pool_rows(x_rows, mask_rows, "sum", dim)
        width = len(x_rows[0]) if x_rows else 1
        candidates.append(("you divided by seq_len (the padded length), not by each row's number of real steps",
                           [[v / width for v in row] for row in sums]))
    if reduce == "max":
        candidates.append(("the padded steps count as zeros (x * mask): a zero beats every negative real value",
                           _pool_rows(zeroed, every, "max", dim)))
    flat_got = _flatten(got)
    for text, rows in candidates:
        flat = _flatten(rows)
        if len(flat) == len(flat_got) and all(
                not math.isnan(float(a)) and abs(float(a) - float(b)) <= atol + 1e-4 * abs(float(b))
                for a, b in zip(flat_got, flat, strict=True)):
            return text
    return ""


def check_masked_pooling(fn: Callable, reduce: str, x: Any = None, mask: Any = None, *, seed: int = 0,
                         dtype: Any = None, meta: bool = True, name: str | None = None, hint: str = "",
                         atol: float = 1e-4) -> None:
    """Check a masked pooling function ``fn(x [B, T, D], mask [B, T] bool) -> [B, D]`` against a per-row
    reference: ``reduce`` ("sum", "mean" or "max") over each row's real steps, zeros for a row without any.

    Without ``x``: a hand-made batch (a full row, a post-padded row, a pre-padded row of negative values
    after zero padding) and a random [5, 7, 3] batch drawn from ``seed`` (padding 50.0, real steps
    anywhere, row 0 all padding), the first in float32 and the second in float64 unless ``dtype`` is given
    for both; with ``meta``, the same shapes on
    the meta device must give a [B, D] result there. Every call must leave x and mask unchanged; the
    result must be a tensor of x's dtype. A failure names the common mistake the result matches.
    """
    __tracebackhide__ = True
    import torch

    if reduce not in _POOL_HINTS:
        raise ValueError(f"reduce must be one of {sorted(_POOL_HINTS)}, got {reduce!r}")
    label = name or _fn_name(fn)
    cases = []
    if x is None:
        hand_dtype, dtype = dtype or torch.float32, dtype or torch.float64
        hand = torch.tensor([[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0]],
                             [[-4.0, -40.0], [7.0, 70.0], [7.0, 70.0], [7.0, 70.0]],
                             [[0.0, 0.0], [0.0, 0.0], [-2.0, -1.0], [-6.0, 3.0]]], dtype=hand_dtype)
        hand_mask = torch.tensor([[True] * 4, [True, False, False, False], [False, False, True, True]])
        cases.append((hand, hand_mask, f"{label}(x, mask) with x = {hand.tolist()} [batch=3, seq_len=4, dim=2] "
                      f"and mask = {hand_mask.int().tolist()} (1 = real step)"))
        rx, rmask = _pool_case(seed, dtype)
        cases.append((rx, rmask, f"{label}(x, mask) on a random {str(dtype).replace('torch.', '')} batch [5, 7, 3] "
                      f"(seed {seed}; padding 50.0; real steps anywhere in a row; row 0 is all padding)"))
    else:
        cases.append((x, mask, f"{label}(x {list(x.shape)}, mask {list(mask.shape)})"))
    why = hint or _POOL_HINTS[reduce]
    for cx, cmask, where in cases:
        out, (x0, m0) = call_unchanged(fn, cx, cmask)
        b, t, d = (int(s) for s in x0.shape)
        if not _is_tensor(out):
            got_text = f"a {type(out).__name__} of {len(out)}" if isinstance(out, tuple) else _describe(out)
            _fail(f"{where}: expected a tensor [batch={b}, dim={d}], got {got_text}."
                  f"{_hint('x.max(dim=1) returns (values, indices): take .values' if isinstance(out, tuple) else why)}")
        check_shape(out, (b, d), name=where, hint=f"reduce over the time dimension (dim=1) only: [batch, dim]; {why}")
        check_dtype(out, x0.dtype, name=where, hint="keep x's dtype: cast the mask with .to(x.dtype), do not call .float()")
        rows = x0.tolist()
        keep = m0.tolist()
        expected = _pool_rows(rows, keep, reduce, d)
        got = to_python(out, where)
        for r, (row_got, k) in enumerate(zip(got, keep, strict=True)):
            bad = [v for v in row_got if math.isnan(v) or math.isinf(v)]
            if bad and not any(k):
                _fail(f"{where}: row {r} has no real step and came back as {row_got}; it must be zeros.{_hint(why)}")
            if bad:
                _fail(f"{where}: row {r} came back as {row_got} (NaN or inf), expected {expected[r]}.{_hint(why)}")
        diagnosis = _pool_diagnosis(got, rows, keep, reduce, d, atol)
        check_close(out, torch.tensor(expected, dtype=x0.dtype), name=where, atol=atol,
                    hint=f"{diagnosis}; {why}" if diagnosis else why)
    if meta and x is None:
        mx, mm = cases[-1][0].to("meta"), cases[-1][1].to("meta")
        try:
            out = call(fn, mx, mm)
        except AssertionError as err:
            cause = err.__cause__
            if isinstance(cause, NotImplementedError) and ("nonzero" in str(cause) or "data-independent" in str(cause)):
                return  # data-dependent ops (x[mask], nonzero) have no meta version, but do run on a GPU
            raise
        where = f"{label}(x, mask) with x and mask on the meta device (a stand-in for a GPU)"
        check_device(out, "meta", name=where, hint="build every tensor from x and mask (torch.zeros_like, "
                     "mask.to(x.dtype)); torch.zeros(...) or torch.tensor(...) without device= are made on the CPU")
        check_shape(out, (int(mx.shape[0]), int(mx.shape[2])), name=where)


def check_collated(fn: Callable, batch: Any = None, pad_idx: int | None = None, *, name: str | None = None) -> None:
    """Check a collate function ``fn(batch, pad_idx=...) -> (ids [B, T], lengths [B], labels [B])``.

    batch: pairs (ids: 1-D int64 tensor, label: int); T is the longest sequence of this batch; ids are
    int64 with pad_idx after each sequence, on the sequences' device; lengths int64 on the CPU; labels
    int64; all in the order of batch; the batch left unchanged. Without ``batch``: a hand-made batch of
    3 sequences (longest 4), with the default pad_idx and with pad_idx=9. With ``pad_idx`` None the
    argument is not passed (the default, 0, is expected).
    """
    __tracebackhide__ = True
    import torch

    label = name or _fn_name(fn)
    if batch is None:
        hand = [(torch.tensor([5, 8, 2, 6]), 1), (torch.tensor([7]), 0), (torch.tensor([4, 4]), 2)]
        check_collated(fn, hand, None, name=name)
        check_collated(fn, [(s.clone(), y) for s, y in hand], 9, name=name)
        return
    seqs = [s for s, _ in batch]
    on = seqs[0].device if seqs else torch.device("cpu")
    pad = 0 if pad_idx is None else pad_idx
    kwargs = {} if pad_idx is None else {"pad_idx": pad_idx}
    shown = [(s.tolist() if s.device.type != "meta" else f"<{len(s)} ids on meta>", y) for s, y in batch]
    where = f"{label}({_short(shown, 120)}{', pad_idx=' + str(pad_idx) if pad_idx is not None else ''})"
    out, _ = call_unchanged(fn, batch, **kwargs)
    if not (isinstance(out, tuple) and len(out) == 3):
        _fail(f"{where}: expected a tuple (ids, lengths, labels), got {_describe(out)}."
              f"{_hint('return ids, lengths, labels (a tuple of three tensors)')}")
    ids, lengths, labels = out
    b, t = len(batch), max((len(s) for s in seqs), default=0)
    for what, value in (("ids", ids), ("lengths", lengths), ("labels", labels)):
        if not _is_tensor(value):
            _fail(f"{where}: {what} should be a tensor, got {_describe(value)}.")
    if tuple(ids.shape) == (t, b) and t != b:
        _fail(f"{where}: ids have shape {(t, b)} = [T, batch]: pad_sequence's default layout."
              f"{_hint('pass batch_first=True to get [batch, T]')}")
    check_shape(ids, (b, t), name=f"{where}: ids",
                hint="[batch, T] with T = the longest sequence OF THIS BATCH, not a global max_len")
    check_dtype(ids, torch.int64, name=f"{where}: ids", hint="token ids are int64 (torch.long)")
    check_device(ids, on, name=f"{where}: ids", hint="pad on the sequences' device (pad_sequence keeps it)")
    check_device(lengths, "cpu", name=f"{where}: lengths", hint="pack_padded_sequence wants lengths on the CPU: "
                 "build them from len(seq), do not move them to the sequences' device")
    expected_labels = torch.tensor([int(y) for _, y in batch], dtype=torch.long)
    expected_lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    check_equal(lengths, expected_lengths, name=f"{where}: lengths",
                hint="the true length of each sequence BEFORE padding, int64, in the order of the batch")
    labels_hint = "int64 class indices (CrossEntropyLoss wants torch.long), in the order of the batch"
    if labels.device.type == "meta":
        check_dtype(labels, torch.int64, name=f"{where}: labels", hint=labels_hint)
        check_shape(labels, (b,), name=f"{where}: labels", hint=labels_hint)
    else:
        check_equal(labels.cpu(), expected_labels, name=f"{where}: labels", hint=labels_hint)
    if on.type != "meta":
        expected_ids = torch.tensor([s.tolist() + [pad] * (t - len(s)) for s in seqs], dtype=torch.long).reshape(b, t)
        check_equal(ids, expected_ids, name=f"{where}: ids",
                    hint=f"pad AFTER each sequence with pad_idx ({pad}), keep the order of the batch (do not sort)")


# --- nb0102: a table of calls, each checked like call_unchanged + check_equal -----------------
def check_calls(
    fn: Callable,
    cases: Sequence[tuple],
    hint: str = "",
    close: bool = False,
    project: Callable[[Any], Any] | None = None,
) -> list:
    """Call ``fn`` on each case and compare the result with the case's expected value.

    ``cases`` is a list of ``(args, expected)`` or ``(args, kwargs, expected)``; ``args`` is a tuple
    of positional arguments (anything else stands for a single argument). Every call goes through
    ``call_unchanged``, so an argument changed by the call fails with a teaching message, and is
    named as it was written, e.g. ``whitespace_tokenize(' a  b ')``. The result, or
    ``project(result)`` when given (say, a vocabulary's ``itos``), is compared with the strict
    ``check_equal`` or, with ``close=True``, ``check_close``. Returns the results.
    """
    __tracebackhide__ = True
    results = []
    for case in cases:
        if len(case) == 3:
            args, kwargs, expected = case
        else:
            (args, expected), kwargs = case, {}
        args = args if type(args) is tuple else (args,)
        name = _call_text(fn, args, kwargs)
        # a one-shot iterable is used up by the call (single_use compared by name: a reloaded
        # course.checks makes a new class)
        once = [i for i, a in enumerate(args) if isinstance(a, Iterator) or type(a).__name__ == "single_use"]
        once += [k for k, v in kwargs.items() if isinstance(v, Iterator) or type(v).__name__ == "single_use"]
        result, _ = call_unchanged(fn, *args, _may_change=once, **kwargs)
        got = project(result) if project is not None else result
        (check_close if close else check_equal)(got, expected, name=name, hint=hint)
        results.append(result)
    return results


__all__ += ["check_calls"]


# --- nb05 (word embeddings): a checked call in one line, and where gradients reach ---------------
_likely = _hint  # check_call's keyword _hint shadows the module's _hint


def _leaves_are_numbers(x: Any) -> bool:
    if isinstance(x, list):
        return all(_leaves_are_numbers(v) for v in x)
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_call(fn: Callable, *args: Any, _expect: Any, _name: str | None = None, _hint: str = "",
               _atol: float = 1e-5, _rtol: float = 1e-4, _may_change: Sequence[int | str] = (),
               **kwargs: Any) -> Any:
    """``call_unchanged(fn, *args, **kwargs)``, then compare its result with ``_expect``; return it.

    The kind is checked as strictly as ``check_equal`` does (a tuple for a tuple, a tensor or
    array of the same dtype, a Python float for a float; a plain list accepts a tensor or an
    array), numbers are compared as ``check_close`` does (``_atol``, ``_rtol``), anything else
    exactly. The message names the call, e.g. ``glove_weight(tensor float32 [6] on cpu, alpha=0.5)``.
    """
    __tracebackhide__ = True
    label = _name or _call_text(fn, args, kwargs)  # described before the call can change anything
    result, _ = call_unchanged(fn, *args, _may_change=_may_change, **kwargs)
    if _is_tensor(result) and result.device.type == "meta":
        to_python(result, label)  # fails with the device message
    problem = _kind_problem(result, _expect)
    if problem:
        _fail(f"{label}: {problem}.{_likely(_kind_hint(result, _expect) or _hint)}")
    expected_values = to_python(_expect, f"{label} (expected)")
    if _leaves_are_numbers(expected_values):
        check_close(result, _expect, name=label, atol=_atol, rtol=_rtol, hint=_hint, strict=False)
    else:
        check_equal(result, _expect, name=label, hint=_hint, strict=False)
    return result


def check_trainable(model: Any, loss: Any, trainable: Sequence[str], name: str = "model", hint: str = "") -> None:
    """Back-propagate ``loss`` and check where the gradient arrives, parameter by parameter.

    A parameter whose name is in ``trainable``, or starts with one of its entries followed by a
    dot (``"classifier"`` covers ``classifier.weight``), must receive a gradient that is not all
    zeros; every other parameter must be frozen: ``requires_grad`` False and no gradient.
    """
    __tracebackhide__ = True
    if not (_is_tensor(loss) and loss.requires_grad):
        _fail(
            f"{name}: the loss does not require grad, so no parameter can learn from it.{_hint(hint or 'a detour through NumPy, .item(), .detach() or torch.no_grad() in forward, or every parameter frozen')}"
        )
    for p in model.parameters():
        p.grad = None
    loss.backward()
    for pname, p in model.named_parameters():
        if any(pname == t or pname.startswith(t + ".") for t in trainable):
            if not p.requires_grad or p.grad is None:
                _fail(f"{name}.{pname} should train, but it received no gradient (requires_grad="
                      f"{p.requires_grad}).{_hint(hint)}")
            if not bool((p.grad != 0).any()):
                _fail(f"{name}.{pname} should train, but its gradient is all zeros.{_hint(hint)}")
        elif p.requires_grad or p.grad is not None:
            _fail(f"{name}.{pname} should be frozen (requires_grad False, no gradient), but it has "
                  f"requires_grad={p.requires_grad} and {'a' if p.grad is not None else 'no'} gradient.{_hint(hint)}")


__all__ += ["check_call", "check_trainable"]
