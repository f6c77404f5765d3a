"""Data parallelism across the devices JAX sees, for functions compiled with jit_compile=True.

    strategy = autotrace.distribute.DataParallel()        # every device JAX sees
    @autotrace.function(jit_compile=True)
    def train_step(x, y):
        with autotrace.GradientTape() as tape:
            loss = autotrace.reduce_mean(loss_fn(model(x), y))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss
    loss = strategy.run(train_step, args=(x, y))          # x, y: the whole batch

TensorFlow's tf.distribute.MirroredStrategy is the anchor (`run`, `scope`,
`num_replicas_in_sync`); JAX's sharding is the engine. Each tensor argument is split along its first
(batch) axis across the devices (jax.sharding.NamedSharding over a one-axis Mesh), the
function's variables are replicated on every device, and XLA's SPMD partitioner compiles one
program that runs on all of them, adding the cross-device sums a gradient of a batch mean
needs. The results equal the single-device run (up to the order of float sums).

How it differs from MirroredStrategy: the function is written for the whole batch, not for a
replica's share: there are no per-replica values to reduce (`run` returns the function's
results), and a loss averaged over the batch is already the global average (TF's guidance,
`tf.nn.compute_average_loss` over the global batch size, gives the same gradients).

With several GPUs, JAX's devices are the GPUs; on a CPU, XLA_FLAGS=
--xla_force_host_platform_device_count=4 (set before JAX is imported) makes four devices.
"""
import contextlib

import numpy as np

from ..core.errors import InvalidArgumentError

__all__ = ["DataParallel"]


class DataParallel:
    """Split the batch of a jit-compiled function's calls across devices (see the module
    docstring). `devices` defaults to every device JAX sees."""

    def __init__(self, devices=None):
        from ..jit.compiler import import_jax
        jax = import_jax()
        from jax.sharding import Mesh, NamedSharding, PartitionSpec
        self.devices = list(devices) if devices is not None else jax.devices()
        self._jax = jax
        self._mesh = Mesh(np.array(self.devices), ("batch",))
        self._split = NamedSharding(self._mesh, PartitionSpec("batch"))
        self._replicated = NamedSharding(self._mesh, PartitionSpec())

    @property
    def num_replicas_in_sync(self):
        """How many devices share each batch."""
        return len(self.devices)

    def scope(self):
        """For code written for tf.distribute: variables need no special creation here (they
        are replicated when a call uses them), so this does nothing."""
        return contextlib.nullcontext(self)

    def run(self, fn, args=(), kwargs=None):
        """`fn(*args, **kwargs)` with tensor arguments split along their first axis across the
        devices and variables replicated. `fn` must be an autotrace.function with
        jit_compile=True; the batch must divide evenly among the devices."""
        from ..jit.compiler import XlaFunction, placed
        kwargs = kwargs or {}
        concrete = fn.get_concrete_function(*args, **kwargs)
        if not isinstance(concrete._fn, XlaFunction):
            raise TypeError("DataParallel.run needs an autotrace.function(jit_compile=True); "
                            "%r is not compiled with XLA" % (fn,))
        with placed(_Placement(self)):
            return concrete(*args, **kwargs)

    def __repr__(self):
        return "<DataParallel over %d devices: %s>" % (
            len(self.devices), ", ".join(str(d) for d in self.devices))


class _Placement:
    """Where DataParallel puts a call's values (see autotrace.jit.compiler.placed)."""

    def __init__(self, strategy):
        self.strategy = strategy

    def input(self, array):
        array = np.asarray(array)
        n = self.strategy.num_replicas_in_sync
        if array.ndim == 0:
            return self.strategy._jax.device_put(array, self.strategy._replicated)
        if array.shape[0] % n:
            raise InvalidArgumentError(
                "DataParallel: an argument of shape %s cannot be split across %d devices: its "
                "first (batch) dimension must be a multiple of %d" % (array.shape, n, n))
        return self.strategy._jax.device_put(array, self.strategy._split)

    def variable(self, array):
        return self.strategy._jax.device_put(np.asarray(array), self.strategy._replicated)

    def holds(self, device_array):
        return getattr(device_array, "sharding", None) == self.strategy._replicated
