"""`keras.utils.model_to_dot` / `plot_model`: a model's layer graph as Graphviz DOT, and as a
picture when Graphviz's `dot` program is installed (seed 003: plot a functional model to
check what was built).

>>> from autotrace import keras
>>> x = keras.Input((2,), name="x")
>>> model = keras.Model(x, keras.layers.Dense(1, name="out")(x))
>>> print(keras.utils.model_to_dot(model).splitlines()[3])
  "x" [label="x (InputLayer)"];
"""
import os
import shutil
import subprocess

from .engine.functional import Functional
from .engine.sequential import Sequential

__all__ = ["model_to_dot", "plot_model"]


def _quote(text):
    return '"%s"' % str(text).replace('"', '\\"')   # labels keep DOT's \n line breaks


def _shape_text(tensors):
    shapes = [str(t.shape) for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[%s]" % ", ".join(shapes)


def _label(layer, show_shapes, show_dtype, show_layer_names):
    label = "%s (%s)" % (layer.name, type(layer).__name__) if show_layer_names \
        else type(layer).__name__
    node = layer._inbound_nodes[-1] if layer._inbound_nodes else None
    if show_shapes and node is not None:
        inputs = node.input_tensors or node.output_tensors
        label += "\\nin: %s | out: %s" % (_shape_text(inputs), _shape_text(node.output_tensors))
    if show_dtype:
        label += "\\ndtype: %s" % layer.dtype
    return label


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False):
    """DOT text: one box per layer of a functional or Sequential model, an edge per tensor
    passed from one layer to another."""
    functional = model._functional if isinstance(model, Sequential) else model
    if not isinstance(functional, Functional):
        raise ValueError("model_to_dot needs a functional or Sequential model that is built "
                         "(it draws the graph of layer calls); %r has none yet. Build it "
                         "(model.build(input_shape)) or use model.summary()." % model.name)
    lines = ["digraph %s {" % _quote(model.name),
             "  graph [rankdir=%s, dpi=%d];" % (rankdir, dpi),
             "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"]
    layers = functional._operations
    for layer in layers:
        lines.append("  %s [label=%s];" % (_quote(layer.name), _quote(
            _label(layer, show_shapes, show_dtype, show_layer_names))))
    for layer in layers:
        for node in layer._inbound_nodes:
            if node not in functional._nodes:
                continue
            for parent in node.parent_nodes:
                lines.append("  %s -> %s;" % (_quote(parent.operation.name),
                                               _quote(layer.name)))
    return "\n".join(lines + ["}"]) + "\n"


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200, **kwargs):
    """Write the model's graph: DOT text for a .dot/.gv file; other formats (png, svg,
    pdf...) are drawn by Graphviz's `dot` program, which must be installed."""
    text = model_to_dot(model, show_shapes, show_dtype, show_layer_names, rankdir,
                        expand_nested, dpi)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    if extension in ("dot", "gv"):
        with open(to_file, "w", encoding="utf-8") as f:
            f.write(text)
        return to_file
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("plot_model(%r): drawing a %s needs Graphviz's `dot` program, which "
                           "is not installed; write the DOT text instead with to_file='%s.dot' "
                           "(any Graphviz viewer renders it)."
                           % (to_file, extension.upper(), os.path.splitext(to_file)[0]))
    done = subprocess.run([dot, "-T" + extension, "-o", to_file], input=text.encode("utf-8"),
                          capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError("Graphviz `dot -T%s` failed (exit status %d): %s" % (
            extension, done.returncode, done.stderr.decode("utf-8", "replace").strip()))
    return to_file
