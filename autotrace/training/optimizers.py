"""Optimizers with Keras 3's update rules and defaults: SGD, RMSprop, Adam, Nadam, Adagrad.

Slot variables (momentums, velocities...) are created on first use, so an optimizer built
outside a traced function works inside it under the first-call rule: the slots are made
during the first trace and reused afterwards.

>>> import autotrace as tf
>>> w = tf.Variable(1.0)
>>> opt = tf.keras.optimizers.SGD(learning_rate=0.1)
>>> with tf.GradientTape() as tape:
...     loss = w * w
>>> _ = opt.apply_gradients([(tape.gradient(loss, w), w)])
>>> float(w.numpy())
0.8
"""
from ..core import dtypes
from . import schedules
from ..autodiff.tape import GradientTape
from ..ops import math_ops
from ..ops.array_ops import zeros
from ..ops.constant_op import convert_to_tensor
from ..ops.gather_ops import gather
from ..ops.group_ops import group
from ..ops.indexed_slices import IndexedSlices, deduplicate
from ..ops.variables import Variable

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "Nadam", "Adagrad", "get"]


class Optimizer:
    """Base class: `apply_gradients(zip(grads, variables))` and `minimize(loss, var_list)`."""

    def __init__(self, learning_rate=0.001, name=None, **kwargs):
        unknown = set(kwargs) - {"clipnorm", "clipvalue", "global_clipnorm", "weight_decay",
                                 "use_ema", "ema_momentum", "ema_overwrite_frequency",
                                 "loss_scale_factor", "gradient_accumulation_steps",
                                 "jit_compile"}
        if unknown:
            raise TypeError("%s got unexpected arguments: %s" % (type(self).__name__,
                                                                 ", ".join(sorted(unknown))))
        self.name = name or type(self).__name__.lower()
        self._learning_rate = learning_rate
        self.iterations = Variable(0, dtype=dtypes.int64, trainable=False,
                                   name=self.name + "/iterations")
        self._slots = {}

    # -- learning rate ---------------------------------------------------------------------
    @property
    def learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            return lr(self.iterations)
        if callable(lr):
            return lr()
        return lr

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = value

    def _lr_for(self, variable):
        lr = self.learning_rate
        if hasattr(lr, "dtype") and lr.dtype is not variable.dtype:
            return math_ops.cast(lr, variable.dtype)
        return lr

    # -- slots -----------------------------------------------------------------------------
    def _slot(self, variable, name, initial=0.0):
        """The slot `name` of `variable`, created (zeros, or `initial`) on first use."""
        key = (variable.ref(), name)
        slot = self._slots.get(key)
        if slot is None:
            shape, dtype = variable.shape.as_list(), variable.dtype
            # A callable: evaluated eagerly even when the first update is being traced.
            slot = Variable(lambda: zeros(shape, dtype) + initial, trainable=False,
                            name="%s/%s/%s" % (self.name, variable.name.split(":")[0], name))
            self._slots[key] = slot
            # A checkpoint restored before this slot existed gives it its value now.
            pending = self.__dict__.get("_deferred_slot_restorations")
            if pending and key in pending:
                pending.pop(key)(slot)
        return slot

    @property
    def variables(self):
        return [self.iterations] + list(self._slots.values())

    # -- checkpoints (autotrace.train.Checkpoint) ------------------------------------------
    def _trackable_children(self):
        return {"iterations": self.iterations}

    def _slot_variables(self):
        """(variable, slot name, slot variable) for every slot made so far."""
        return [(ref.deref(), name, slot) for (ref, name), slot in self._slots.items()]

    # -- updates ---------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars, name=None):
        """Update each variable from its gradient (pairs with a None gradient are skipped)."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable: the loss may not "
                             "depend on them (check that they are read inside the tape)")
        self._before_updates()
        updates = [self._sparse_update(g, v) if isinstance(g, IndexedSlices) and
                   self._sparse_update is not None else
                   self._update(convert_to_tensor(g, v.dtype), v) for g, v in pairs]
        updates.append(self.iterations.assign_add(1))
        op = group(*updates)
        return op if op is not None else self.iterations

    def minimize(self, loss, var_list, tape=None):
        """Compute the gradients of `loss` (a zero-argument callable, or a tensor computed
        under `tape`) with respect to `var_list`, and apply them."""
        if callable(var_list):
            var_list = var_list()
        if tape is None:
            if not callable(loss):
                raise TypeError("minimize: `loss` must be a callable when no `tape` is given")
            with GradientTape() as tape:
                value = loss()
        else:
            value = loss() if callable(loss) else loss
        grads = tape.gradient(value, list(var_list))
        return self.apply_gradients(zip(grads, var_list))

    def _before_updates(self):
        pass

    def _update(self, gradient, variable):
        raise NotImplementedError

    # Update from IndexedSlices (gathers' gradients) touching only their rows, where that
    # gives the same result as the dense rule; None: the gradient is densified first (Adam,
    # RMSprop and Nadam decay the moments of every row at every step, as Keras 3 does).
    _sparse_update = None

    def _step(self, variable):
        """The 1-based step number, as the variable's dtype."""
        return math_ops.cast(self.iterations + 1, variable.dtype)

    def get_config(self):
        return {"name": self.name, "learning_rate": self._learning_rate}

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, ", ".join(
            "%s=%r" % kv for kv in self.get_config().items() if kv[0] != "name"))


class SGD(Optimizer):
    """Gradient descent, with optional (Nesterov) momentum."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError("SGD: momentum must be in [0, 1], got %r" % (momentum,))
        self.momentum, self.nesterov = momentum, nesterov

    def _update(self, g, v):
        lr = self._lr_for(v)
        if not self.momentum:
            return v.assign_sub(g * lr)
        m = self._slot(v, "momentum")
        m_new = m.assign(m * self.momentum - g * lr)
        if self.nesterov:
            return v.assign_add(m_new * self.momentum - g * lr)
        return v.assign_add(m_new)

    def _sparse_update(self, g, v):
        step = IndexedSlices(g.values * self._lr_for(v), g.indices, g.dense_shape)
        if not self.momentum:
            return v.scatter_sub(step)
        m = self._slot(v, "momentum")
        m.assign(m * self.momentum)
        m_new = m.scatter_sub(step)
        if self.nesterov:
            v.assign_add(m_new * self.momentum)
            return v.scatter_sub(step)
        return v.assign_add(m_new)

    def get_config(self):
        return dict(super().get_config(), momentum=self.momentum, nesterov=self.nesterov)


class RMSprop(Optimizer):
    """Divide the gradient by a running root mean square of recent gradients."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def _update(self, g, v):
        lr = self._lr_for(v)
        velocity = self._slot(v, "velocity")
        velocity_new = velocity.assign(velocity * self.rho + math_ops.square(g) * (1 - self.rho))
        if self.centered:
            average = self._slot(v, "average_gradient")
            average_new = average.assign(average * self.rho + g * (1 - self.rho))
            denominator = velocity_new - math_ops.square(average_new) + self.epsilon
        else:
            denominator = velocity_new + self.epsilon
        increment = lr * g / math_ops.sqrt(denominator)
        if self.momentum > 0:
            momentum = self._slot(v, "momentum")
            return v.assign_sub(momentum.assign(momentum * self.momentum + increment))
        return v.assign_sub(increment)

    def get_config(self):
        return dict(super().get_config(), rho=self.rho, momentum=self.momentum,
                    epsilon=self.epsilon, centered=self.centered)


class Adam(Optimizer):
    """Adaptive moment estimation (optionally AMSGrad)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def _update(self, g, v):
        lr = self._lr_for(v)
        step = self._step(v)
        beta_1_power = math_ops.pow(math_ops.cast(self.beta_1, v.dtype), step)
        beta_2_power = math_ops.pow(math_ops.cast(self.beta_2, v.dtype), step)
        alpha = lr * math_ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m, vel = self._slot(v, "m"), self._slot(v, "v")
        m_new = m.assign_add((g - m) * (1 - self.beta_1))
        v_new = vel.assign_add((math_ops.square(g) - vel) * (1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._slot(v, "v_hat")
            v_new = v_hat.assign(math_ops.maximum(v_hat, v_new))
        return v.assign_sub(m_new * alpha / (math_ops.sqrt(v_new) + self.epsilon))

    def get_config(self):
        return dict(super().get_config(), beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon, amsgrad=self.amsgrad)


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Keras 3's schedule of momentum decay)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._u_product = None

    def _before_updates(self):
        if self._u_product is None:
            self._u_product = Variable(1.0, trainable=False, name=self.name + "/u_product")
        step = math_ops.cast(self.iterations + 1, dtypes.float32)
        self._u_product_value = self._u_product.assign(
            self._u_product * self.beta_1 * (1.0 - 0.5 * math_ops.pow(0.96, step)))

    @property
    def variables(self):
        extra = [self._u_product] if self._u_product is not None else []
        return super().variables + extra

    def _update(self, g, v):
        lr = self._lr_for(v)
        step = self._step(v)
        next_step = step + 1
        beta_1 = math_ops.cast(self.beta_1, v.dtype)
        u_t = beta_1 * (1.0 - 0.5 * math_ops.pow(math_ops.cast(0.96, v.dtype), step))
        u_t_1 = beta_1 * (1.0 - 0.5 * math_ops.pow(math_ops.cast(0.96, v.dtype), next_step))
        u_product_t = math_ops.cast(self._u_product_value, v.dtype)
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = math_ops.pow(math_ops.cast(self.beta_2, v.dtype), step)
        m, vel = self._slot(v, "m"), self._slot(v, "v")
        m_new = m.assign_add((g - m) * (1 - self.beta_1))
        v_new = vel.assign_add((math_ops.square(g) - vel) * (1 - self.beta_2))
        m_hat = u_t_1 * m_new / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
        v_hat = v_new / (1 - beta_2_power)
        return v.assign_sub(m_hat * lr / (math_ops.sqrt(v_hat) + self.epsilon))

    def get_config(self):
        return dict(super().get_config(), beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon)


class Adagrad(Optimizer):
    """Per-parameter learning rates scaled by the sum of past squared gradients."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def _update(self, g, v):
        lr = self._lr_for(v)
        accumulator = self._slot(v, "accumulator", self.initial_accumulator_value)
        acc_new = accumulator.assign_add(math_ops.square(g))
        return v.assign_sub(lr * g / math_ops.sqrt(acc_new + self.epsilon))

    def _sparse_update(self, g, v):
        g = deduplicate(g)  # a row's squared gradient is the square of its summed gradient
        lr = self._lr_for(v)
        accumulator = self._slot(v, "accumulator", self.initial_accumulator_value)
        acc_new = accumulator.scatter_add(IndexedSlices(math_ops.square(g.values), g.indices))
        rows = gather(acc_new, g.indices)
        return v.scatter_sub(IndexedSlices(lr * g.values / math_ops.sqrt(rows + self.epsilon),
                                           g.indices))

    def get_config(self):
        return dict(super().get_config(), initial_accumulator_value=self.initial_accumulator_value,
                    epsilon=self.epsilon)


_BY_NAME = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam, "nadam": Nadam, "adagrad": Adagrad}


def get(identifier):
    """An optimizer from its name ('adam') or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    try:
        return _BY_NAME[str(identifier).lower()]()
    except KeyError:
        raise ValueError("Unknown optimizer %r; known: %s" % (identifier,
                                                             ", ".join(sorted(_BY_NAME)))) \
            from None
