"""Gradients of the nn family (activations, softmax, bias_add, cross-entropies and the composed
functions) and of the small families: debugging, strings, random, script and logging ops.

Most checks compare analytic gradients with finite differences (autotrace.test.
check_gradients), eagerly and inside autotrace.function, to second order for smooth ops.
Inputs are sampled away from the activations' kinks."""
import re

import numpy as np
import pytest

import autotrace as tf
from tests.helpers import grad_of
from autotrace.ops import (debugging_ops, logging_ops, nn_activation_ops, nn_loss_ops, nn_ops,
                           random_ops, string_ops)
from autotrace.control_flow import script_ops
from autotrace.ops.registry import NO_GRADIENT, REGISTRY, OpDef

OWN_MODULES = (nn_activation_ops, nn_loss_ops, debugging_ops, string_ops, random_ops,
               script_ops, logging_ops)
OWN_TYPES = {op.type for op in nn_ops.OPDEFS}


def check(f, xs, **kwargs):
    """check_gradients, skipped (naming the op) while another family's op it needs has no
    gradient rule yet; a missing rule of this family's ops fails."""
    try:
        tf.test.check_gradients(f, xs, **kwargs)
    except LookupError as exc:
        found = re.search(r"op type (\w+)", str(exc))
        if found and found.group(1) not in OWN_TYPES:
            pytest.skip("needs the gradient rule of %s (another family)" % found.group(1))
        raise


def away_from(x, points, margin=0.1):
    """x with the values within `margin` of a kink moved away from it."""
    x = np.array(x, dtype=np.float64)
    for p in points:
        near = np.abs(x - p) < margin
        x[near] = p + np.where(x[near] >= p, margin, -margin) * 2
    return x


RNG = np.random.default_rng(1234)
X = away_from(RNG.standard_normal((3, 4)) * 2, [0.0])
LABELS = RNG.random((3, 4))
LABELS /= LABELS.sum(-1, keepdims=True)


# -- every op declares its gradient -------------------------------------------------------------

def _own_opdefs():
    found = {}
    for module in OWN_MODULES:
        for value in vars(module).values():
            if isinstance(value, OpDef):
                found[value.type] = value
            elif isinstance(value, dict):
                found.update((v.type, v) for v in value.values() if isinstance(v, OpDef))
    for opdef in REGISTRY.values():  # ops declared in loops (kernels defined in the module)
        if getattr(opdef.kernel, "__module__", None) in {m.__name__ for m in OWN_MODULES}:
            found[opdef.type] = opdef
    return found


def test_every_op_of_these_families_declares_its_gradient():
    opdefs = _own_opdefs()
    for expected in ("Relu", "Softmax", "SoftmaxCrossEntropyWithLogits", "BiasAddGrad",
                     "CheckNumerics", "Assert", "StringJoin", "RandomUniform", "EagerPyFunc",
                     "PyFunc", "Print", "PrintV2"):
        assert expected in opdefs
    missing = sorted(t for t, op in opdefs.items() if op.grad is None)
    assert not missing, "ops without a declared gradient: %s" % missing


def test_non_differentiable_ops_are_declared_so():
    for op_type in ("Assert", "PrintV2", "PyFunc", "PyFuncStateless", "RandomUniform",
                    "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt",
                    "RandomShuffle", "Multinomial", "StringJoin", "StringLength",
                    "StringToNumber", "AsString", "StringFormat"):
        assert REGISTRY[op_type].grad is NO_GRADIENT, op_type


# -- activations --------------------------------------------------------------------------------

SMOOTH = ["elu", "selu", "softplus", "softsign"]


@pytest.mark.parametrize("name", SMOOTH)
def test_smooth_activation_second_order(name):
    fn = getattr(tf.nn, name)
    check(lambda x: fn(x), [X], order=2)
    check(lambda w, x: fn(x) * w, [LABELS, X], order=2)  # gradients' own gradient


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
def test_piecewise_linear_activation(name):
    fn = getattr(tf.nn, name)
    check(lambda x: fn(x), [X], order=1)
    check(lambda x: fn(x) * x, [X], order=2)


def test_softplus_third_order():
    check(lambda x: tf.nn.softplus(x), [X[:1]], order=3, modes=("eager",))


def test_activation_values_at_kinks_match_tensorflow():
    x = np.array([0.0, 6.0, -1.0, 2.0], np.float32)
    e = np.exp(-1.0)
    cases = {
        tf.nn.relu: [0, 1, 0, 1],
        tf.nn.leaky_relu: [0.2, 1, 0.2, 1],
        tf.nn.elu: [1, 1, e, 1],
        tf.nn.selu: np.array([1, 1, 1.6732632 * e, 1]) * 1.0507009873554805,
        tf.nn.softsign: [1, 1 / 49, 0.25, 1 / 9],
        tf.nn.softplus: 1 / (1 + np.exp(-x)),
    }
    for fn, expected in cases.items():
        g, = grad_of(fn, x)
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, expected, rtol=1e-6, err_msg=fn.__name__)


def test_elu_second_derivative_at_zero_is_zero_as_tensorflow():
    x = tf.constant([0.0, -1.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.elu(x)
        g = inner.gradient(y, x)
    np.testing.assert_allclose(outer.gradient(g, x).numpy(), [0.0, np.exp(-1.0)], rtol=1e-6)


def test_leaky_relu_alpha_reaches_the_gradient():
    g, = grad_of(lambda x: tf.nn.leaky_relu(x, alpha=0.05), np.array([-2.0, 3.0]))
    np.testing.assert_allclose(g, [0.05, 1.0])


def test_float16_activation_gradients_keep_dtype():
    x = np.array([-1.0, 0.5, 3.0], np.float16)
    for fn in (tf.nn.relu, tf.nn.elu, tf.nn.softplus, tf.nn.softmax, tf.nn.log_softmax):
        g, = grad_of(fn, x)
        assert g.dtype == np.float16 and np.all(np.isfinite(g)), fn.__name__


def test_relu6():
    check(lambda x: tf.nn.relu6(x * 4.0), [away_from(X, [0.0, 1.5])])


def test_silu():
    check(lambda x: tf.nn.silu(x), [X], order=2)
    check(lambda x: tf.nn.silu(x, beta=0.5), [X])


# -- softmax, log_softmax -----------------------------------------------------------------------

@pytest.mark.parametrize("axis", [None, 0])
def test_softmax_and_log_softmax_second_order(axis):
    check(lambda w, x: tf.nn.softmax(x, axis=axis) * w, [LABELS, X], order=2)
    check(lambda w, x: tf.nn.log_softmax(x, axis=axis) * w, [LABELS, X], order=2)


def test_softmax_gradient_rows_sum_to_zero():
    g, = grad_of(lambda x: tf.nn.softmax(x) * tf.constant(LABELS), X)
    np.testing.assert_allclose(g.sum(-1), 0, atol=1e-12)


# -- bias_add -----------------------------------------------------------------------------------

@pytest.mark.parametrize("data_format,shape,channels", [
    (None, (3, 4), 4), ("NHWC", (2, 3, 2, 4), 4), ("NCHW", (2, 3, 2, 4), 3),
    ("NC...", (2, 3, 5), 3)])
def test_bias_add(data_format, shape, channels):
    value = RNG.standard_normal(shape)
    bias = RNG.standard_normal(channels)
    check(lambda v, b: tf.nn.bias_add(v, b, data_format=data_format) * v, [value, bias],
          order=2)


def test_bias_add_gradient_sums_all_but_the_channel_axis():
    value = RNG.standard_normal((2, 3, 4))
    weight = RNG.standard_normal((2, 3, 4))
    gv, gb = grad_of(lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW") * weight,
                     value, np.zeros(3))
    np.testing.assert_allclose(gv, weight)
    np.testing.assert_allclose(gb, weight.sum(axis=(0, 2)))


# -- cross-entropies ----------------------------------------------------------------------------

def test_softmax_cross_entropy_second_order():
    f = tf.nn.softmax_cross_entropy_with_logits
    check(lambda lab, x: f(lab, x), [LABELS, X], order=2)
    check(lambda lab, x: f(lab, x, axis=0), [LABELS, X], order=2)
    check(lambda lab, x: f(lab, x), [LABELS[:1], X], order=2)  # broadcast labels


def test_sparse_softmax_cross_entropy_second_order():
    labels = np.array([0, 3, 1])
    check(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels, x), [X], order=2)


def test_cross_entropy_gradients_by_hand():
    def softmax(z):
        e = np.exp(z - z.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)
    g_labels, g_logits = grad_of(tf.nn.softmax_cross_entropy_with_logits, LABELS, X)
    np.testing.assert_allclose(g_logits, softmax(X) - LABELS, rtol=1e-12)
    np.testing.assert_allclose(g_labels, -np.log(softmax(X)), rtol=1e-12)

    labels = np.array([2, 0, 3])
    g, = grad_of(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels, x), X)
    np.testing.assert_allclose(g, softmax(X) - np.eye(4)[labels], rtol=1e-12)

    # weights on the losses scale the rows
    w = np.array([1.0, -2.0, 0.5])
    g, = grad_of(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels, x) * w, X)
    np.testing.assert_allclose(g, (softmax(X) - np.eye(4)[labels]) * w[:, None], rtol=1e-12)


def test_sparse_labels_get_no_gradient():
    labels = tf.constant([1, 0])
    logits = tf.constant([[0.5, 1.0], [2.0, -1.0]])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    assert tape.gradient(loss, labels) is None


def test_extreme_logits_give_finite_gradients():
    logits = np.array([[1000.0, -1000.0, 0.0], [-1e30, 1e30, 5.0]], np.float32)
    labels = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], np.float32)
    fns = [
        lambda x: tf.nn.softmax(x), lambda x: tf.nn.log_softmax(x),
        lambda x: tf.nn.softmax_cross_entropy_with_logits(labels, x),
        lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits([0, 0], x),
        lambda x: tf.nn.sigmoid_cross_entropy_with_logits(np.ones_like(logits) * 0.3, x),
        lambda x: tf.nn.weighted_cross_entropy_with_logits(np.ones_like(logits) * 0.3, x, 3.0),
        tf.nn.softplus, tf.nn.elu, tf.nn.selu, tf.nn.softsign, tf.nn.relu, tf.nn.leaky_relu,
    ]
    for fn in fns:
        try:
            g, = grad_of(fn, logits)
        except LookupError as exc:
            pytest.skip("needs another family's gradient: %s" % exc)
        assert np.all(np.isfinite(g)), (fn, g)
    g, = grad_of(lambda x: tf.nn.softmax_cross_entropy_with_logits(labels, x), logits)
    np.testing.assert_allclose(g, [[1.0 - 0.2, -0.3, -0.5], [-1.0, 1.0, 0.0]], atol=1e-6)


def test_sigmoid_cross_entropy():
    check(lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(z, x), [LABELS, X], order=2)


def test_sigmoid_cross_entropies_at_zero_logits():
    """At logits == 0 the gradient is sigmoid(0) - labels (zero-initialised models start
    there); TF's weighted version gets this point wrong, this one does not."""
    labels = np.array([0.3, 1.0, 0.0], np.float32)
    logits = np.zeros(3, np.float32)
    try:
        g_labels, g = grad_of(tf.nn.sigmoid_cross_entropy_with_logits, labels, logits)
        _, gw = grad_of(lambda z, x: tf.nn.weighted_cross_entropy_with_logits(z, x, 2.0),
                        labels, logits)
    except LookupError as exc:
        pytest.skip("needs another family's gradient: %s" % exc)
    np.testing.assert_allclose(g, 0.5 - labels, rtol=1e-6)
    np.testing.assert_allclose(g_labels, -logits)
    # d/dx [(1 - z) x + (1 + (w - 1) z) softplus(-x)] at 0 = (1 - z) - (1 + (w - 1) z) / 2
    np.testing.assert_allclose(gw, (1 - labels) - (1 + labels) / 2, rtol=1e-6)


def test_weighted_cross_entropy():
    check(lambda z, x: tf.nn.weighted_cross_entropy_with_logits(z, x, 2.5), [LABELS, X],
          order=2)
    check(lambda z, x, w: tf.nn.weighted_cross_entropy_with_logits(z, x, w),
          [LABELS, X, np.array(0.7)])


# -- composed functions -------------------------------------------------------------------------

def test_l2_loss_and_l2_normalize():
    check(lambda x: tf.nn.l2_loss(x), [X], order=2)
    check(lambda x: tf.nn.l2_normalize(x, axis=1), [X], order=2)
    check(lambda x: tf.nn.l2_normalize(x), [X])


def test_moments_second_order():
    """TF stops the gradient through the mean inside the variance, which makes its second
    derivatives wrong; these are right."""
    check(lambda x: tf.nn.moments(x, axes=[0])[1], [X], order=2)
    check(lambda x: tf.nn.moments(x, axes=[0, 1], keepdims=True)[0], [X])
    check(lambda x: tf.nn.moments(x, axes=[1])[1] * tf.nn.moments(x, axes=[1])[0], [X],
          order=2)


def test_dropout_gradient_is_the_scaled_mask():
    x = tf.constant(RNG.standard_normal(200) + 5.0)
    tf.random.set_seed(7)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.dropout(x, rate=0.25, seed=3)
    try:
        g = tape.gradient(y, x).numpy()
    except LookupError as exc:
        pytest.skip("needs another family's gradient: %s" % exc)
    mask = y.numpy() != 0
    assert 0 < mask.sum() < 200
    np.testing.assert_allclose(g, mask / 0.75)
    tf.random.set_seed(7)  # the same seeds draw the same mask again
    again = tf.nn.dropout(x, rate=0.25, seed=3).numpy() != 0
    np.testing.assert_array_equal(again, mask)


def test_dropout_gradient_inside_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.dropout(x, rate=0.5, seed=1)
        return y, tape.gradient(y, x)
    try:
        y, g = f(tf.constant(np.full(100, 3.0)))
    except LookupError as exc:
        pytest.skip("needs another family's gradient: %s" % exc)
    np.testing.assert_allclose(g.numpy(), (y.numpy() != 0) * 2.0)


# -- unknown static shapes ----------------------------------------------------------------------

def test_gradients_with_unknown_shapes_inside_function():
    spec = tf.TensorSpec(None, tf.float64)
    spec2 = tf.TensorSpec([None, None], tf.float64)

    def grads(x, b, lab):
        with tf.GradientTape() as tape:
            tape.watch([x, b, lab])
            y = (tf.nn.softplus(x) + tf.nn.relu(x) + tf.nn.elu(x) + tf.nn.softmax(x) +
                 tf.nn.log_softmax(x, axis=0) + tf.nn.bias_add(x, b))
            loss = tf.nn.softmax_cross_entropy_with_logits(lab, y)
            loss2 = tf.nn.sparse_softmax_cross_entropy_with_logits([0, 1, 3], x)
        return tape.gradient([loss, loss2], [x, b, lab])

    b = RNG.standard_normal(4)
    expected = grads(tf.constant(X), tf.constant(b), tf.constant(LABELS))
    for signature in ([spec2, tf.TensorSpec([None], tf.float64), spec2], [spec, spec, spec]):
        f = tf.function(grads, input_signature=signature)
        got = f(tf.constant(X), tf.constant(b), tf.constant(LABELS))
        for e, g in zip(expected, got):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-12)


# -- debugging, random, strings, script, logging ------------------------------------------------

def test_check_numerics_passes_the_gradient_through_and_checks_it():
    check(lambda x: tf.debugging.check_numerics(x * x, "x squared"), [X])
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.debugging.check_numerics(x, "the input") * np.inf
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="detected in gradient. the input : Tensor had Inf"):
        tape.gradient(y, x)


def test_assert_and_print_v2_do_not_block_gradients(capsys):
    def f(x):
        tf.debugging.Assert(tf.constant(True), [x])
        tf.print(x)
        tf.debugging.assert_positive(x * x + 1.0)
        return x * 3.0
    check(f, [X])
    capsys.readouterr()


def test_v1_print_is_an_identity_of_its_first_input(capsys):
    x = tf.constant([1.0, 2.0])
    d = tf.constant([5.0])
    with tf.GradientTape() as tape:
        tape.watch([x, d])
        y = tf.compat.v1.Print(x * 2.0, [x, d], "values: ")
    gx, gd = tape.gradient(y, [x, d])
    np.testing.assert_allclose(gx.numpy(), [2.0, 2.0])
    assert gd is None
    check(lambda a, b: tf.compat.v1.Print(a * b, [b], "p"), [X, LABELS])
    capsys.readouterr()


def test_random_uniform_differentiates_with_respect_to_its_bounds():
    def f(lo, hi):
        return tf.random.uniform([5], lo, hi, dtype=tf.float64, seed=11)

    lo, hi = tf.constant(1.0, tf.float64), tf.constant(3.0, tf.float64)
    tf.random.set_seed(3)
    with tf.GradientTape() as tape:
        tape.watch([lo, hi])
        u = f(lo, hi)
    g_lo, g_hi = tape.gradient(u, [lo, hi])
    unit = (u.numpy() - 1.0) / 2.0
    np.testing.assert_allclose([g_lo.numpy(), g_hi.numpy()], [np.sum(1 - unit), np.sum(unit)])
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = tf.random.shuffle(x)
    assert tape.gradient(z, x) is None  # RandomShuffle: no gradient, as TF


def test_random_normal_mean_and_stddev():
    x = tf.constant(np.array([1.0, 2.0]))
    tf.random.set_seed(5)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.random.normal([2], mean=x, stddev=x * 2.0, dtype=tf.float64, seed=2)
    g = tape.gradient(y, x).numpy()
    unit = (y.numpy() - x.numpy()) / (2 * x.numpy())
    np.testing.assert_allclose(g, 1 + 2 * unit)


def test_strings_carry_no_gradient():
    x = tf.constant([1.5, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        s = tf.strings.as_string(x)
        n = tf.strings.to_number(s, out_type=tf.float32)
        y = n * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.5, 2.5])


def test_numpy_function_has_no_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.numpy_function(lambda a: a * a, [x], tf.float32)
    assert tape.gradient(y, x) is None


def test_py_function_gradient_eagerly_and_in_function():
    def body(a, b):
        return tf.nn.softplus(a) * b + a * a

    check(lambda a, b: tf.py_function(body, [a, b], tf.float64), [X, LABELS], order=2)


def test_py_function_several_outputs_and_integer_inputs():
    def body(a, k):
        return a * tf.cast(k, a.dtype), tf.reduce_sum(a) * 0 + 1, k + 1

    def f(x):
        y, _, k = tf.py_function(body, [x, tf.constant(3)], [tf.float64, tf.float64,
                                                                  tf.int32])
        return y * 2.0
    check(f, [X])
    x = tf.constant([1.0, 2.0])
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.py_function(lambda a: a * a * v, [x], tf.float32)
    gx, gv = tape.gradient(y, [x, v])
    np.testing.assert_allclose(gx.numpy(), [6.0, 12.0])
    assert gv is None  # variables read inside the function get none, as TF


def test_py_function_gradient_static_shape():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.py_function(lambda a: a * 3.0, [x], tf.float32)
        g = tape.gradient(y, x)
        assert g.shape == x.shape
        return g
    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [3.0, 3.0])
