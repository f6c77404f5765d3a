"""Graph pictures: DOT text (golden), sub-graph clusters, escaping, SVG via Graphviz, and the
Jupyter hooks of ConcreteFunction."""
import re
import shutil

import pytest

import autotrace as tf
from autotrace.core import visualize

HAS_DOT = shutil.which("dot") is not None
F32 = tf.float32


def _linear():
    @tf.function
    def linear(x, w, b):
        return tf.matmul(x, w) + b
    return linear.get_concrete_function(tf.TensorSpec([None, 3], F32),
                                        tf.TensorSpec([3, 2], F32), tf.TensorSpec([2], F32))


def _branchy():
    @tf.function
    def branchy(x):
        return tf.cond(x > 0.0, lambda: x * 2.0, lambda: -x)
    return branchy.get_concrete_function(tf.TensorSpec([], F32))


def _no_graphviz(monkeypatch):
    monkeypatch.setattr(visualize.shutil, "which", lambda name: None)


HEADER = '''\
  node [shape=box, style="rounded,filled", fillcolor="#f8f9fa", fontname="Helvetica", \
fontsize=10];
  edge [fontname="Helvetica", fontsize=9];
'''

LINEAR_DOT = '''\
digraph "linear" {
  graph [label="linear", labelloc=t, fontname="Helvetica", fontsize=12];
''' + HEADER + '''\
  "x" [label="x\\nPlaceholder\\nfloat32[?,3]", shape=invhouse, fillcolor="#cfe2ff"];
  "w" [label="w\\nPlaceholder\\nfloat32[3,2]", shape=invhouse, fillcolor="#cfe2ff"];
  "b" [label="b\\nPlaceholder\\nfloat32[2]", shape=invhouse, fillcolor="#cfe2ff"];
  "MatMul" [label="MatMul\\nfloat32[?,2]"];
  "add" [label="add\\nAddV2\\nfloat32[?,2]"];
  "Identity" [label="Identity\\nfloat32[?,2]"];
  ":output:0" [label="output 0\\nfloat32[?,2]", shape=house, fillcolor="#d1e7dd"];
  "x" -> "MatMul" [label="x"];
  "w" -> "MatMul" [label="w"];
  "MatMul" -> "add" [label="MatMul"];
  "b" -> "add" [label="b"];
  "add" -> "Identity" [label="add"];
  "Identity" -> ":output:0" [label="Identity"];
}'''

BRANCHY_DOT = '''\
digraph "branchy" {
  graph [label="branchy", labelloc=t, fontname="Helvetica", fontsize=12];
''' + HEADER + '''\
  "x" [label="x\\nPlaceholder\\nfloat32[]", shape=invhouse, fillcolor="#cfe2ff"];
  "Greater/y" [label="Greater/y\\nConst\\nfloat32[] = 0.0", fillcolor="#fff3cd"];
  "Greater" [label="Greater\\nbool[]"];
  "cond" [label="cond\\nStatelessIf\\nfloat32[]", fillcolor="#e2d9f3"];
  subgraph "cluster_cond:then_branch" {
    graph [label="cond: then_branch(x) -> mul", style="rounded,dashed", color="#6f42c1", \
fontcolor="#6f42c1"];
    "cond:then_branch/x" [label="x\\nPlaceholder\\nfloat32[]", shape=invhouse, \
fillcolor="#cfe2ff"];
    "cond:then_branch/mul/y" [label="mul/y\\nConst\\nfloat32[] = 2.0", fillcolor="#fff3cd"];
    "cond:then_branch/mul" [label="mul\\nMul\\nfloat32[]"];
  }
  subgraph "cluster_cond:else_branch" {
    graph [label="cond: else_branch(x) -> Neg", style="rounded,dashed", color="#6f42c1", \
fontcolor="#6f42c1"];
    "cond:else_branch/x" [label="x\\nPlaceholder\\nfloat32[]", shape=invhouse, \
fillcolor="#cfe2ff"];
    "cond:else_branch/Neg" [label="Neg\\nfloat32[]"];
  }
  "Identity" [label="Identity\\nfloat32[]"];
  ":output:0" [label="output 0\\nfloat32[]", shape=house, fillcolor="#d1e7dd"];
  "x" -> "Greater" [label="x"];
  "Greater/y" -> "Greater" [label="Greater/y"];
  "Greater" -> "cond" [label="Greater"];
  "x" -> "cond" [label="x"];
  "cond:then_branch/x" -> "cond:then_branch/mul" [label="x"];
  "cond:then_branch/mul/y" -> "cond:then_branch/mul" [label="mul/y"];
  "x" -> "cond:then_branch/x" [label="x", style=dotted, color="#6f42c1"];
  "cond:then_branch/mul" -> "cond" [label="mul", style=dotted, color="#6f42c1"];
  "cond:else_branch/x" -> "cond:else_branch/Neg" [label="x"];
  "x" -> "cond:else_branch/x" [label="x", style=dotted, color="#6f42c1"];
  "cond:else_branch/Neg" -> "cond" [label="Neg", style=dotted, color="#6f42c1"];
  "cond" -> "Identity" [label="cond"];
  "Identity" -> ":output:0" [label="Identity"];
}'''


# -- DOT text --------------------------------------------------------------------------------

def test_golden_dot_of_matmul_plus_add():
    cf = _linear()
    assert visualize.to_dot(cf) == LINEAR_DOT
    assert cf.to_dot() == LINEAR_DOT


def test_golden_dot_of_cond_has_a_cluster_per_branch():
    assert visualize.to_dot(_branchy()) == BRANCHY_DOT


def test_output_is_deterministic_across_traces():
    assert visualize.to_dot(_linear()) == visualize.to_dot(_linear())
    assert visualize.to_dot(_branchy()) == visualize.to_dot(_branchy())


def _declared_nodes(dot):
    return re.findall(r'^\s*("(?:[^"\\]|\\.)*") \[label=', dot, re.M)


def test_while_clusters_nest_and_node_ids_stay_unique():
    @tf.function
    def loop(x):
        i = tf.constant(0)
        while i < 3:
            if x[0] > 0:
                x = x * 2.0
            i += 1
        return x
    dot = loop.get_concrete_function(tf.TensorSpec([2], F32)).to_dot()
    for label in ("while: cond(", "while: body(", "cond: then_branch(", "cond: else_branch("):
        assert '[label="%s' % label in dot
    assert 'subgraph "cluster_while:body/cond:then_branch" {' in dot
    nodes = _declared_nodes(dot)
    assert len(nodes) == len(set(nodes))
    assert '"x" -> "while:body/x" [label="x", style=dotted' in dot  # loop var fed in
    assert '"while:body/cond" -> "while" [label="cond [1]", style=dotted' in dot  # result
    assert '"while:cond/Less" -> "while" [label="Less", style=dotted' in dot


def test_every_edge_end_is_a_declared_node():
    for cf in (_linear(), _branchy()):
        dot = cf.to_dot()
        nodes = set(_declared_nodes(dot))
        for a, b in re.findall(r'^  ("[^"]*") -> ("[^"]*")', dot, re.M):
            assert a in nodes and b in nodes


def test_control_inputs_are_dashed_and_stateful_ops_highlighted():
    v = tf.Variable(1.0)

    @tf.function
    def step(x):
        v.assign_add(1.0)
        with tf.compat.v1.get_default_graph().control_dependencies([tf.print(x)]):
            return tf.identity(x)
    dot = step.get_concrete_function(tf.TensorSpec([], F32)).to_dot()
    assert '"PrintV2" -> "Identity" [style=dashed, color="#868e96"];' in dot
    assert '"PrintV2" [label="PrintV2", fillcolor="#f8d7da", color="#b02a37", penwidth=2];' \
        in dot
    assert re.search(r'"AssignAddVariableOp" \[label="[^"]*", fillcolor="#f8d7da"', dot)


def test_tensor_refs_omit_output_zero_but_not_others():
    @tf.function
    def two(x):
        values, indices = tf.math.top_k(x, k=1)
        return indices
    dot = two.get_concrete_function(tf.TensorSpec([3], F32)).to_dot()
    assert '"TopKV2" -> "Identity" [label="TopKV2:1"];' in dot
    assert '"x" -> "TopKV2" [label="x"];' in dot


def test_escaping_of_quotes_backslashes_and_newlines():
    g = tf.Graph()
    with g.as_default():
        tf.constant('say "hi"\\now\n', name="quote.d-name")
    dot = visualize.to_dot(g, name='my "graph"')
    assert dot.startswith('digraph "my \\"graph\\"" {\n')
    assert ('"quote.d-name" [label="quote.d-name\\nConst\\nstring[] = '
            'b\'say \\"hi\\"\\\\\\\\now\\\\n\'", fillcolor="#fff3cd"];') in dot
    assert visualize._quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def test_large_constants_show_no_value_and_long_ones_are_cut():
    g = tf.Graph()
    with g.as_default():
        tf.zeros([3, 3]) + tf.constant(1.0, shape=[10])[0]
        tf.constant("x" * 100, name="long")
    dot = g.to_dot()
    assert '"Const" [label="Const\\nfloat32[10]", fillcolor="#fff3cd"];' in dot
    assert '"long" [label="long\\nConst\\nstring[] = b\'%s...", ' % ("x" * 27) in dot


def test_plain_graph_has_no_output_nodes_and_uses_its_name():
    g = tf.Graph(name="plain")
    with g.as_default():
        tf.constant(1) + tf.constant(2)
    dot = g.to_dot()
    assert dot.startswith('digraph "plain" {') and ":output:" not in dot
    assert '"Const_1" -> "add" [label="Const_1"];' in dot


def test_optimized_graph_picture():
    @tf.function
    def folded(x):
        return x + (tf.constant(1.0) + tf.constant(2.0))
    cf = folded.get_concrete_function(tf.TensorSpec([], F32))
    optimized = cf.to_dot(optimized=True)
    assert optimized.startswith('digraph "folded_optimized" {')
    assert optimized == visualize.to_dot(cf.optimized_graph)
    assert optimized.count("[label=") < cf.to_dot().count("[label=")


def test_to_dot_refuses_other_objects():
    with pytest.raises(TypeError, match="Graph or a ConcreteFunction"):
        visualize.to_dot(42)


def test_module_doctests():
    import doctest
    assert doctest.testmod(visualize, extraglobs={"tf": tf}).failed == 0


# -- SVG and Jupyter -------------------------------------------------------------------------

@pytest.mark.skipif(not HAS_DOT, reason="Graphviz (dot) is not installed")
def test_svg_when_graphviz_is_installed():
    cf = _branchy()
    svg = visualize.to_svg(cf)
    assert "<svg" in svg and "cluster_cond:then_branch" in svg
    assert cf._repr_svg_() == svg
    assert cf._repr_html_() is None  # Jupyter shows the SVG


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz (dot) is not installed")
def test_escaped_labels_are_valid_dot():
    g = tf.Graph()
    with g.as_default():
        tf.constant('a "b" \\ c\n', name="q")
    assert "<svg" in visualize.to_svg(g, name='x "y"')


def test_to_svg_without_graphviz_says_so(monkeypatch):
    _no_graphviz(monkeypatch)
    with pytest.raises(RuntimeError, match="Graphviz is not installed.*to_dot"):
        visualize.to_svg(_linear())


def test_jupyter_hooks_without_graphviz(monkeypatch):
    _no_graphviz(monkeypatch)
    cf = _linear()
    assert cf._repr_svg_() is None
    page = cf._repr_html_()
    assert page.startswith("<pre>&lt;ConcreteFunction linear(") and page.endswith("</pre>")
    assert "MatMul   : float32[?,2] = MatMul(x, w)" in page
    assert "<" not in page[5:-6] and '"' not in page[5:-6]


def test_repr_svg_is_none_when_dot_fails(monkeypatch):
    monkeypatch.setattr(visualize.shutil, "which", lambda name: "/nonexistent/dot")
    assert _linear()._repr_svg_() is None
