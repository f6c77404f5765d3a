"""Nothing outlives its owner (issue 11 §2): traces of a method die with their instance, and
the generated source registered in linecache (so tracebacks show generated lines) dies with
its compiled function."""
import gc
import linecache
import traceback
import weakref

import pytest

import autotrace as tf
from autotrace.tracing.concrete import ConcreteFunction

GENERATED = "<autotrace generated"


class Affine(tf.Module):
    def __init__(self, scale):
        super().__init__()
        self.w = tf.Variable(scale)

    @tf.function
    def __call__(self, x):
        return x * self.w + 1.0


def census():
    """(live Affine instances, live ConcreteFunctions, generated linecache entries)."""
    gc.collect()
    objects = gc.get_objects()
    return (sum(isinstance(o, Affine) for o in objects),
            sum(isinstance(o, ConcreteFunction) for o in objects),
            sum(k.startswith(GENERATED) for k in linecache.cache))


def test_instances_traces_and_generated_source_return_to_baseline():
    x = tf.constant([1.0, 2.0])
    baseline = census()
    for i in range(1000):
        model = Affine(float(i))
        assert model(x).numpy().tolist() == [i + 1.0, 2.0 * i + 1.0]
    assert census()[0] == baseline[0] + 1  # the last one is still alive
    del model
    # At most the baseline: objects of earlier tests may have died meanwhile.
    assert all(now <= then for now, then in zip(census(), baseline)), (census(), baseline)


def test_generated_source_lives_as_long_as_its_function():
    @tf.function
    def f(x):
        return x * 3.0 - 1.0

    cf = f.get_concrete_function(tf.TensorSpec([2], tf.float32))
    filename = cf._compiled.filename
    assert "".join(linecache.getlines(filename)) == cf.generated_source
    try:  # a failure inside the generated code shows its lines in the traceback
        cf._compiled.fn("not a number")
    except TypeError as exc:
        text = "".join(traceback.format_exception(exc))
    assert filename in text and "mul = x * " in text
    ref = weakref.ref(cf)
    del cf, f
    gc.collect()
    assert ref() is None
    assert filename not in linecache.cache
    with pytest.raises(KeyError):
        linecache.cache[filename]
