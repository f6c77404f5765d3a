"""The chapters of `python -m autotrace tour`. Every snippet runs live."""
from .tour import Chapter, Step

EAGER_AND_GRAPH = Chapter(
    "Eager tensors, and the graph + session model",
    """autotrace executes eagerly by default, as TensorFlow 2 does (seed 004's model): every op
    computes its result at once, with NumPy. TensorFlow 1 worked differently (seed 002's
    model): Python built a graph, and a Session ran parts of it. autotrace has both.""",
    [
        Step("""
            x = tf.constant([1.0, 2.0, 3.0])
            print(x * 2.0 + 1.0)
            print(tf.range(10).dtype, tf.constant(np.arange(10)).dtype)
            """, """Eager: values at once. TensorFlow's dtype defaults: Python floats become
            float32 and ints int32, but a NumPy array keeps NumPy's int64."""),
        Step("""
            tf.constant([1, 2]) + tf.constant([1.0, 2.0])
            """, """No silent promotion between dtypes, as in TensorFlow; the error names
            both dtypes.""", """cast one side: tf.cast(a, tf.float32) + b."""),
        Step("""
            v1 = tf.compat.v1
            graph = tf.Graph()
            with graph.as_default():
                a = v1.placeholder(tf.int32, name="a")
                three = tf.constant(3, name="three")
                total = tf.add(a, three, name="total")
            print(total)
            print(graph.as_text())
            """, """Inside a graph, ops compute nothing: `total` is a node (a symbolic
            tensor), not a number. The printed graph lists each op, its inputs, dtype and
            shape."""),
        Step("""
            with v1.Session(graph=graph) as sess:
                print(sess.run(three))
                print(sess.run(total, feed_dict={a: 2}))
                sess.run(total)
            """, """A Session runs only the compute path of what you fetch: `three` needs no
            input; `total` needs the placeholder, so running it without a feed fails and the
            error names the placeholder."""),
        Step("""
            with graph.as_default():
                two = tf.constant(2)
                printed = v1.Print(two, [two], message="printing: ")
                doubled = two * 2
            with v1.Session(graph=graph) as sess:
                print("doubled =", sess.run(doubled))
                print("printed =", sess.run(printed))
            """, """Side effects happen only on the compute path: `doubled` uses `two`, not
            the Print node, so the first run prints nothing (seed 002's warning about
            tf.Print)."""),
    ])

TRACING_AND_CACHE = Chapter(
    "Tracing and the cache: what makes a function retrace",
    """@tf.function runs the Python function once per input signature to trace a graph, then
    reuses the compiled graph. Tensors are keyed by dtype and shape; Python values by value.""",
    [
        Step("""
            @tf.function
            def scale(x, factor):
                print("tracing with factor", factor)
                return x * factor

            x = tf.constant([1.0, 2.0])
            scale(x, 2.0)
            scale(x, 2.0)
            scale(tf.constant([3.0, 4.0]), 2.0)
            print("traces:", scale.experimental_get_tracing_count())
            """, """Same dtype and shape, same Python value: one trace. The Python print
            runs only while tracing."""),
        Step("""
            for factor in [3.0, 4.0, 5.0, 6.0]:
                scale(x, factor)
            print(scale.trace_history())
            """, """Each new Python number is a new signature, so a new trace; autotrace
            records why each trace happened, and after 5 traces in 10 calls it warns, saying
            which argument changed.""",
            """pass tensors for values that change: scale(x, tf.constant(3.0)) shares one
            trace for every factor."""),
        Step("""
            scale(x, tf.constant(7.0))
            scale(x, tf.constant(8.0))
            print("traces:", scale.experimental_get_tracing_count())
            print(scale.cache_info().misses, "misses,", scale.cache_info().hits, "hits")
            """, """A tensor factor is keyed by dtype and shape only: one more trace serves
            every value."""),
    ])

SIDE_EFFECTS = Chapter(
    "Python side effects happen at trace time only",
    """Only autotrace ops become part of the graph. Python code (print, appending to a list,
    counters) runs while the function is traced, and not on later calls.""",
    [
        Step("""
            calls = []

            @tf.function
            def f(x):
                print("Python print:", x)
                tf.print("tf.print:", x)
                calls.append(1)
                return x + 1

            f(tf.constant(1))
            f(tf.constant(2))
            print("list length:", len(calls))
            """, """`print` printed once, and showed a symbolic tensor (no value exists while
            tracing); AutoGraph warns about it. `tf.print` is an op in the graph: it prints
            the value on every call. The list grew once.""",
            """use tf.print for values, and return results instead of collecting them in
            Python lists; keep Python-side bookkeeping outside the function."""),
    ])

RANDOMNESS = Chapter(
    "np.random is frozen into the graph; tf.random is not",
    """A NumPy call inside a traced function runs once, while tracing; its result becomes a
    constant of the graph.""",
    [
        Step("""
            @tf.function
            def frozen(x):
                return x + np.random.rand()

            @tf.function
            def fresh(x):
                return x + tf.random.uniform([])

            print(float(frozen(tf.constant(0.0))), float(frozen(tf.constant(0.0))))
            print(float(frozen(tf.constant([0.0, 0.0]))[0]), "(a new trace: a new number)")
            print(float(fresh(tf.constant(0.0))), float(fresh(tf.constant(0.0))))
            """, """`frozen` returns the same number on every call with the same signature (the
            HOML exercise's example); only a new trace draws again. `tf.random.uniform` is a
            random op in the graph: a new value each call.""",
            """use autotrace.random inside traced functions (with tf.random.set_seed for
            reproducibility)."""),
    ])

VARIABLES = Chapter(
    "Variables only on the first call; assign, not =",
    """A traced function may create variables only during its first trace: they are created
    once and outlive the trace. A later trace creating a new variable is an error.""",
    [
        Step("""
            @tf.function
            def bad(x):
                v = tf.Variable(1.0)
                return x * v

            bad(tf.constant(2.0))
            bad(tf.constant([1.0, 2.0]))
            """, """The second shape means a second trace, which would create a second
            variable; the error names the line that created it."""),
        Step("""
            class Scaler(tf.Module):
                def __init__(self):
                    super().__init__()
                    self.v = None

                @tf.function
                def __call__(self, x):
                    if self.v is None:
                        self.v = tf.Variable(2.0)
                    return x * self.v

            s = Scaler()
            print(s(tf.constant(3.0)), s(tf.constant([1.0, 2.0])))
            """, """The singleton pattern: the variable is created on the first trace only;
            later traces reuse it.""", """better still, create variables outside the
            function (in __init__)."""),
        Step("""
            counter = tf.Variable(0)

            @tf.function
            def increment():
                counter.assign_add(1)

            @tf.function
            def rebind():
                c = counter
                c = c + 1

            increment(); increment(); rebind()
            print("counter:", int(counter))
            """, """`assign_add` is a stateful op: it runs on every call, even though its
            result is unused. `c = c + 1` only rebinds a Python name to a new tensor."""),
    ])

LOOPS = Chapter(
    "Python loops unroll; tensor loops become graph loops",
    """AutoGraph converts a `for` over a tensor or autotrace.range into one graph loop. A
    `for` over a Python range runs while tracing: the graph gets one copy of the body per
    iteration.""",
    [
        Step("""
            def ops_in(f, *args):
                return len(f.get_concrete_function(*args).graph.get_operations())

            @tf.function
            def unrolled(x):
                for i in range(20):
                    x = x * 1.01
                return x

            @tf.function
            def graph_loop(x):
                for i in tf.range(20):
                    x = x * 1.01
                return x

            x = tf.constant(1.0)
            print("Python range :", ops_in(unrolled, x), "ops")
            print("tf.range     :", ops_in(graph_loop, x), "ops")
            print(float(unrolled(x)), float(graph_loop(x)))
            """, """Same result; the unrolled graph grows with the number of iterations, the
            graph loop does not (and its iteration count can be a tensor).""",
            """use tf.range(n) (or iterate over a tensor) for loops that should stay loops;
            Python loops are right for building things once (e.g. a list of layers)."""),
        Step("""
            @tf.function
            def collatz(n):
                steps = 0
                while n != 1:
                    if n % 2 == 0:
                        n = n // 2
                    else:
                        n = 3 * n + 1
                    steps += 1
                return steps

            print(int(collatz(tf.constant(27))), int(collatz(tf.constant(6))))
            print(tf.autograph.to_code(collatz.python_function))
            """, """A `while` on a tensor condition becomes a graph while_loop; the branch and
            body functions take and return the variables they change."""),
    ])

BOTH_BRANCHES = Chapter(
    "Both branches of a tensor `if` are traced",
    """With a tensor condition, AutoGraph builds a graph cond: both branches are traced (so
    their Python side effects both happen, once), and the right one runs each call.""",
    [
        Step("""
            @tf.function
            def sign_name(x):
                if x > 0:
                    print("tracing the true branch")
                    result = tf.constant("positive")
                else:
                    print("tracing the false branch")
                    result = tf.constant("not positive")
                return result

            print(sign_name(tf.constant(5)).numpy(), sign_name(tf.constant(-5)).numpy())
            """, """Both prints ran while tracing; at run time the cond picks a branch."""),
        Step("""
            @tf.function
            def half_defined(x):
                if x > 0:
                    y = x * 2
                return y

            half_defined(tf.constant(1))
            """, """A variable assigned in only one branch has no value on the other path;
            the error names the variable and the `if`.""",
            """give it a value before the `if` (or in the else branch)."""),
    ])

SIGNATURES = Chapter(
    "input_signature and reduce_retracing",
    """Shapes that change from call to call cause retraces. Two ways to trace once for many
    shapes: declare the signature with None dimensions, or let autotrace generalise.""",
    [
        Step("""
            @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
            def total(x):
                return tf.reduce_sum(x)

            for n in (2, 3, 4):
                total(tf.ones([n]))
            print("traces:", total.experimental_get_tracing_count())
            print(total.pretty_printed_concrete_signatures())
            total(tf.ones([2, 2]))
            """, """One trace serves every length; a call that does not fit the signature is
            a TypeError naming the argument, the spec and what was passed."""),
        Step("""
            @tf.function(reduce_retracing=True)
            def double(x):
                return x * 2.0

            for n in (2, 3, 4, 5):
                double(tf.ones([n]))
            print("traces:", double.experimental_get_tracing_count())
            print(double.trace_history())
            """, """After the second distinct shape, autotrace traces a generalised (None
            dimension) version that serves every later shape."""),
    ])

INSPECTING = Chapter(
    "Inspecting what was traced",
    """Everything autotrace made is visible: the converted Python, the traced graph, the
    optimised graph and the generated Python source.""",
    [
        Step("""
            @tf.function
            def layer(x, w):
                y = tf.matmul(x, w)
                unused = tf.exp(y)
                if tf.reduce_sum(y) > 0:
                    y = tf.nn.relu(y)
                return y * (tf.constant(2.0) * tf.constant(3.0))

            cf = layer.get_concrete_function(tf.TensorSpec([None, 3]), tf.TensorSpec([3, 2]))
            print(cf.pretty_printed_signature())
            print(cf.graph.as_text())
            """, """The traced graph, one op per line; the cond's branches are printed as
            sections under it."""),
        Step("""
            print(cf.optimized_graph.as_text())
            print(cf.generated_source)
            """, """The optimiser folded the constant product into one Const and dropped the
            unused Exp; the generated code is plain Python over NumPy, compiled once (the
            traced graph above is kept as it was, for inspection)."""),
    ])

GRADIENTS = Chapter(
    "Gradients through a traced loop",
    """GradientTape works eagerly and inside traced functions; gradients flow through graph
    conds and loops.""",
    [
        Step("""
            w = tf.Variable(2.0)

            @tf.function
            def power_and_grad(x, n):
                with tf.GradientTape() as tape:
                    y = tf.ones_like(x)
                    for i in tf.range(n):
                        y = y * x * w
                return y, tape.gradient(y, w)

            y, dw = power_and_grad(tf.constant(1.5), tf.constant(3))
            print(float(y), float(dw), "(y = (x w)^3, dy/dw = 3 x^3 w^2)")
            """, """The forward loop keeps each iteration's values; the gradient is a loop
            running backwards over them."""),
        Step("""
            grad = tf.eager.gradients_function(lambda x, y: x ** 2 + y ** 3)
            print([float(g) for g in grad(1.0, 2.0)])
            """, """Seed 004's functional helpers: the gradient of x**2 + y**3 at (1, 2) is
            (2, 12)."""),
    ])

CHAPTERS = [EAGER_AND_GRAPH, TRACING_AND_CACHE, SIDE_EFFECTS, RANDOMNESS, VARIABLES, LOOPS,
            BOTH_BRANCHES, SIGNATURES, INSPECTING, GRADIENTS]
