"""State ops: variable handles, reads and writes.

A variable's handle is a `resource` tensor whose value is the Variable object itself; where the
variable's value lives is the Runtime's business (eager variables hold their own value; a
compat.v1 Session holds the values of graph variables).
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from .registry import NO_GRADIENT, defop

__all__ = ["VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "ASSIGN_ADD_VARIABLE",
           "ASSIGN_SUB_VARIABLE", "STRIDED_SLICE_ASSIGN", "SCATTER_OPS"]


def _var_handle_kernel(variable):
    return variable


VAR_HANDLE = defop("VarHandleOp", _var_handle_kernel,
                   lambda variable: (dtypes.resource, []), grad=NO_GRADIENT, inputs=())


def _read_kernel(runtime, handle):
    return runtime.read_variable(handle)


def _read_infer(handle):
    var = variable_of(handle)
    return var.dtype, var.shape


def variable_of(handle):
    """The Variable behind a handle tensor (symbolic: from its VarHandleOp; eager: its value),
    or None for a resource that is not a variable (a dataset iterator)."""
    op = getattr(handle, "op", None)
    value = op.attrs.get("variable") if op is not None else handle._value
    return getattr(value, "variable", None)


# Reads are not stateful (an unused read may be pruned), but as they use the runtime they
# are never folded or merged, and they keep their place in program order.
def _read_source(op, args, outs, ctx):
    """Generated code: the read goes through the function's runtime, like the kernel."""
    return ["%s = %s.read_variable(%s)" % (outs[0], ctx.runtime, args[0])]


READ_VARIABLE = defop("ReadVariableOp", _read_kernel, _read_infer, uses_runtime=True,
                      inputs=("resource",), grad=lambda op, g: [g],  # to the variable
                      emit=_read_source)


def _check_assignable(op_type, var, value):
    if value.dtype is not var.dtype:
        raise InvalidArgumentError(
            "%s: cannot assign a %s value to variable %r of dtype %s; cast it first"
            % (op_type, value.dtype.name, var.name, var.dtype.name))
    if not var.shape.is_compatible_with(value.shape):
        raise InvalidShapeError(
            "%s: cannot assign a value of shape %s to variable %r of shape %s (create the "
            "variable with shape=autotrace.TensorShape(None) to allow any shape)"
            % (op_type, value.shape, var.name, var.shape))


def _checked(handle, value):
    """Run-time check of an assigned value (static shapes may have been partly unknown)."""
    var = handle.variable
    if np.shape(value) != var.shape.as_tuple() and not var.shape.is_compatible_with(
            np.shape(value)):
        raise InvalidShapeError("cannot assign a value of shape %s to variable %r of shape %s"
                                % (np.shape(value), var.name, var.shape))
    return value


def _assign_kernel(runtime, handle, value):
    runtime.write_variable(handle, _checked(handle, value))
    return value


def _assign_add_kernel(runtime, handle, delta):
    with handle.update_lock:  # atomic per op, as TF's (see ResourceHandle)
        value = _checked(handle, runtime.read_variable(handle) + delta)
        runtime.write_variable(handle, value)
    return value


def _assign_sub_kernel(runtime, handle, delta):
    with handle.update_lock:
        value = _checked(handle, runtime.read_variable(handle) - delta)
        runtime.write_variable(handle, value)
    return value


def _assign_infer(op_type):
    def infer(handle, value):
        var = variable_of(handle)
        _check_assignable(op_type, var, value)
        return var.dtype, var.shape
    return infer


# Assignments output the new value, so `v.assign(x)` can be used as a tensor (TF's
# read_value=True) without a second read op.
ASSIGN_VARIABLE = defop("AssignVariableOp", _assign_kernel, _assign_infer("AssignVariableOp"),
                        uses_runtime=True, stateful=True, inputs=("resource", "value"), grad=NO_GRADIENT,
                        eager_check=True)
ASSIGN_ADD_VARIABLE = defop("AssignAddVariableOp", _assign_add_kernel,
                            _assign_infer("AssignAddVariableOp"), uses_runtime=True,
                            stateful=True, inputs=("resource", "value"), grad=NO_GRADIENT,
                        eager_check=True)
ASSIGN_SUB_VARIABLE = defop("AssignSubVariableOp", _assign_sub_kernel,
                            _assign_infer("AssignSubVariableOp"), uses_runtime=True,
                            stateful=True, inputs=("resource", "value"), grad=NO_GRADIENT,
                        eager_check=True)


# -- a slice of a variable assigned: `v[0, 1].assign(5.0)` (TF's ResourceStridedSliceAssign)

def _slice_assign_kernel(runtime, handle, value, *dyn, spec):
    from .index_ops import _resolve
    with handle.update_lock:
        current = runtime.read_variable(handle)
        index = tuple(_resolve(item, dyn) for item in spec) if dyn else tuple(spec)
        target = current[index]
        value = np.asarray(value)
        try:
            value = np.broadcast_to(value, np.shape(target))
        except ValueError:
            raise InvalidShapeError(
                "ResourceStridedSliceAssign: cannot assign a value of shape %s to the slice %s "
                "of variable %r, which has shape %s" % (
                    np.shape(value), spec.short() if hasattr(spec, "short") else spec,
                    handle.variable.name, np.shape(target))) from None
        new = current.copy()  # reads may share the old value: tensors are immutable
        new[index] = value
        runtime.write_variable(handle, new)
    return new


def _slice_assign_infer(handle, value, *dyn, spec):
    from ..core.tensor_shape import TensorSpec
    from .index_ops import _strided_slice_infer
    var = variable_of(handle)
    if value.dtype is not var.dtype:
        raise InvalidArgumentError(
            "ResourceStridedSliceAssign: cannot assign a %s value to a slice of variable %r of "
            "dtype %s; cast it first" % (value.dtype.name, var.name, var.dtype.name))
    _, shape = _strided_slice_infer(TensorSpec(var.shape, var.dtype), *dyn, spec=spec)
    if shape is not None and value.shape.rank is not None and None not in value.shape.as_list() \
            and None not in list(shape):
        try:
            broadcasts = np.broadcast_shapes(tuple(value.shape.as_list()),
                                             tuple(shape)) == tuple(shape)
        except ValueError:
            broadcasts = False
        if not broadcasts:
            raise InvalidShapeError(
                "ResourceStridedSliceAssign: cannot assign a value of shape %s to the slice %s "
                "of variable %r, which has shape %s" % (value.shape, spec.short(), var.name,
                                                        list(shape)))
    return var.dtype, var.shape


# The new value of the whole variable is its output (as the other assignments'). No
# gradient flows through it (as in TF).
STRIDED_SLICE_ASSIGN = defop("ResourceStridedSliceAssign", _slice_assign_kernel,
                             _slice_assign_infer, uses_runtime=True, stateful=True,
                             inputs=("ref", "value"), grad=NO_GRADIENT, eager_check=True)


# -- sparse updates: rows of a variable (IndexedSlices gradients, Variable.scatter_*) ----------

def _scatter_kernel(op_type, combine):
    def kernel(runtime, handle, indices, updates):
        with handle.update_lock:
            value = runtime.read_variable(handle)
            n = value.shape[0] if value.ndim else 0
            bad = (indices < 0) | (indices >= n)
            if bad.any():
                i = int(np.flatnonzero(bad.reshape(-1))[0])
                raise InvalidArgumentError("%s: indices[%d] = %d is not in [0, %d) (the rows of "
                                           "variable %r)" % (op_type, i, indices.reshape(-1)[i],
                                                             n, handle.variable.name))
            value = value.copy()  # reads may share the old value: tensors are immutable
            combine(value, indices, updates.astype(value.dtype, copy=False))
            runtime.write_variable(handle, value)
        return value
    return kernel


def _scatter_infer(op_type):
    def infer(handle, indices, updates):
        var = variable_of(handle)
        if updates.dtype is not var.dtype:
            raise InvalidArgumentError("%s: updates of dtype %s for variable %r of dtype %s"
                                       % (op_type, updates.dtype.name, var.name,
                                          var.dtype.name))
        if not indices.dtype.is_integer:
            raise InvalidArgumentError("%s: indices must be integers, got %s"
                                       % (op_type, indices.dtype.name))
        want = indices.shape.concatenate(var.shape[1:]) if var.shape.rank else None
        if want is not None and not updates.shape.is_compatible_with(want):
            raise InvalidShapeError("%s: updates of shape %s do not fit indices of shape %s "
                                    "into variable %r of shape %s" % (
                                        op_type, updates.shape, indices.shape, var.name,
                                        var.shape))
        return var.dtype, var.shape
    return infer


def _scatter_update(value, indices, updates):
    value[indices] = updates


_SCATTERS = [
    # op type, how rows combine (repeated indices add up, as TF's scatter add/sub)
    ("ResourceScatterAdd", np.add.at),
    ("ResourceScatterSub", np.subtract.at),
    ("ResourceScatterUpdate", _scatter_update),
]
SCATTER_OPS = {op_type: defop(op_type, _scatter_kernel(op_type, combine),
                              _scatter_infer(op_type), uses_runtime=True, stateful=True,
                              grad=NO_GRADIENT, eager_check=True,
                              inputs=("resource", "indices", "updates"))
               for op_type, combine in _SCATTERS}
