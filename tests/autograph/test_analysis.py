"""autograph/analysis.py: reads, writes and liveness, on hand-checked cases and on random
structured programs (hypothesis)."""
import textwrap

import gast
from hypothesis import given, settings, strategies as st

from autotrace.autograph import analysis

NAMES = "abcd"


def function(source):
    return gast.parse(textwrap.dedent(source)).body[0]


def annotated(source):
    node = function(source)
    analysis.annotate(node)
    return node


def loops(node):
    return [n for n in gast.walk(node) if isinstance(n, (gast.While, gast.For))]


def test_reads_and_writes_of_a_statement():
    stmt = function("def f():\n    x, y = a + b, [c for c in d]\n").body[0]
    assert analysis.reads(stmt) == {"a", "b", "d", "c"}
    assert analysis.writes(stmt) == {"x", "y"}


def test_writes_of_nested_blocks():
    stmt = function("""
        def f():
            for i in r:
                if i:
                    while j:
                        k = 1
                else:
                    def g():
                        hidden = 1
    """).body[0]
    assert analysis.writes(stmt) == {"i", "k", "g"}


def test_loop_head_liveness_by_hand():
    node = annotated("""
        def f(n):
            total = 0
            i = 0
            unused = 5
            while i < n:
                total = total + i
                i = i + 1
                scratch = i
            return total
    """)
    (loop,) = loops(node)
    assert loop.live_out == {"total"}
    assert loop.live_head == {"i", "n", "total"}


def test_a_name_read_only_in_a_later_iteration_is_live_at_the_head():
    node = annotated("""
        def f(n):
            prev = 0
            for i in n:
                x = prev
                prev = i
            return x
    """)
    (loop,) = loops(node)
    assert "prev" in loop.live_head and "x" in loop.live_head


# -- random structured programs -----------------------------------------------------------------

name = st.sampled_from(NAMES)


def statements(depth):
    simple = st.one_of(
        st.builds("{} = {} + {}".format, name, name, name),
        st.builds("{} = 1".format, name),
        st.builds("return {}".format, name),
        st.just("pass"),
    )
    if depth == 0:
        return st.lists(simple, min_size=1, max_size=3)
    inner = statements(depth - 1)
    compound = st.one_of(
        st.builds(lambda c, b, e: ["if %s:" % c] + _indent(b) + ["else:"] + _indent(e),
                  name, inner, inner),
        st.builds(lambda c, b: ["while %s:" % c] + _indent(b), name, inner),
        st.builds(lambda t, i, b: ["for %s in %s:" % (t, i)] + _indent(b), name, name, inner),
    )
    return st.lists(st.one_of(simple.map(lambda s: [s]), compound), min_size=1,
                    max_size=3).map(lambda blocks: [line for b in blocks for line in b])


def _indent(lines):
    return ["    " + line for line in lines]


def iterated_head(loop):
    """The loop head's live names by plain iteration to a fixpoint."""
    head = set(loop.live_out)
    if isinstance(loop, gast.While):
        head |= analysis.reads(loop.test)
    target = analysis.writes(loop.target) if isinstance(loop, gast.For) else set()
    while True:
        new = head | (analysis.block_live_in(loop.body, head) - target)
        if new == head:
            return head
        head = new


@settings(max_examples=150, deadline=None)
@given(statements(3))
def test_one_step_loop_liveness_is_the_fixpoint(lines):
    source = "def f(a, b):\n" + "\n".join(_indent(lines)) + "\n    return a\n"
    node = annotated(source)
    for loop in loops(node):
        assert loop.live_head == iterated_head(loop), source
        assert loop.live_out <= loop.live_head


def test_a_nested_def_binds_its_name_and_reads_its_free_names():
    stmt = function("""
        def f():
            @decorate(d)
            def g(p=default):
                local = outer
                return local
    """).body[0]
    assert analysis.writes(stmt) == {"g"}
    assert {"decorate", "d", "default", "outer"} <= analysis.reads(stmt)


def test_composite_writes_of_nested_statements():
    stmts = function("""
        def f():
            self.total = 0
            for i in r:
                if i:
                    d['k'] += i
                    obj.a.b, x = 1, 2
                    local = [v for v in r]
    """).body
    assert sorted(analysis.composite_writes(stmts)) == ["d['k']", "obj.a.b", "self.total"]
