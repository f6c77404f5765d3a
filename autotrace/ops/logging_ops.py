"""Printing ops: `print` (TF's tf.print: prints when it runs) and compat.v1 `Print`.

Both are stateful: inside a traced function they run on every call; in a compat.v1 graph they
print only when they are on the compute path of what a Session runs (seed 002's lesson).

>>> import sys, autotrace as tf
>>> tf.print("x =", tf.constant([1.0, 2.5]), output_stream=sys.stdout)
x = [1 2.5]
"""
import sys

import numpy as np

from ..core import nest
from ..core.tensor import Tensor
from .constant_op import convert_to_tensor
from .registry import NO_GRADIENT, apply, defop

__all__ = ["print_v2", "Print", "format_tensor_value"]


# -- TensorFlow's value formatting -------------------------------------------------------------

def _format_float(value, digits, round_digits):
    """Shortest of %.{digits}g that reads back exactly, else %.{round_digits}g (TF's rule)."""
    short = "%.*g" % (digits, value)
    if type(value)(float(short)) == value or not np.isfinite(value):
        return _tidy(short)
    return _tidy("%.*g" % (round_digits, value))


def _tidy(text):
    return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(text, text)


def format_scalar(value):
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", "replace")
    if isinstance(value, (np.bool_, bool)):
        return "1" if value else "0"
    if isinstance(value, np.floating):
        if value.dtype == np.float64:
            return _format_float(value, 15, 17)
        if value.dtype == np.float16:
            return _format_float(np.float32(value), 3, 5)
        return _format_float(value, 6, 9)
    if isinstance(value, np.complexfloating):
        return "(%s,%s)" % (format_scalar(value.real), format_scalar(value.imag))
    return str(value)


def _format_element(value):
    if isinstance(value, (bytes, np.bytes_)):
        return '"%s"' % value.decode("utf-8", "replace")
    return format_scalar(value)


def format_tensor_value(array, summarize=3):
    """A tensor value as tf.print shows it: `[1 2 ... 8 9]`, nested for higher ranks."""
    array = np.asarray(array)
    if array.ndim == 0:  # a string tensor prints quoted, like TF's eager tf.print
        return _format_element(array[()])
    return _format_nested(array, summarize, 1)


def _format_nested(array, summarize, depth):
    n = array.shape[0]
    if summarize is not None and 0 <= summarize and n > 2 * summarize:
        index = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        index = list(range(n))
    if array.ndim == 1:
        parts = ["..." if i is None else _format_element(array[i]) for i in index]
        return "[" + " ".join(parts) + "]"
    sep = "\n" * (array.ndim - 1) + " " * depth
    parts = ["..." if i is None else _format_nested(array[i], summarize, depth + 1)
             for i in index]
    return "[" + sep.join(parts) + "]"


def _format_python(value, summarize):
    """Python structures print as Python does, with tensors formatted inside."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return format_tensor_value(value, summarize)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_format_python(v, summarize) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_format_python(v, summarize) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join("%r: %s" % (k, _format_python(v, summarize))
                               for k, v in value.items()) + "}"
    return str(value)


# -- PrintV2 -----------------------------------------------------------------------------------

_STREAMS = {"stderr": lambda: sys.stderr, "stdout": lambda: sys.stdout}


def _print_kernel(*values, template, output_stream, sep, end, summarize):
    it = iter(values)
    leaves = [next(it) if leaf is _TENSOR_SLOT else
              _text(next(it)) if leaf is _TEXT_SLOT else leaf for leaf in nest.flatten(template)]
    filled = nest.pack_sequence_as(template, leaves)
    text = sep.join(_format_python(item, summarize) for item in filled)
    stream = _STREAMS[output_stream]() if isinstance(output_stream, str) else output_stream
    stream.write(text + end)
    if hasattr(stream, "flush"):
        stream.flush()
    return []


class _TensorSlot:
    def __repr__(self):
        return "<tensor>"


_TENSOR_SLOT = _TensorSlot()


class _TextSlot:
    """Where a composite's printed text (a string scalar computed when the op runs) goes; it
    prints as it is, unquoted."""

    def __repr__(self):
        return "<text>"


_TEXT_SLOT = _TextSlot()


def _text(value):
    value = np.asarray(value)[()]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _print_infer(*values, template, output_stream, sep, end, summarize):
    return []


PRINT_V2 = defop("PrintV2", _print_kernel, _print_infer, stateful=True, multi_output=True,
                 grad=NO_GRADIENT, inputs=("inputs",))


def print_v2(*inputs, output_stream="stderr", summarize=3, sep=" ", end="\n", name=None):
    """Print tensors and Python values when the op runs (to stderr by default, as TF).

    Eagerly it prints at once; in a traced function it prints on every call (unlike Python's
    `print`, which runs only while tracing). Floats print with the shortest precise form.
    """
    if output_stream is sys.stdout:
        output_stream = "stdout"
    elif output_stream is sys.stderr:
        output_stream = "stderr"
    tensors = []

    def to_slot(x):
        print_text = getattr(x, "_print_text", None)
        if print_text is not None:  # a composite (RaggedTensor...): its text, made when it runs
            tensors.append(print_text(summarize))
            return _TEXT_SLOT
        if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
            tensors.append(convert_to_tensor(x))
            return _TENSOR_SLOT
        return x
    template = nest.map_structure(to_slot, list(inputs))
    attrs = {"template": template, "output_stream": output_stream, "sep": sep, "end": end,
             "summarize": summarize}
    result = apply(PRINT_V2, tensors, attrs, name)
    return None if isinstance(result, list) else result  # eager: None; graph: the op


# -- compat.v1 Print ---------------------------------------------------------------------------

def _v1_format(value, summarize):
    flat = np.asarray(value).reshape(-1)
    items = " ".join(format_scalar(v) for v in flat[:summarize])
    return "[" + items + ("..." if flat.size > summarize else "") + "]"


def _v1_print_kernel(input_, *data, message, summarize):
    text = (message or "") + "".join(_v1_format(d, summarize) for d in data)
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
    return input_


def _v1_print_grad(op, grad):
    """An identity of its first input; the printed data gets no gradient (as TF)."""
    return [grad] + [None] * (len(op.inputs) - 1)


V1_PRINT = defop("Print", _v1_print_kernel, lambda input_, *data, message, summarize:
                 (input_.dtype, input_.shape), grad=_v1_print_grad, stateful=True,
                 inputs=("input", "data"))


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):
    """compat.v1 `Print`: an identity of `input_` that prints `data` when it runs.

    It prints only when the Print node itself is on the compute path: printing a node that
    nothing downstream uses prints nothing (seed 002's subtle point)."""
    tensors = [convert_to_tensor(d) for d in data]
    return apply(V1_PRINT, [convert_to_tensor(input_)] + tensors,
                 {"message": message, "summarize": 3 if summarize is None else summarize}, name)
