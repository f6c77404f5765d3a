"""The documentation is executed: every ```python block of docs/*.md runs here.

How a page runs
  * The ```python blocks of a page run in order, in one namespace (a module registered in
    sys.modules while the page runs), so later blocks use the names of earlier ones. The
    namespace has `pytest` for `pytest.raises(...)` / `pytest.warns(...)`; outputs are checked
    with plain `assert` statements inside the blocks.
  * Each block is written to its own .py file before it runs, so `inspect.getsource` works and
    AutoGraph can convert the functions it defines (code run by `exec` has no source).
  * Everything a block writes to stdout or stderr is captured. A ```text block right after a
    ```python block (only blank lines between) is its golden output: the captured text must
    equal it exactly. A block that prints must be followed by one, so no output shown in the
    docs (and none left unshown) can go stale. In captured text, the path of a block's file
    is written `example.py` (messages naming `file:line` then read `example.py:3`, the line
    within the block).
  * Warnings are errors inside blocks: an example that warns must say so, with
    `pytest.warns(...)` or `warnings.catch_warnings(record=True)`. (The filters autotrace
    itself installs stay in force, as they would in a script.)
  * A failure names the page, the line of the block in the page and the error (with the
    page line of the failing statement).

Update golden outputs after a deliberate change with
    python tests/test_docs.py --update docs/<page>.md
and review the diff.

api.md is also checked against the package: see test_api_index_lists_every_public_name.
"""
import contextlib
import importlib
import io
import pkgutil
import re
import sys
import tempfile
import textwrap
import traceback
import types
import warnings
from pathlib import Path

import pytest

import autotrace

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
EXAMPLE_NAME = "example.py"

FENCE = re.compile(r"^(\s*)```(.*)$")
EXECUTED = {"python"}
SUSPICIOUS = {"py", "python3", "pycon", "ipython", ""}  # would silently not run: refused


class Block:
    def __init__(self, kind, line, code):
        self.kind = kind        # "python", "text", or another fence language
        self.line = line        # 1-based line of the opening fence in the page
        self.code = code
        self.expected = None    # for python blocks: the ```text block that follows, if any
        self.expected_block = None
        self.n_lines = 0        # the number of lines between the fences


def parse(path):
    """The fenced blocks of a Markdown page; each ```python block gets the ```text block that
    follows it (only blank lines between) as its expected output."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks, i, previous_end = [], 0, None
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, info = m.group(1), m.group(2).strip()
        kind = info.split()[0] if info else ""
        if kind in SUSPICIOUS:
            raise ValueError("%s:%d: a ``` fence needs a language: ```python (executed), "
                             "```text (output) or e.g. ```sh; got %r"
                             % (path.name, i + 1, info))
        if indent and kind in EXECUTED:
            raise ValueError("%s:%d: an indented ```python block would not be executed; "
                             "unindent it" % (path.name, i + 1))
        start = i
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise ValueError("%s:%d: unclosed ``` fence" % (path.name, start + 1))
        block = Block(kind, start + 1, textwrap.dedent("\n".join(body)) + "\n")
        block.n_lines = len(body)
        adjacent = (previous_end is not None and
                    all(not line.strip() for line in lines[previous_end + 1:start]))
        if kind == "text" and adjacent and blocks and blocks[-1].kind in EXECUTED:
            blocks[-1].expected = "\n".join(body) + "\n"
            blocks[-1].expected_block = block
        blocks.append(block)
        previous_end = i
        i += 1
    return blocks


def _display(path):
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return path.name


def page_module_name(path):
    return "docs_" + re.sub(r"\W", "_", path.stem)


class BlockFailure(Exception):
    pass


def _page_line(block, exc, filename):
    """The page line of the innermost frame of the exception that is in the block's file."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            found = frame.lineno
    return block.line + found if found is not None else block.line


def run_page(path, workdir, on_output=None):
    """Run the python blocks of `path`; raises BlockFailure naming the page line on the first
    failure. `on_output(block, text)` sees each block's normalised output (for --update)."""
    blocks = parse(path)
    name = page_module_name(path)
    module = types.ModuleType(name)
    module.__dict__.update({"pytest": pytest, "__file__": str(path)})
    sys.modules[name] = module
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for number, block in enumerate(b for b in blocks if b.kind in EXECUTED):
            filename = str(workdir / ("%s_block%d.py" % (path.stem.replace("-", "_"), number)))
            Path(filename).write_text(block.code, encoding="utf-8")
            output = _run_block(path, block, filename, module.__dict__)
            output = normalise(output, workdir)
            if on_output is not None:
                on_output(block, output)
                continue
            where = "%s:%d" % (_display(path), block.line)
            if block.expected is not None:
                if output != block.expected:
                    raise BlockFailure(
                        "%s: the output differs from the ```text block at line %d.\n"
                        "--- expected\n%s--- got\n%s" % (where, block.expected_block.line,
                                                         block.expected, output))
            elif output:
                raise BlockFailure("%s: the block printed output, but no ```text block "
                                   "follows it:\n%s" % (where, output))
    finally:
        sys.modules.pop(name, None)


def _run_block(path, block, filename, namespace):
    buffer = io.StringIO()
    try:
        code = compile(block.code, filename, "exec")
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer), \
                warnings.catch_warnings():
            warnings.simplefilter("error")
            for action, message, category, module in _AUTOTRACE_FILTERS:
                warnings.filterwarnings(action, message, category, module)
            exec(code, namespace)
    except (Exception, pytest.fail.Exception) as exc:   # pytest.raises' "DID NOT RAISE" too
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        raise BlockFailure("%s:%d: the block starting at line %d raised %s\n%s\n"
                           "output before the error:\n%s" % (
                               _display(path), _page_line(block, exc, filename),
                               block.line, type(exc).__name__, "".join(lines),
                               buffer.getvalue())) from None
    return buffer.getvalue()


# autotrace/ops/math_ops.py installs, at import time, a filter that silences NumPy's inf/nan
# RuntimeWarnings raised inside autotrace's own modules (TensorFlow returns inf and nan
# silently). pytest discards filters installed while it imports modules, so the docs install
# the same filter again: a block then behaves as in a script.
_AUTOTRACE_FILTERS = [("ignore", r"(divide by zero|overflow|invalid value|underflow) encountered",
                       RuntimeWarning, r"autotrace\.")]


def normalise(text, workdir):
    """Block file paths become `example.py`."""
    return re.sub(re.escape(str(workdir)) + r"/[\w.]+_block\d+\.py", EXAMPLE_NAME, text)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page(page, tmp_path):
    # A page about an optional extra says so: <!-- requires: jax --> skips it without it.
    for extra in re.findall(r"<!-- requires: (\w+) -->", page.read_text(encoding="utf-8")):
        pytest.importorskip(extra)
    failure = None
    try:
        run_page(page, tmp_path)
    except BlockFailure as exc:
        failure = str(exc)
    if failure is not None:
        pytest.fail(failure, pytrace=False)


def test_every_page_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in PAGES:
        if page.name != "index.md":
            assert "(%s)" % page.name in index, "index.md does not link %s" % page.name


def test_parser_pairs_text_blocks_with_python_blocks(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("x\n```python\nprint(1)\n```\n\n```text\n1\n```\n\nprose\n```text\n"
                    "unchecked\n```\n```sh\nls\n```\n")
    blocks = parse(page)
    assert [(b.kind, b.line) for b in blocks] == [("python", 2), ("text", 6), ("text", 11),
                                                  ("sh", 14)]
    assert blocks[0].expected == "1\n"
    page.write_text("```py\nx = 1\n```\n")
    with pytest.raises(ValueError, match="needs a language"):
        parse(page)


def test_update_rewrites_golden_outputs(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("```python\nprint('a')\nprint('b')\n```\n\n```text\n```\n\n"
                    "```python\nprint('c')\n```\n```text\nold\nlines\n```\nend\n")
    _update(page)
    assert page.read_text() == ("```python\nprint('a')\nprint('b')\n```\n\n```text\na\nb\n```\n"
                                "\n```python\nprint('c')\n```\n```text\nc\n```\nend\n")
    run_page(page, tmp_path / "run")


# -- api.md ---------------------------------------------------------------------------------------
#
# The rule for "public": a namespace's names are its `__all__` when it defines one, otherwise
# every name of dir() that does not start with "_" and is not a module. Modules are namespaces,
# not names: the public ones have their own section (NAMESPACES below); the rest are internal
# implementation modules or command-line support (INTERNAL_MODULES) and must be listed as
# such, so adding a new submodule to autotrace (found with pkgutil, imported or not) forces a
# decision here. Sections in api.md are `## <title>` headings whose title holds the namespace
# in backticks (e.g. ## `autotrace.math`); each entry is a list item starting with the
# backticked name. A `##` heading without a backticked name ends the current section.

NAMESPACES = {
    "autotrace": autotrace,
    "autotrace.math": autotrace.math,
    "autotrace.nn": autotrace.nn,
    "autotrace.random": autotrace.random,
    "autotrace.debugging": autotrace.debugging,
    "autotrace.strings": autotrace.strings,
    "autotrace.linalg": autotrace.linalg,
    "autotrace.ragged": autotrace.ragged,
    "autotrace.sparse": autotrace.sparse,
    "autotrace.sets": autotrace.sets,
    "autotrace.nest": autotrace.nest,
    "autotrace.dtypes": autotrace.dtypes,
    "autotrace.autograph": autotrace.autograph,
    "autotrace.autograph.experimental": autotrace.autograph.experimental,
    "autotrace.config": autotrace.config,
    "autotrace.compat.v1": autotrace.compat.v1,
    "autotrace.compat.v1.train": autotrace.compat.v1.train,
    "autotrace.eager": autotrace.eager,
    "autotrace.data": autotrace.data,
    "autotrace.data.experimental": autotrace.data.experimental,
    "autotrace.io": autotrace.io,
    "autotrace.image": autotrace.image,
    "autotrace.io.gfile": autotrace.io.gfile,
    "autotrace.keras": autotrace.keras,
    "autotrace.keras.optimizers": autotrace.keras.optimizers,
    "autotrace.keras.optimizers.schedules": autotrace.keras.optimizers.schedules,
    "autotrace.initializers": autotrace.initializers,
    "autotrace.test": autotrace.test,
    "autotrace.errors": autotrace.errors,
    "autotrace.tracing": autotrace.tracing,
    "autotrace.train": autotrace.train,
    "autotrace.saved_model": autotrace.saved_model,
    "autotrace.core.visualize": importlib.import_module("autotrace.core.visualize"),
    "autotrace.jit": autotrace.jit,
    "autotrace.distribute": autotrace.distribute,
    "autotrace.onnx": autotrace.onnx,
}
# Submodules of autotrace that are aliases of a documented namespace.
ALIASES = {"optimizers": "autotrace.keras.optimizers",
           "schedules": "autotrace.keras.optimizers.schedules"}
INTERNAL_MODULES = {"autodiff", "control_flow", "execution", "ops", "training", "checkpoint",
                    "__main__", "tools"}  # the command line


def public_names(namespace):
    names = getattr(namespace, "__all__", None)
    if names is None:
        names = [n for n in dir(namespace) if not n.startswith("_") and
                 not isinstance(getattr(namespace, n), types.ModuleType)]
    return set(names)


def api_sections():
    """{namespace: [names]} from api.md."""
    sections, current = {}, None
    for line in (DOCS / "api.md").read_text(encoding="utf-8").split("\n"):
        heading = re.match(r"^##+ .*?`([\w.]+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
            continue
        if line.startswith("## "):
            current = None
            continue
        item = re.match(r"^[-*] `([\w.]+)`", line)
        if item and current is not None:
            current.append(item.group(1))
    return sections


def test_api_index_lists_every_public_name():
    sections = api_sections()
    assert set(sections) == set(NAMESPACES), "api.md sections differ from NAMESPACES"
    problems = []
    for title, namespace in NAMESPACES.items():
        documented = sections[title]
        duplicates = {n for n in documented if documented.count(n) > 1}
        missing = public_names(namespace) - set(documented)
        extra = set(documented) - public_names(namespace)
        for what, names in (("missing", missing), ("not public", extra),
                            ("listed twice", duplicates)):
            if names:
                problems.append("%s: %s %s" % (title, what, ", ".join(sorted(names))))
    assert not problems, "api.md is out of date:\n" + "\n".join(problems)


def test_every_submodule_is_a_namespace_an_alias_or_internal():
    modules = {m.name for m in pkgutil.iter_modules(autotrace.__path__)}
    documented = {title.split(".")[1] for title in NAMESPACES if "." in title}
    unknown = modules - documented - set(ALIASES) - INTERNAL_MODULES
    assert not unknown, ("new autotrace submodules: document them in api.md (and NAMESPACES) "
                         "or list them in INTERNAL_MODULES: %s" % ", ".join(sorted(unknown)))


# -- updating golden outputs ------------------------------------------------------------------------

def _update(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    edits = []   # (first line index, last line index exclusive, new lines)

    def on_output(block, output):
        if block.expected_block is not None:
            start = block.expected_block.line  # the line after the fence (0-based index)
            end = start + block.expected_block.n_lines
            text = output[:-1] if output.endswith("\n") else output
            edits.append((start, end, text.split("\n")))
        elif output:
            print("%s:%d prints output but has no ```text block:\n%s"
                  % (path.name, block.line, output))

    with tempfile.TemporaryDirectory() as tmp:
        run_page(path, tmp, on_output)
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "--update":
        sys.exit("usage: python tests/test_docs.py --update docs/<page>.md ...")
    for name in sys.argv[2:]:
        _update(Path(name).resolve())
