"""The exception classes TensorFlow users catch, under the same names.

Run-time errors from a graph carry the `op` that failed; its `location` is the user's
file:line where the op was created, and the message says so.
"""

__all__ = [
    "OpError", "CancelledError", "UnknownError", "InvalidArgumentError", "DeadlineExceededError",
    "NotFoundError", "AlreadyExistsError", "PermissionDeniedError", "ResourceExhaustedError",
    "FailedPreconditionError", "AbortedError", "OutOfRangeError", "UnimplementedError",
    "InternalError", "UnavailableError", "DataLossError", "UnauthenticatedError",
    "OperatorNotAllowedInGraphError", "InaccessibleTensorError", "SymbolicValueError",
    "UnconvertedGeneratorError", "SymbolicNumpyError", "TracingNumpyError",
    "DTypeMismatchError", "InvalidShapeError", "TraceBudgetExceededError",
    "ArgumentTypeError", "ArgumentValueError",
]


def _public(cls):
    """Users meet these classes as `autotrace.errors.X` (TF's tf.errors): reprs and
    tracebacks name that module, not this one."""
    cls.__module__ = "autotrace.errors"
    return cls


@_public
class OpError(Exception):
    """An error raised by an op. `message` is the text; `op` the Operation (or None)."""

    error_code = 2

    def __init__(self, message, op=None, node_def=None):
        super().__init__(message)
        self.message = message
        self.op = op
        self.node_def = node_def

    def __str__(self):
        op = self.op
        where = getattr(op, "location", None) if op is not None else None
        if op is not None and where and "[op " not in self.message:
            return "%s\n  [op %r (%s) created at %s]" % (self.message, op.name, op.type, where)
        return self.message

    def __reduce__(self):
        return (type(self), (self.message,))


def _error(name, code, doc):
    cls = type(name, (OpError,), {"error_code": code, "__doc__": doc})
    return _public(cls)


CancelledError = _error("CancelledError", 1, "An operation was cancelled.")
UnknownError = _error("UnknownError", 2, "An unknown error.")
InvalidArgumentError = _error("InvalidArgumentError", 3,
                              "An op received an invalid argument (bad shape, value or dtype).")
DeadlineExceededError = _error("DeadlineExceededError", 4, "A deadline expired.")
NotFoundError = _error("NotFoundError", 5, "A requested entity was not found.")
AlreadyExistsError = _error("AlreadyExistsError", 6, "An entity already exists.")
PermissionDeniedError = _error("PermissionDeniedError", 7, "No permission.")
ResourceExhaustedError = _error("ResourceExhaustedError", 8, "A resource ran out.")
FailedPreconditionError = _error("FailedPreconditionError", 9,
                                 "The system is not in a state to run the op "
                                 "(e.g. reading an uninitialised variable).")
AbortedError = _error("AbortedError", 10, "An operation was aborted.")
OutOfRangeError = _error("OutOfRangeError", 11, "Iterated past the valid range.")
UnimplementedError = _error("UnimplementedError", 12, "The operation is not implemented.")
InternalError = _error("InternalError", 13, "An internal invariant broke: please report it.")
UnavailableError = _error("UnavailableError", 14, "A service is unavailable.")
DataLossError = _error("DataLossError", 15, "Unrecoverable data loss.")
UnauthenticatedError = _error("UnauthenticatedError", 16, "No valid credentials.")


@_public
class ArgumentTypeError(InvalidArgumentError, TypeError, ValueError):
    """An op argument of the wrong kind: a float or string where an int is needed (an axis,
    a shape, a count), None, a list mixing types, a tensor of the wrong dtype. TensorFlow
    raises TypeError, ValueError or InvalidArgumentError for these, depending on the mode
    (eager or building a graph) and on the form of the value; this is all three, so code
    catching any of them works in both modes."""


@_public
class ArgumentValueError(InvalidArgumentError, ValueError):
    """An op argument whose value is known to be wrong: an axis out of range, a repeated
    axis, a negative count or dimension, a zero step. TensorFlow raises InvalidArgumentError
    eagerly and ValueError while building graphs (for values known then); this is both."""


@_public
class DTypeMismatchError(InvalidArgumentError, TypeError):
    """Two inputs of an op disagree on dtype. TensorFlow raises InvalidArgumentError eagerly
    and TypeError while building graphs; this is both, so either `except` clause works."""


@_public
class InvalidShapeError(ArgumentValueError):
    """Shapes that do not fit an op. TensorFlow raises InvalidArgumentError eagerly and
    ValueError while building graphs; this is both."""


@_public
class OperatorNotAllowedInGraphError(TypeError):
    """A symbolic tensor was used where a Python value is needed (`if t:`, `for x in t:`)."""


@_public
class UnconvertedGeneratorError(OperatorNotAllowedInGraphError, NotImplementedError):
    """A symbolic tensor used as a Python bool or iterable inside a generator: AutoGraph does
    not convert generators (nor does TensorFlow's), so their control flow is Python's. A
    NotImplementedError, and the OperatorNotAllowedInGraphError it is a case of."""


class TraceBudgetExceededError(RuntimeError):
    """An autotrace.function needed more traces than its `max_traces` budget allows."""


@_public
class InaccessibleTensorError(ValueError):
    """A symbolic tensor was used outside the graph (trace) that created it."""


@_public
class SymbolicValueError(InaccessibleTensorError, NotImplementedError):
    """A symbolic tensor's value was asked for (np.sum(x), x.numpy()) while its function is
    being traced. A NotImplementedError, as TensorFlow raises here, and an
    InaccessibleTensorError."""


@_public
class SymbolicNumpyError(InaccessibleTensorError, AttributeError):
    """`.numpy()` of a symbolic tensor (it has no value outside a running graph). Also an
    AttributeError: TensorFlow's symbolic tensors have no `numpy`, and TF code catches
    AttributeError there."""


@_public
class TracingNumpyError(SymbolicValueError, AttributeError):
    """`.numpy()` of a symbolic tensor while its function is traced: a SymbolicValueError,
    and an AttributeError as in TensorFlow."""
