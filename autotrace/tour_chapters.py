"""The chapters of `python -m autotrace tour`. Every snippet runs live."""
from .tour import Chapter, Step

EAGER = Chapter(
    "Eager tensors: values at once",
    """By default autotrace executes eagerly, like TensorFlow 2: every op computes its result
    immediately with NumPy (seed 004's eager model). No graphs, no sessions.""",
    [
        Step("""
            x = tf.constant([1.0, 2.0, 3.0])
            print(x)
            print(x * 2.0 + 1.0)
            """, """A Python float becomes float32 and takes the tensor's dtype in `x * 2.0`;
            the result is computed now."""),
        Step("""
            print(tf.range(10).dtype, tf.constant(np.arange(10)).dtype)
            """, """TensorFlow's defaults: Python ints become int32, but a NumPy array keeps
            NumPy's int64 (seed exercise 3)."""),
        Step("""
            m = tf.matmul([[2.0]], [[2.0]])
            print(m.numpy(), np.square(x))
            """, """Tensors hand their values to NumPy: `.numpy()` and NumPy functions both
            work."""),
        Step("""
            tf.constant([1, 2]) + tf.constant([1.0, 2.0])
            """, """No silent promotion between dtypes, as in TensorFlow; the error says what to
            cast."""),
    ])

GRAPH_AND_SESSION = Chapter(
    "A graph built by hand, run by a Session",
    """The TF-1 model (seed 002): Python code builds a graph of ops; a Session runs parts of
    it. Only the compute path of what you fetch runs.""",
    [
        Step("""
            v1 = tf.compat.v1
            graph = tf.Graph()
            with graph.as_default():
                x = v1.placeholder(tf.int32, name="x")
                three = tf.constant(3, name="three")
                total = tf.add(x, three, name="total")
            print(total)
            print(graph.as_text())
            """, """Building ops computes nothing: `total` is a node (a symbolic tensor), not 5.
            The printed graph lists each op with its inputs, dtype and shape."""),
        Step("""
            with v1.Session(graph=graph) as sess:
                print(sess.run(three))
                print(sess.run(total, feed_dict={x: 2}))
                sess.run(total)
            """, """`three` needs no input, so it runs without feeding `x`. `total` depends on
            the placeholder, so running it without a feed fails, naming the placeholder."""),
        Step("""
            with graph.as_default():
                count = v1.get_variable("count", [], initializer=v1.constant_initializer(0.0))
                increment = count.assign_add(1.0)
                init = v1.global_variables_initializer()
            with v1.Session(graph=graph) as sess:
                sess.run(init)
                sess.run(increment); sess.run(increment)
                print(sess.run(count))
            """, """A variable's value lives in the Session; the initializer and each
            `assign_add` are nodes whose side effect happens only when they are run."""),
        Step("""
            with graph.as_default():
                two = tf.constant(2)
                printed = v1.Print(two, [two], message="printing: ")
                doubled = two * 2
            with v1.Session(graph=graph) as sess:
                print("doubled =", sess.run(doubled))
                print("printed =", sess.run(printed))
            """, """The Print node prints only when it is on the compute path: `doubled` uses
            `two`, not `printed`, so the first run prints nothing."""),
    ])

CHAPTERS = [EAGER, GRAPH_AND_SESSION]
