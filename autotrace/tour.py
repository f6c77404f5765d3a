"""`python -m autotrace tour`: a walk through autotrace, computed live.

Each chapter is a list of steps; a step is a code snippet, run for real in the chapter's
namespace (its output is captured and shown), followed by why it behaves that way.
"""
import contextlib
import io
import os
import sys
import textwrap
import traceback

__all__ = ["Chapter", "Step", "CHAPTERS", "run_tour", "list_chapters"]


class Step:
    def __init__(self, code, why=""):
        self.code = textwrap.dedent(code).strip("\n")
        self.why = textwrap.dedent(why).strip()


class Chapter:
    def __init__(self, title, intro, steps):
        self.title = title
        self.intro = textwrap.dedent(intro).strip()
        self.steps = steps


class _Style:
    def __init__(self, color):
        self.color = color

    def _wrap(self, code, text):
        return "\033[%sm%s\033[0m" % (code, text) if self.color else text

    def title(self, text):
        return self._wrap("1;36", text)

    def code(self, text):
        return self._wrap("33", text)

    def output(self, text):
        return self._wrap("0", text)

    def why(self, text):
        return self._wrap("2", text)


def _run_snippet(code, namespace):
    """Execute `code`, returning everything it printed (stdout and stderr, in order)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            exec(compile(code, "<tour>", "exec"), namespace)
        except Exception as exc:  # a step may demonstrate an error: show it as Python would
            lines = traceback.format_exception_only(type(exc), exc)
            buffer.write("Traceback (most recent call last):\n  ...\n" + "".join(lines))
    return buffer.getvalue()


def _indent(text, prefix):
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.splitlines())


def run_chapter(number, chapter, style, out):
    out.write(style.title("\n== %d. %s ==\n" % (number, chapter.title)))
    if chapter.intro:
        out.write(textwrap.fill(chapter.intro, 88) + "\n")
    namespace = {"__name__": "__tour__"}
    exec("import numpy as np\nimport autotrace as tf", namespace)
    for step in chapter.steps:
        out.write("\n" + style.code(_indent(step.code, "    >>> ").replace(
            "    >>>     ", "    ...     ")) + "\n")
        printed = _run_snippet(step.code, namespace)
        if printed:
            out.write(style.output(_indent(printed.rstrip("\n"), "    ")) + "\n")
        if step.why:
            out.write(style.why(_indent(textwrap.fill(step.why, 84), "  | ")) + "\n")


def list_chapters(out=sys.stdout):
    for i, chapter in enumerate(CHAPTERS, 1):
        out.write("%2d. %s\n" % (i, chapter.title))


def run_tour(chapters=None, color=None, out=sys.stdout):
    """Run the given chapter numbers (all by default)."""
    if color is None:
        color = out.isatty() and os.environ.get("NO_COLOR") is None
    style = _Style(color)
    numbers = chapters or range(1, len(CHAPTERS) + 1)
    for n in numbers:
        if not 1 <= n <= len(CHAPTERS):
            raise SystemExit("There is no chapter %d; `tour --list` shows %d chapters"
                             % (n, len(CHAPTERS)))
        run_chapter(n, CHAPTERS[n - 1], style, out)


from .tour_chapters import CHAPTERS  # noqa: E402  (chapters use Step/Chapter above)
