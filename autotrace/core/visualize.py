"""Pictures of graphs: Graphviz DOT text, and SVG when the `dot` program is installed.

>>> import autotrace as tf
>>> @tf.function
... def f(x):
...     return x * 2.0
>>> cf = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
>>> print(to_dot(cf))  # doctest: +ELLIPSIS
digraph "f" {
  graph [label="f", labelloc=t, fontname="Helvetica", fontsize=12];
  ...
  "x" [label="x\\nPlaceholder\\nfloat32[?]", shape=invhouse, fillcolor="#cfe2ff"];
  "mul/y" [label="mul/y\\nConst\\nfloat32[] = 2.0", fillcolor="#fff3cd"];
  "mul" [label="mul\\nMul\\nfloat32[?]"];
  "Identity" [label="Identity\\nfloat32[?]"];
  ":output:0" [label="output 0\\nfloat32[?]", shape=house, fillcolor="#d1e7dd"];
  "x" -> "mul" [label="x"];
  "mul/y" -> "mul" [label="mul/y"];
  "mul" -> "Identity" [label="mul"];
  "Identity" -> ":output:0" [label="Identity"];
}

The design:
  * one node per op, labelled `name`, `Type` (left out when it equals the name) and its
    outputs' `dtype[shape]`; Const nodes add their value when it is small;
  * inputs (Placeholders) are blue `invhouse`s; each function output gets its own green
    `house` node (`output 0`, `output 1`...); Consts are yellow; ops holding sub-graphs
    purple; stateful ops red with a thick border;
  * data edges are labelled with the tensor as the text form names it (`MatMul`,
    `while:1`); control inputs are dashed grey edges;
  * sub-graphs (cond branches, loop cond and body, case branches) are `cluster_` boxes
    labelled as in the text form (`cond: then_branch(x) -> mul`), next to their op. Dotted
    purple edges feed the op's inputs into the sub-graph's placeholders and its outputs back
    into the op. Ids inside a sub-graph are prefixed `op:label/` (op names never hold `:`),
    so names repeated across branches stay distinct.
Output is deterministic: ops in graph order, then every edge in that order.
"""
import html
import shutil
import subprocess

from .graph import Graph, format_value, tensor_ref

__all__ = ["to_dot", "to_svg", "graphviz_available"]

_INPUT = 'shape=invhouse, fillcolor="#cfe2ff"'
_OUTPUT = 'shape=house, fillcolor="#d1e7dd"'
_CONST = 'fillcolor="#fff3cd"'
_CONTROL_FLOW = 'fillcolor="#e2d9f3"'
_STATEFUL = 'fillcolor="#f8d7da", color="#b02a37", penwidth=2'
_CONTROL_EDGE = 'style=dashed, color="#868e96"'
_SUBGRAPH_EDGE = 'style=dotted, color="#6f42c1"'
_CLUSTER = 'style="rounded,dashed", color="#6f42c1", fontcolor="#6f42c1"'
_VALUE_WIDTH = 32


def to_dot(graph_or_concrete_function, name=None):
    """Graphviz DOT text for a Graph or a ConcreteFunction (its traced graph).

    >>> import autotrace as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     _ = tf.constant(1) + tf.constant(2)
    >>> print(to_dot(g, name="tiny").splitlines()[0])
    digraph "tiny" {
    """
    graph, default_name = _graph_and_name(graph_or_concrete_function)
    title = _quote(default_name if name is None else name)
    lines = ["digraph %s {" % title,
             "  graph [label=%s, labelloc=t, fontname=\"Helvetica\", fontsize=12];" % title,
             "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f8f9fa\", "
             "fontname=\"Helvetica\", fontsize=10];",
             "  edge [fontname=\"Helvetica\", fontsize=9];"]
    edges = []
    _emit_graph(graph, "", "  ", lines, edges)
    _emit_outputs(graph, lines, edges)
    return "\n".join(lines + ["  " + e for e in edges] + ["}"])


def to_svg(graph_or_concrete_function, name=None):
    """SVG text of the picture, drawn by Graphviz's `dot` program.

    Raises RuntimeError when Graphviz is not installed (to_dot() works without it)."""
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("Graphviz is not installed (no `dot` program on PATH), so the "
                           "graph cannot be drawn as SVG; to_dot() still gives the DOT text, "
                           "which any Graphviz viewer can render.")
    text = to_dot(graph_or_concrete_function, name)
    done = subprocess.run([dot, "-Tsvg"], input=text.encode("utf-8"), capture_output=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError("Graphviz `dot -Tsvg` failed (exit status %d): %s"
                           % (done.returncode, done.stderr.decode("utf-8", "replace").strip()))
    return done.stdout.decode("utf-8")


def graphviz_available():
    """Whether the `dot` program (Graphviz) is on PATH."""
    return shutil.which("dot") is not None


# -- Jupyter hooks (ConcreteFunction._repr_svg_ / _repr_html_ delegate here) ------------------

def repr_svg(concrete_function):
    """The SVG picture, or None without Graphviz (Jupyter then uses another form)."""
    if not graphviz_available():
        return None
    try:
        return to_svg(concrete_function)
    except (RuntimeError, OSError, subprocess.SubprocessError):
        return None


def repr_html(concrete_function):
    """Without Graphviz: the printed graph as an escaped HTML <pre>; None when SVG works."""
    if graphviz_available():
        return None
    text = "%r\n%s" % (concrete_function, concrete_function.graph.as_text())
    return "<pre>%s</pre>" % html.escape(text)


# -- building the DOT text -------------------------------------------------------------------

def _graph_and_name(obj):
    if isinstance(obj, Graph):
        return obj, obj.name
    graph = getattr(obj, "graph", None)
    if isinstance(graph, Graph):  # a ConcreteFunction
        return graph, getattr(obj, "name", graph.name)
    raise TypeError("to_dot expects a Graph or a ConcreteFunction, got %r" % (obj,))


def _emit_graph(graph, prefix, indent, lines, edges):
    """Node lines for `graph`'s ops (with their sub-graph clusters); edges are collected
    separately, to be written at the top level (an edge written inside a cluster would pull
    its outer end into the cluster)."""
    for op in graph.get_operations():
        lines.append("%s%s [%s];" % (indent, _quote(prefix + op.name), _node_attrs(op)))
        for t in op.inputs:
            edges.append("%s -> %s [label=%s];" % (_quote(prefix + t.op.name),
                                                    _quote(prefix + op.name),
                                                    _quote(tensor_ref(t))))
        for c in op.control_inputs:
            edges.append("%s -> %s [%s];" % (_quote(prefix + c.name), _quote(prefix + op.name),
                                             _CONTROL_EDGE))
        for label, sub in (op.opdef.subgraphs(op) if op.opdef.subgraphs else []):
            _emit_cluster(op, label, sub, prefix, indent, lines, edges)


def _emit_cluster(op, label, sub, prefix, indent, lines, edges):
    inner = "%s%s:%s/" % (prefix, op.name, label.split("(")[0].replace(" ", "_"))
    lines.append("%ssubgraph %s {" % (indent, _quote("cluster_" + inner[:-1])))
    lines.append("%s  graph [label=%s, %s];" % (indent, _quote(op.name + ": " + label),
                                                _CLUSTER))
    _emit_graph(sub, inner, indent + "  ", lines, edges)
    lines.append(indent + "}")
    for outer_t, placeholder in zip(_fed_inputs(op), getattr(sub, "inputs", [])):
        edges.append("%s -> %s [label=%s, %s];" % (
            _quote(prefix + outer_t.op.name), _quote(inner + placeholder.op.name),
            _quote(tensor_ref(outer_t)), _SUBGRAPH_EDGE))
    results = list(getattr(sub, "outputs", []))
    for i, t in enumerate(results):
        text = tensor_ref(t) if len(results) == 1 else "%s [%d]" % (tensor_ref(t), i)
        edges.append("%s -> %s [label=%s, %s];" % (_quote(inner + t.op.name),
                                                   _quote(prefix + op.name), _quote(text),
                                                   _SUBGRAPH_EDGE))


def _fed_inputs(op):
    """The op's inputs that its sub-graphs receive as placeholders: all but the leading
    single inputs (a cond's predicate, a case's branch index)."""
    return op.inputs[len(op.opdef.input_names) - 1:] if op.opdef.input_names else op.inputs


def _emit_outputs(graph, lines, edges):
    """A `house` node per function output (plain Graphs have none)."""
    for i, t in enumerate(getattr(graph, "outputs", None) or []):
        node = _quote(":output:%d" % i)
        lines.append("  %s [label=%s, %s];" % (node, _quote("output %d\n%s" % (i, _spec(t))),
                                               _OUTPUT))
        edges.append("%s -> %s [label=%s];" % (_quote(t.op.name), node, _quote(tensor_ref(t))))


def _node_attrs(op):
    head = [op.name] if op.type == op.name else [op.name, op.type]
    specs = [_spec(t) for t in op.outputs]
    body = specs[0] if len(specs) == 1 else "(%s)" % ", ".join(specs) if specs else ""
    value = _const_value(op)
    if value is not None:
        body += " = " + value
    label = "\n".join(head + ([body] if body else []))
    style = _style(op)
    return "label=%s" % _quote(label) + (", " + style if style else "")


def _style(op):
    if op.stateful:
        return _STATEFUL
    if op.type == "Placeholder":
        return _INPUT
    if op.type == "Const":
        return _CONST
    if op.opdef.subgraphs:
        return _CONTROL_FLOW
    return ""


def _const_value(op):
    """A Const's value as the text form prints it, when small (else None)."""
    if op.type != "Const" or "value" not in op.attrs:
        return None
    text = format_value(op.attrs["value"])
    if text.startswith("<"):  # summarised: the shape is on the label already
        return None
    return text if len(text) <= _VALUE_WIDTH else text[:_VALUE_WIDTH - 3] + "..."


def _spec(t):
    return "%s%s" % (t.dtype.name, t.shape.short())


def _quote(text):
    """A DOT quoted string: backslashes and quotes escaped, line breaks as `\\n`."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"%s"' % text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
