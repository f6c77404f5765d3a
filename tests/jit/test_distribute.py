"""autotrace.distribute.DataParallel: a train step split across four (host) devices gives the
single-device results, with the batch sharded, the variables replicated and XLA's
cross-device sums in the compiled program. Run in a subprocess: the device count is fixed when
JAX starts (XLA_FLAGS=--xla_force_host_platform_device_count=4)."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("jax")

SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    import autotrace as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=8).astype(np.int32)
    w0 = rng.normal(size=(5, 3)).astype(np.float32)

    def trainer():
        w = tf.Variable(w0)
        b = tf.Variable(np.zeros(3, np.float32))
        opt = tf.keras.optimizers.SGD(0.5)

        @tf.function(jit_compile=True)
        def step(x, y):
            with tf.GradientTape() as tape:
                logits = tf.matmul(x, w) + b
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
            opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
            return loss
        return step, w

    strategy = tf.distribute.DataParallel()
    step, w = trainer()
    with strategy.scope():
        split = [float(strategy.run(step, args=(x, y))) for _ in range(3)]
    xla = step.concrete_functions[0]._fn
    weights = xla._device_values[0][1]
    from autotrace.jit.compiler import placed
    from autotrace.distribute import _Placement
    with placed(_Placement(strategy)):
        args, values = xla._arguments((x, y))
        program = xla._jitted.lower(args, values, xla._keys).compile().as_text()
    one_step, one_w = trainer()
    single = [float(one_step(x, y)) for _ in range(3)]
    try:
        strategy.run(step, args=(x[:6], y[:6]))
        uneven = None
    except tf.errors.InvalidArgumentError as error:
        uneven = str(error)
    print(json.dumps({
        "replicas": strategy.num_replicas_in_sync, "split": split, "single": single,
        "weights_equal": bool(np.allclose(w.numpy(), one_w.numpy(), rtol=1e-5, atol=1e-6)),
        "weight_devices": len(weights.sharding.device_set),
        "weights_replicated": weights.sharding.is_fully_replicated,
        "input_sharded": [len(a.sharding.device_set) for a in args],
        "all_reduce": "all-reduce" in program, "uneven": uneven}))
""")


def test_a_train_step_split_across_four_devices_matches_one_device(tmp_path):
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4",
               JAX_PLATFORMS="cpu")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["replicas"] == 4
    assert result["split"] == pytest.approx(result["single"], rel=1e-5)
    assert result["split"][2] < result["split"][0]  # it trains
    assert result["weights_equal"]
    assert result["weight_devices"] == 4 and result["weights_replicated"]
    assert result["input_sharded"] == [4, 4]
    assert result["all_reduce"]  # XLA sums the gradients across devices
    assert result["uneven"] == ("DataParallel: an argument of shape (6, 5) cannot be split "
                                "across 4 devices: its first (batch) dimension must be a "
                                "multiple of 4")
