"""`python -m autotrace tour`: a walk through autotrace and the pitfalls of tracing, live.

Each chapter is a list of steps; a step is a code snippet, run for real in the chapter's
namespace (its output, warnings included, is captured and shown), then why it behaves that
way and, where there is a pitfall, the fix. Snippets are registered with `linecache` under a
tour file name, so AutoGraph can read their source like any file's.
"""
import contextlib
import io
import linecache
import os
import sys
import textwrap
import traceback
import warnings

__all__ = ["Chapter", "Step", "CHAPTERS", "run_tour", "list_chapters"]


class Step:
    def __init__(self, code, why="", fix=""):
        self.code = textwrap.dedent(code).strip("\n")
        self.why = textwrap.dedent(why).strip()
        self.fix = textwrap.dedent(fix).strip()


class Chapter:
    def __init__(self, title, intro, steps):
        self.title = title
        self.intro = textwrap.dedent(intro).strip()
        self.steps = steps


class _Style:
    CODES = {"title": "1;36", "code": "33", "label": "1", "why": "0", "fix": "32", "dim": "2"}

    def __init__(self, color):
        self.color = color

    def __call__(self, kind, text):
        if not self.color or not text:
            return text
        return "\033[%sm%s\033[0m" % (self.CODES[kind], text)


def _run_snippet(code, namespace, filename):
    """Execute `code`; returns everything it printed (stdout, stderr and warnings, in order).
    An exception ends the snippet and is shown as Python shows it (type and message)."""
    linecache.cache[filename] = (len(code), None, (code + "\n").splitlines(True), filename)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer), \
            warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = _show_warning(buffer)
        try:
            exec(compile(code, filename, "exec"), namespace)
        except Exception as exc:  # a step may demonstrate an error
            lines = traceback.format_exception_only(type(exc), exc)
            buffer.write("".join(lines))
    return buffer.getvalue()


def _show_warning(buffer):
    def show(message, category, filename, lineno, file=None, line=None):
        buffer.write("%s: %s\n" % (category.__name__, message))
    return show


def _block(text, prefix):
    return "\n".join((prefix + line).rstrip() for line in text.splitlines())


def _wrapped(text, prefix, width=92):
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n".join(textwrap.fill(p, width, initial_indent=prefix, subsequent_indent=prefix)
                     for p in paragraphs)


def run_chapter(number, chapter, style, out):
    rule = "─" * max(0, 70 - len(chapter.title))
    out.write("\n" + style("title", "── %d. %s %s" % (number, chapter.title, rule)) + "\n")
    if chapter.intro:
        out.write(_wrapped(chapter.intro, "") + "\n")
    namespace = {"__name__": "__tour__"}
    exec("import numpy as np\nimport autotrace as tf", namespace)
    for index, step in enumerate(chapter.steps, 1):
        filename = "<tour chapter %d, step %d>" % (number, index)
        out.write("\n" + style("code", _block(step.code, "  │ ")) + "\n")
        printed = _run_snippet(step.code, namespace, filename)
        if printed.strip():
            out.write(_block(printed.rstrip("\n"), "    ") + "\n")
        if step.why:
            out.write(style("why", _wrapped("why: " + step.why, "  ")) + "\n")
        if step.fix:
            out.write(style("fix", _wrapped("fix: " + step.fix, "  ")) + "\n")


def list_chapters(out=None):
    out = out or sys.stdout
    for i, chapter in enumerate(CHAPTERS, 1):
        out.write("%2d. %s\n" % (i, chapter.title))


def run_tour(chapters=None, color=None, out=None):
    """Run the given chapter numbers (all by default)."""
    out = out or sys.stdout
    if color is None:
        color = hasattr(out, "isatty") and out.isatty() and os.environ.get("NO_COLOR") is None
    style = _Style(color)
    numbers = list(chapters) if chapters else list(range(1, len(CHAPTERS) + 1))
    for n in numbers:
        if not 1 <= n <= len(CHAPTERS):
            raise SystemExit("There is no chapter %d; `tour --list` shows the %d chapters"
                             % (n, len(CHAPTERS)))
    for n in numbers:
        run_chapter(n, CHAPTERS[n - 1], style, out)


from .tour_chapters import CHAPTERS  # noqa: E402  (chapters are built from Step/Chapter)
