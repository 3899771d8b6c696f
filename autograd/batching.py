"""Batched compiled code: one traced graph evaluated over arrays with numpy (``batch=True``).

``compile(f, example_args=..., batch=True)`` traces ``f`` once on one sample, as
:func:`autograd.compile` does, and generates straight-line numpy code for the traced
graph. Call it with each argument either a float (the same for every sample: a
parameter) or a 1-D array (one entry per sample: the data); it returns the loss summed
over the samples (``reduce="mean"``: their mean) and its gradients: a float for a float
argument (summed over the batch), an array for an array argument (one gradient per
sample). It needs numpy (``pip install 'chaingrad[fast]'``).

The code comes from the same op table as the scalar compiled code: nodes whose value is
the same for every sample (they depend only on float arguments) run the float templates
on Python floats; nodes that differ per sample run the same templates on numpy arrays
(``_sin`` is ``numpy.sin`` there), or the op's ``batch_code`` where the float template
is a Python conditional (``relu``: ``numpy.where``), or the op's rules element by
element where it has neither (a user's ``defop``: correct, not fast). Where the result
is not finite (a domain error, an overflow, a zero upstream gradient times an infinite
partial), the call is answered sample by sample by the scalar compiled code and hence by
the eager engine, with its errors and its rules.

>>> import numpy as np
>>> from autograd import compile
>>> def sq_err(w, b, x, y):
...     d = w * x + b - y
...     return d * d
>>> c = compile(sq_err, example_args=(1.0, 0.0, 1.0, 1.0), argnums=(0, 1), batch=True)
>>> value, (dw, db) = c(2.0, 0.5, np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 3.0]))
>>> value, dw, db
(2.75, 7.0, 3.0)
"""

from __future__ import annotations

import builtins
import math
import numbers
import re
from collections.abc import Callable, Sequence
from typing import Any

from . import compiling as _c
from . import ops as _ops
from .compiling import CompileCheckError
from .value import Value

__all__ = ["BatchCompiled"]

_NAME = re.compile(r"\b(_[a-z0-9]+)\b")


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is installed with the tests
        raise ImportError(
            "compile(batch=True) needs numpy: pip install 'chaingrad[fast]'"
        ) from None
    return numpy


def _array_names(np: Any) -> dict[str, Any]:
    """numpy's counterparts of :data:`autograd.ops.CODE_NAMES`, under ``_v`` names."""

    def sigmoid(x: Any) -> Any:  # the float rule's two branches, element by element
        e = np.exp(-np.abs(x))
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    def softplus(x: Any) -> Any:
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    def bounds_in_order(lo: Any, hi: Any) -> bool:  # any lo > hi: the eager engine answers
        if np.any(np.greater(lo, hi)):
            raise ValueError("clip: lo must be <= hi")
        return True

    special = {"_sigmoid": sigmoid, "_softplus": softplus, "_bounds_in_order": bounds_in_order}
    renamed = {"pow": "power", "asin": "arcsin", "acos": "arccos", "atan": "arctan"}
    renamed["atan2"] = "arctan2"
    names: dict[str, Any] = {}
    for name, value in _ops.CODE_NAMES.items():
        if name in special:
            names["_v" + name] = special[name]
        elif isinstance(value, float):
            names["_v" + name] = value
        else:  # numpy's ufunc, or the math function element by element (erf has none)
            ufunc = getattr(np, renamed.get(name[1:], name[1:]), None)
            names["_v" + name] = ufunc if ufunc is not None else np.vectorize(value, otypes=[float])
    names["_v_where"] = np.where
    return names


def _array_template(code: str) -> str:
    """A float template as array code: every CODE_NAMES name (and ``_where``) gets its
    ``_v`` counterpart."""
    return _NAME.sub(
        lambda m: (
            "_v" + m.group(1)
            if m.group(1) in _ops.CODE_NAMES or m.group(1) == "_where"
            else m.group(1)
        ),
        code,
    )


def _is_conditional(code: str) -> bool:
    return " if " in code


def _array_templates(op: _ops.Op) -> tuple[str, tuple[str, ...], tuple[str, ...] | None] | None:
    """The templates of ``op`` for array inputs, or None (call it element by element)."""
    if id(op) not in _c._BUILTIN or op.fwd_code is None or op.partial_code is None:
        return None
    if op.batch_code is not None:
        fwd, partials = op.batch_code
        return fwd, partials, None
    codes = [op.fwd_code, *op.partial_code, *(op.vjp_code or ())]
    if any(_is_conditional(c) for c in codes):
        return None
    return op.fwd_code, op.partial_code, op.vjp_code


def _elementwise_forward(np: Any, op: _ops.Op) -> Callable[..., Any]:
    def forward(*args: Any) -> Any:
        cols = np.broadcast_arrays(*args)
        return np.array([op.forward(*map(float, row)) for row in zip(*cols, strict=True)])

    return forward


def _elementwise_backward(np: Any, op: _ops.Op, need: tuple[bool, ...]) -> Callable[..., Any]:
    """The eager chain rule of one node, sample by sample (an op without array code)."""
    one = _c._generic_backward(op, need)

    def backward(g: Any, out: Any, *args: Any) -> Any:
        cols = np.broadcast_arrays(g, out, *args)
        rows = [one(*map(float, row)) for row in zip(*cols, strict=True)]
        return tuple(np.array([r[i] for r in rows]) if n else None for i, n in enumerate(need))

    return backward


class _ArrayGenerator:
    """The numpy function for one traced graph and one choice of batched arguments."""

    def __init__(
        self,
        np: Any,
        inputs: list[Value],
        roots: list[Value],
        order: list[Value],
        nums: tuple[int, ...],
        batched: tuple[bool, ...],
    ) -> None:
        self.np = np
        self.inputs, self.roots, self.order, self.nums = inputs, roots, order, nums
        self.batched = batched
        self.names: dict[int, str] = {}
        self.arr: dict[int, bool] = {}  # the node's value differs per sample
        self.namespace: dict[str, Any] = dict(_ops.CODE_NAMES)
        self.namespace.update(_array_names(np))

    def ref(self, p: Any) -> str:
        return _c._const(p) if p.__class__ is float else self.names[id(p)]

    def source(self) -> str:
        out = self.roots[0]
        pos = {id(v): i for i, v in enumerate(self.inputs)}
        wanted = {id(self.inputs[n]) for n in self.nums}
        needs: dict[int, bool] = {}
        lines = [f"def batched({', '.join(f'x{i}' for i in range(len(self.inputs)))}, _B):"]
        lines.append("    # forward: one line per node; arrays where the value differs per sample")
        code: dict[int, Any] = {}
        for k, v in enumerate(self.order):
            if v._op is None:
                if id(v) in pos:
                    i = pos[id(v)]
                    self.names[id(v)] = f"x{i}"
                    self.arr[id(v)] = self.batched[i]
                    needs[id(v)] = id(v) in wanted
                else:
                    self.names[id(v)] = f"t{k}"
                    self.arr[id(v)] = False
                    needs[id(v)] = False
                    lines.append(f"    t{k} = {_c._const(v.data)}  # captured leaf")
                continue
            op = v._op
            args = _c._node_inputs(v)
            needs[id(v)] = any(p.__class__ is not float and needs[id(p)] for p in args)
            is_arr = any(p.__class__ is not float and self.arr[id(p)] for p in args)
            self.arr[id(v)] = is_arr
            name = f"t{k}"
            self.names[id(v)] = name
            refs = [self.ref(p) for p in args]
            consts = [p if p.__class__ is float else None for p in args]
            tmpl: Any = None
            if (
                id(op) in _c._BUILTIN
                and op.fwd_code is not None
                and op.partial_code is not None
                and (op.code_when is None or op.code_when(consts))
            ):
                if not is_arr:
                    tmpl = (op.fwd_code, op.partial_code, op.vjp_code)
                else:
                    found = _array_templates(op)
                    if found is not None:
                        tmpl = (
                            _array_template(found[0]),
                            tuple(_array_template(c) for c in found[1]),
                            None
                            if found[2] is None
                            else tuple(_array_template(c) for c in found[2]),
                        )
            code[id(v)] = tmpl
            if tmpl is not None:
                expr = _c._fill(tmpl[0], refs)
            else:
                fname = f"_f{k}"
                self.namespace[fname] = _elementwise_forward(self.np, op) if is_arr else op.forward
                expr = f"{fname}({', '.join(refs)})"
            lines.append(f"    {name} = {expr}  # {_c._comment(op.name)}")
        for extra in self.roots[1:]:  # aux outputs that the loss doesn't use
            if id(extra) not in self.names:
                raise AssertionError("aux node outside the trace")  # pragma: no cover
        lines.append("    # backward: the chain rule, node by node. The gradient of a node that")
        lines.append("    # differs per sample is per sample (an array, or one float for all);")
        lines.append("    # that of a node that doesn't is already summed over the batch.")
        grads: dict[int, str] = {}
        garr: dict[int, bool] = {}
        seed = "1.0" if self.arr[id(out)] else "_B"
        if out._op is not None and needs[id(out)]:
            grads[id(out)] = "g_" + self.names[id(out)]
            garr[id(out)] = False
            lines.append(f"    g_{self.names[id(out)]} = {seed}")
            for v in _c._eager_order(out):
                if needs[id(v)] and id(v) in grads:
                    lines.extend(self._backward(v, needs, grads, garr, code[id(v)]))
        elif id(out) in wanted:
            grads[id(out)] = seed
            garr[id(out)] = False
        o = self.names[id(out)]
        lines.append(f"    _value = {'_v_sum(' + o + ')' if self.arr[id(out)] else o + ' * _B'}")
        results: dict[int, str] = {}
        for n in self.nums:
            g = grads.get(id(self.inputs[n]))
            if g is None:
                results[n] = "_v_zeros(_B)" if self.batched[n] else "0.0"
            elif self.batched[n]:
                results[n] = g if garr[id(self.inputs[n])] else f"_v_full(_B, {g})"
            else:
                results[n] = f"_float({g})"
        self.namespace["_v_sum"] = self.np.sum
        self.namespace["_v_dot"] = self.np.dot
        self.namespace["_v_zeros"] = self.np.zeros
        self.namespace["_v_full"] = self.np.full
        self.namespace["_float"] = float
        aux = [self.names[id(r)] for r in self.roots[1:]]
        grads_out = "".join(results[n] + ", " for n in self.nums)
        lines.append(f"    return _value, ({grads_out}), ({''.join(a + ', ' for a in aux)})")
        return "\n".join(lines) + "\n"

    def _backward(
        self,
        v: Value,
        needs: dict[int, bool],
        grads: dict[int, str],
        garr: dict[int, bool],
        tmpl: Any,
    ) -> list[str]:
        op = v._op
        assert op is not None
        args = _c._node_inputs(v)
        g = grads[id(v)]
        g_arr = garr[id(v)]
        name = self.names[id(v)]
        per_sample = self.arr[id(v)]  # else g is already summed over the batch
        lines = [f"    # {name} = {_c._comment(op.name)}"]
        need = tuple(p.__class__ is not float and needs[id(p)] for p in args)
        # per input: (gradient, partial, whether each is an array) or a finished expression
        contribs: list[tuple[str, bool, str | None, bool] | None] = []
        if tmpl is not None:
            _, partials, vjps = tmpl
            refs = [self.ref(p) for p in args]
            arr_of = {"out": self.arr[id(v)], "g": g_arr}
            for key, p in zip("abcdefghijklmnopqrstuvwxyz", args, strict=False):
                arr_of[key] = p.__class__ is not float and self.arr[id(p)]
            for i, n in enumerate(need):
                if not n:
                    contribs.append(None)
                elif vjps is not None:
                    vjp_expr = _c._wrap(_c._fill(vjps[i], refs, out=name, g=g))
                    contribs.append((vjp_expr, _uses_array(vjps[i], arr_of), None, False))
                else:
                    d = _c._fill(partials[i], refs, out=name, g=g)
                    contribs.append((g, g_arr, d, _uses_array(partials[i], arr_of)))
        else:
            fname = f"_b_{name}"
            is_arr = self.arr[id(v)] or g_arr
            self.namespace[fname] = (
                _elementwise_backward(self.np, op, need)
                if is_arr
                else _c._generic_backward(op, need)
            )
            call = ", ".join([g, name, *[self.ref(p) for p in args]])
            lines.append(f"    c_{name} = {fname}({call})")
            contribs = [
                (f"c_{name}[{i}]", is_arr, None, False) if n else None for i, n in enumerate(need)
            ]
        for p, c in zip(args, contribs, strict=True):
            if c is None:
                continue
            expr, is_arr = _edge(*c, reduce=per_sample and not self.arr[id(p)])
            if id(p) in grads:
                # never ``+=``: on arrays it would write into an array another name shares
                lines.append(f"    {grads[id(p)]} = {grads[id(p)]} + {expr}")
                garr[id(p)] = garr[id(p)] or is_arr
            else:
                gp = "g_" + self.names[id(p)]
                grads[id(p)] = gp
                garr[id(p)] = is_arr
                lines.append(f"    {gp} = {expr}")
        return lines


def _edge(g: str, g_arr: bool, d: str | None, d_arr: bool, reduce: bool) -> tuple[str, bool]:
    """One edge's contribution ``g * d`` (``d`` None: ``g`` is the contribution) and
    whether it is an array; ``reduce``: from a per-sample node into a node that is the
    same for every sample, so summed over the batch (``_B`` samples)."""
    if d == "1.0" or d is None:
        c, c_arr = g, g_arr
    elif d == "-1.0":
        c, c_arr = f"(-{g})", g_arr
    elif reduce and g_arr and d_arr:
        return f"_v_dot({g}, {_c._wrap(d)})", False
    else:
        c, c_arr = f"{g} * {_c._wrap(d)}", g_arr or d_arr
    if not reduce:
        return c, c_arr
    return (f"_v_sum({c})", False) if c_arr else (f"{_c._wrap(c)} * _B", False)


def _uses_array(template: str, arr_of: dict[str, bool]) -> bool:
    return any(arr_of.get(k, False) for k in re.findall(r"\{(\w+)\}", template))


class BatchCompiled:
    """A traced function as numpy code over a batch; see the module docstring.

    ``compiled(*args)`` (each a float or a 1-D array of the batch's length) gives
    ``(value, grads)``, or ``((value, aux), grads)`` with ``has_aux`` (each aux Value as
    an array over the batch). ``source`` is the code for the last combination of batched
    arguments called (one function per combination, generated on first use).
    """

    def __init__(
        self,
        f: Callable[..., Any],
        example_args: Sequence[Any],
        argnums: _c.Argnums = 0,
        check: bool = False,
        reduce: str = "sum",
        has_aux: bool = False,
    ) -> None:
        self.np = _numpy()
        if not callable(f):
            raise TypeError(f"compile: f must be callable, got {type(f).__name__}")
        if reduce not in ("sum", "mean"):
            raise ValueError(f"compile: reduce must be 'sum' or 'mean', got {reduce!r}")
        if not isinstance(check, bool) or not isinstance(has_aux, bool):
            raise TypeError("compile: check and has_aux must be bools")
        if isinstance(example_args, str | bytes) or not isinstance(example_args, Sequence):
            raise TypeError(
                "compile: example_args must be a tuple of numbers (one sample), "
                f"got {type(example_args).__name__}"
            )
        xs = _c._as_floats(example_args, "compile: example_args")
        if not xs:
            raise ValueError("compile: example_args must hold at least one number")
        self.f, self.argnums, self.check, self.reduce = f, argnums, check, reduce
        self.has_aux = has_aux
        self.n_args = len(xs)
        self._nums = _c._check_argnums(argnums, self.n_args)
        self._single = isinstance(argnums, int)
        self._trace = _c._trace_aux(f, xs, has_aux)
        inputs, out, order, _ = self._trace
        self._signature = _c._signature(inputs, order, out)
        self._fns: dict[tuple[bool, ...], Callable[..., Any]] = {}
        self.source = ""
        self.nodes = 0 if order is None else len(order)

    def _function(self, batched: tuple[bool, ...]) -> Callable[..., Any]:
        fn = self._fns.get(batched)
        if fn is None:
            inputs, out, order, aux = self._trace
            assert order is not None
            extra = _c._aux_items(aux, self.f) if self.has_aux else []
            roots = [out, *(a for a in extra if isinstance(a, Value))]
            gen = _ArrayGenerator(self.np, inputs, roots, order, self._nums, batched)
            self.source = gen.source()
            exec(builtins.compile(self.source, "<autograd.compile batch>", "exec"), gen.namespace)
            fn = gen.namespace["batched"]
            self._fns[batched] = fn
        return fn

    def _arguments(self, args: tuple[Any, ...]) -> tuple[list[Any], tuple[bool, ...], int]:
        np = self.np
        where = f"compiled {_c._name(self.f)}"
        if len(args) != self.n_args:
            raise TypeError(f"{where}: expected {self.n_args} arguments, got {len(args)}")
        values: list[Any] = []
        batched: list[bool] = []
        size: int | None = None
        for i, a in enumerate(args):
            if a.__class__ is float:  # the common case: a parameter
                values.append(a)
                batched.append(False)
                continue
            if isinstance(a, bool | str | bytes) or a is None:
                raise TypeError(f"{where}: argument {i} must be a number or a 1-D array, got {a!r}")
            if isinstance(a, numbers.Real):
                values.append(float(a))
                batched.append(False)
                continue
            try:
                arr = np.asarray(a, dtype=np.float64)
            except (TypeError, ValueError):
                raise TypeError(
                    f"{where}: argument {i} must be a number or a 1-D array of numbers, "
                    f"got {type(a).__name__}"
                ) from None
            if arr.ndim == 0:
                values.append(float(arr))
                batched.append(False)
                continue
            if arr.ndim != 1:
                raise ValueError(
                    f"{where}: argument {i} has shape {arr.shape}; batched arguments are "
                    "1-D (one entry per sample)"
                )
            if size is None:
                size = len(arr)
            elif len(arr) != size:
                raise ValueError(
                    f"{where}: argument {i} has {len(arr)} samples, an earlier one {size}"
                )
            values.append(arr)
            batched.append(True)
        if size == 0:
            raise ValueError(f"{where}: the batch is empty")
        return values, tuple(batched), 1 if size is None else size

    def __call__(self, *args: Any) -> Any:
        values, batched, size = self._arguments(args)
        if self.check:
            return self._checked(values, batched, size)
        fast = None if self._trace[2] is None else self._fast(values, batched, size)
        return fast if fast is not None else self._by_sample(values, batched, size)

    def _fast(self, values: list[Any], batched: tuple[bool, ...], size: int) -> Any:
        np = self.np
        fn = self._function(batched)
        try:
            with np.errstate(all="ignore"):
                value, grads, aux = fn(*values, size)
        except Exception:
            return None
        total = value + sum(g for g in grads if g.__class__ is float)
        arrays = [g for g in grads if g.__class__ is not float]
        if not math.isfinite(total) or not all(np.isfinite(a).all() for a in arrays):
            return None
        return self._shape(float(value), list(grads), list(aux), size)

    def _shape(self, value: float, grads: list[Any], aux: list[Any], size: int) -> Any:
        np = self.np
        if self.reduce == "mean":
            value = value / size
            grads = [g / size for g in grads]
        result: Any = grads[0] if self._single else tuple(grads)
        if not self.has_aux:
            return value, result
        items = _c._aux_items(self._trace[3], self.f)
        flat: list[Any] = []
        k = 0
        for item in items:
            if isinstance(item, Value):
                a = aux[k]
                k += 1
                flat.append(a if isinstance(a, np.ndarray) else np.full(size, float(a)))
            else:
                flat.append(np.full(size, float(item)))
        return (value, _c._aux_like(self._trace[3], flat)), result

    def _sample(self, xs: list[float]) -> tuple[float, list[float], list[float], Any]:
        """One sample on the eager engine: value, gradients, aux floats, signature."""
        inputs, out, order, aux = _c._trace_aux(self.f, xs, self.has_aux)
        sig = _c._signature(inputs, order, out)
        aux_f = [
            item.data if isinstance(item, Value) else float(item)
            for item in (_c._aux_items(aux, self.f) if self.has_aux else ())
        ]
        if order is None:
            (v,) = _c._as_floats([out], f"compile: {_c._name(self.f)}'s result")
            return v, [0.0] * len(self._nums), aux_f, sig
        out.backward()
        grads = [_grad_float(inputs[n].grad) for n in self._nums]
        return out.data, grads, aux_f, sig

    def _by_sample(
        self, values: list[Any], batched: tuple[bool, ...], size: int, check: bool = False
    ) -> Any:
        """Sample by sample on the eager engine: its results, its errors."""
        np = self.np
        value = 0.0
        sums = [0.0] * len(self._nums)
        cols: list[list[float]] = [[] for _ in self._nums]
        auxes: list[list[float]] = []
        for k in range(size):
            xs = [float(v[k]) if b else v for v, b in zip(values, batched, strict=True)]
            v, gs, aux, sig = self._sample(xs)
            if check and sig != self._signature:
                raise CompileCheckError(
                    f"compile(check=True): {_c._name(self.f)} at sample {k} {xs!r} builds a "
                    "different graph than at trace time (Python control flow that depends "
                    "on .data, or a captured Value that changed): the compiled code would "
                    "replay the traced graph"
                )
            value += v
            for j, g in enumerate(gs):
                sums[j] += g
                cols[j].append(g)
            auxes.append(aux)
        grads: list[Any] = [
            np.array(cols[j]) if batched[n] else sums[j] for j, n in enumerate(self._nums)
        ]
        aux_cols = [np.array(col) for col in zip(*auxes, strict=True)] if self.has_aux else []
        items = _c._aux_items(self._trace[3], self.f) if self.has_aux else []
        value_cols = [c for c, item in zip(aux_cols, items, strict=True) if isinstance(item, Value)]
        return self._shape(value, grads, value_cols, size)

    def _checked(self, values: list[Any], batched: tuple[bool, ...], size: int) -> Any:
        want = self._by_sample(values, batched, size, check=True)
        got = None if self._trace[2] is None else self._fast(values, batched, size)
        if got is not None and not _close_tree(self.np, got, want):
            raise CompileCheckError(
                f"compile(check=True): {_c._name(self.f)}: batched {got!r} but eager {want!r}"
            )
        return want

    def __repr__(self) -> str:
        return (
            f"<Compiled {_c._name(self.f)} (batch, reduce={self.reduce!r}): {self.nodes} "
            f"nodes, argnums={self.argnums!r}>"
        )


def _grad_float(g: Any) -> float:
    return g.data if isinstance(g, Value) else float(g)


def _close_tree(np: Any, got: Any, want: Any, rel: float = 1e-9) -> bool:
    """Equal up to summation order: ``rel`` times the largest magnitude involved."""
    if isinstance(want, tuple | list):
        return len(got) == len(want) and all(
            _close_tree(np, a, b, rel) for a, b in zip(got, want, strict=True)
        )
    a, b = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if a.shape != b.shape:
        return False
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-300)
    same_nan = np.isnan(a) == np.isnan(b)
    return bool(np.all(same_nan) and np.all(np.abs(np.nan_to_num(a - b)) <= rel * scale))
