"""`Model.summary()`: Keras 3's table of layers, output shapes and parameter counts.

The layout follows Keras 3's (drawn by the `rich` library there; written out here): heavy
header box, a rule between rows, column widths from `positions` of `line_length`, shrunk
evenly when padding and borders do not fit; cells wrap at spaces, and a word too long for
its column ends in '…'; header cells sit at the bottom of the header row.
"""
import math
import shutil

from ...core import nest
from .keras_tensor import is_symbolic

__all__ = ["print_summary", "count_params", "readable_memory_size"]


def count_params(weights):
    return int(sum(math.prod(w.shape.as_list()) for w in weights))


def _memory_size(weights):
    unique = {id(w): w for w in weights}.values()
    return sum(math.prod(w.shape.as_list()) * w.dtype.size for w in unique)


def readable_memory_size(size):
    """Bytes as '310.59 KB' (units of 1024)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return "%.2f %s" % (size, unit)
        size /= 1024
    return "%.2f PB" % size


# -- the table ---------------------------------------------------------------------------------

def _column_widths(line_length, positions, n_columns):
    """Widths including one space of padding each side, as rich lays out fixed columns."""
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width + 2)
        current += width
    available = line_length - (n_columns + 1)
    excess = sum(widths) - available
    if excess > 0:
        widths = _reduce_evenly(excess, widths)
    return widths


def _reduce_evenly(total, widths):
    """Take `total` off the widths in equal shares, rounding each share half to even."""
    result, remaining, left = [], total, len(widths)
    for width in widths:
        share = min(width, round(remaining / left))
        result.append(width - share)
        remaining -= share
        left -= 1
    return result


def _wrap(text, width):
    """Greedy word wrap; a word longer than the width is cut with '…'."""
    lines = []
    for paragraph in text.split("\n"):
        if len(paragraph) <= width:
            lines.append(paragraph)   # kept as is (a nested layer's indent included)
            continue
        current = ""
        for word in paragraph.split(" "):
            if not current:
                current = word
            elif len(current) + 1 + len(word) <= width:
                current += " " + word
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return [line if len(line) <= width else line[:width - 1] + "…" for line in lines]


def _align(text, width, how):
    if how == "right":
        return text.rjust(width)
    if how == "center":
        pad = width - len(text)
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    return text.ljust(width)


def _row(cells, widths, alignment, border, bottom=False):
    wrapped = [_wrap(cell, w - 2) for cell, w in zip(cells, widths)]
    height = max(len(lines) for lines in wrapped)
    if bottom:
        wrapped = [[""] * (height - len(lines)) + lines for lines in wrapped]
    out = []
    for i in range(height):
        parts = [" " + _align(lines[i] if i < len(lines) else "", w - 2, how) + " "
                 for lines, w, how in zip(wrapped, widths, alignment)]
        out.append(border + border.join(parts) + border)
    return out


def _rule(widths, left, fill, middle, right):
    return left + middle.join(fill * w for w in widths) + right


def render_table(header, rows, widths, alignment):
    lines = [_rule(widths, "┏", "━", "┳", "┓")]
    lines += _row(header, widths, alignment, "┃", bottom=True)
    lines.append(_rule(widths, "┡", "━", "╇", "┩"))
    for i, row in enumerate(rows):
        if i:
            lines.append(_rule(widths, "├", "─", "┼", "┤"))
        lines += _row(row, widths, alignment, "│")
    lines.append(_rule(widths, "└", "─", "┴", "┘"))
    return lines


# -- what goes in it ---------------------------------------------------------------------------

def _format_shape(shape):
    return "(%s)" % ", ".join(str(d) for d in shape)


def format_layer_shape(layer):
    """The output shape column: from the layer's (last) functional call, else from the
    shape it was built with, else '?'."""
    if not layer._inbound_nodes and not layer._build_shapes_dict:
        return "?"
    if layer._inbound_nodes:
        outputs = layer._inbound_nodes[-1].outputs
        shapes = nest.map_structure(lambda t: _format_shape(t.shape) if is_symbolic(t)
                                    else str(t), outputs)
    else:
        try:
            outputs = layer.compute_output_shape(**layer._build_shapes_dict)
        except NotImplementedError:
            return "?"
        shapes = _map_shapes(outputs)
    flat = nest.flatten(shapes)
    if len(flat) == 1:
        return flat[0]
    return str(shapes).replace("'", "")


def _map_shapes(shapes):
    if isinstance(shapes, (list, tuple)) and all(d is None or isinstance(d, int)
                                                 for d in shapes):
        return _format_shape(shapes)
    if isinstance(shapes, dict):
        return {k: _map_shapes(v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(_map_shapes(s) for s in shapes)
    return _format_shape(shapes.as_list()) if hasattr(shapes, "as_list") else str(shapes)


def _connections(layer, relevant_nodes):
    parts = []
    for node in layer._inbound_nodes:
        if relevant_nodes is not None and node not in relevant_nodes:
            continue
        for kt in node.input_tensors:
            history = kt._keras_history
            parts.append("%s[%d][%d]" % (history.operation.name, history.node_index,
                                         history.tensor_index))
    return ", ".join(parts) or "-"


def _params(layer):
    if not layer.built:
        return "0 (unbuilt)"
    return "{:,}".format(layer.count_params())


def _is_sequential_like(model):
    nodes_by_depth = getattr(model, "_nodes_by_depth", None)
    if nodes_by_depth is None:
        return True
    nodes = []
    for depth_nodes in nodes_by_depth.values():
        if len(depth_nodes) > 1 or (len(depth_nodes) == 1 and
                                    len(depth_nodes[0].input_tensors) > 1):
            return False
        nodes += depth_nodes
    for layer in model.layers:
        if sum(1 for node in layer._inbound_nodes if node in nodes) > 1:
            return False
    return True


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    """Print (or pass to print_fn, as one string) the summary table of `model`."""
    layers = model._summary_layers()
    sequential_like = _is_sequential_like(model)
    relevant = getattr(model, "_nodes", None)
    if sequential_like:
        default_length, default_positions = 88, [0.45, 0.80, 1.0]
        header, alignment = ["Layer (type)", "Output Shape", "Param #"], ["left", "left",
                                                                          "right"]
    else:
        default_length, default_positions = 108, [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    positions = positions or default_positions
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    console_width = shutil.get_terminal_size().columns
    line_length = line_length or min(default_length, console_width - 4)
    widths = _column_widths(line_length, positions, len(header))

    def fields(layer, prefix=""):
        row = ["%s%s (%s)" % (prefix, layer.name, type(layer).__name__),
               format_layer_shape(layer), _params(layer)]
        if not sequential_like:
            row.append(_connections(layer, relevant))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        return row

    def rows_of(layer, level=0):
        rows = [fields(layer, "   " * level + "└ " if level else "")]
        if expand_nested and getattr(layer, "layers", None) and hasattr(layer, "summary"):
            for sub in layer.layers:
                rows.extend(rows_of(sub, level + 1))
        return rows

    start, stop = _layer_range(layers, layer_range)
    rows = [row for layer in layers[start:stop] for row in rows_of(layer)]
    lines = ['Model: "%s"' % model.name]
    lines += [line[:console_width] for line in render_table(header, rows, widths, alignment)]
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    total = count_params(trainable) + count_params(non_trainable)
    total_size = _memory_size(trainable) + _memory_size(non_trainable)
    lines.append(" Total params: {:,} ({})".format(total, readable_memory_size(total_size)))
    lines.append(" Trainable params: {:,} ({})".format(
        count_params(trainable), readable_memory_size(_memory_size(trainable))))
    lines.append(" Non-trainable params: {:,} ({})".format(
        count_params(non_trainable), readable_memory_size(_memory_size(non_trainable))))
    text = "\n".join(lines) + "\n"
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text)


def _layer_range(layers, layer_range):
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError("layer_range must be a list or tuple of length 2. Received: "
                         "layer_range = %s of length %d" % (layer_range, len(layer_range)))
    names = [layer.name for layer in layers]
    bounds = []
    for name in layer_range:
        matches = [i for i, n in enumerate(names) if name in n]
        if not matches:
            raise ValueError("Passed layer_names do not match the layer names in the model. "
                             "Received: %s" % (layer_range,))
        bounds.append(matches)
    return min(bounds[0]), max(bounds[1]) + 1
