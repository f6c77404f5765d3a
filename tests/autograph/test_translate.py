"""autograph/translate.py: gast's translators with a faster generic path must build exactly
the trees gast's own build: compared field by field, positions included, on every module of
autotrace (and its benchmarks), and on converted functions."""
import ast
import os

import gast
import pytest

from autotrace.autograph import loader, translate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = sorted(os.path.join(d, f) for top in ("autotrace", "benchmarks")
                 for d, _, files in os.walk(os.path.join(ROOT, top))
                 for f in files if f.endswith(".py"))


def dump(tree):
    return ast.dump(tree, include_attributes=True)


def test_the_corpus_is_the_whole_code_base():
    assert len(SOURCES) > 80


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: os.path.relpath(p, ROOT))
def test_both_directions_match_gast(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    ours, theirs = translate.parse(source), gast.parse(source)
    assert gast.dump(ours, include_attributes=True) == gast.dump(theirs, include_attributes=True)
    assert dump(translate.to_ast(theirs)) == dump(gast.gast_to_ast(theirs))


def test_the_ast_compiles_to_the_same_code():
    path = os.path.join(ROOT, "autotrace", "autograph", "analysis.py")
    with open(path, encoding="utf-8") as f:
        tree = gast.parse(f.read())
    ours = compile(translate.to_ast(tree), path, "exec")
    theirs = compile(gast.gast_to_ast(tree), path, "exec")
    assert ours.co_code == theirs.co_code and ours.co_consts == theirs.co_consts


def assorted(xs, limit=3, *rest, scale, **options):
    """Loops with break and continue, a try, a with, a comprehension, a lambda, a walrus."""
    total = 0
    for x in xs:
        if x < 0:
            continue
        if x > limit and not options:
            break
        total += x * scale
    while (n := len(rest)) > 0 and total:
        rest = rest[1:]
    try:
        key = sorted(options, key=lambda k: -len(k))[0]
    except IndexError as error:
        key = str(error)
    with open(__file__) as f:
        lines = [line for line in f if line.strip()]
    return total if key else n, lines[0]


def test_a_converted_tree_matches_gast():
    tree, _ = loader._convert_tree(assorted, assorted.__code__)
    assert dump(translate.to_ast(tree)) == dump(gast.gast_to_ast(tree))


def test_fieldless_nodes_are_shared_only_when_they_have_no_position():
    tree = translate.to_ast(gast.parse("a = b + c\nd = e + f\nwhile a:\n    pass\n    pass"))
    loads = [n.ctx for n in ast.walk(tree) if isinstance(n, ast.Name) and
             isinstance(n.ctx, ast.Load)]
    adds = [n.op for n in ast.walk(tree) if isinstance(n, ast.BinOp)]
    passes = [n for n in ast.walk(tree) if isinstance(n, ast.Pass)]
    assert loads[0] is loads[-1] and adds[0] is adds[1]
    assert passes[0] is not passes[1] and [p.lineno for p in passes] == [4, 5]
