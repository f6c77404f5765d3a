"""autograph/compiler.py: the converted tree compiles with the user's file and lines, or a
converter bug is reported as such (and AutoGraph falls back with a warning)."""
import gast
import pytest

from autotrace.autograph import compiler, loader


def double(x):
    y = x * 2
    return y


def tree_of(function):
    tree, _ = loader._convert_tree(function, function.__code__)
    return tree


def test_compiled_code_keeps_the_name_file_and_lines():
    code = compiler.compile_function(tree_of(double), double.__code__, [])
    assert code.co_name == "double" and code.co_qualname == "double"
    assert code.co_filename == double.__code__.co_filename
    def lines(c):
        return sorted({line for _, _, line in c.co_lines() if line})
    first = double.__code__.co_firstlineno
    assert lines(code) == lines(double.__code__) == [first, first + 1, first + 2]


def test_a_generated_node_without_a_position_is_reported_as_a_converter_bug():
    tree = tree_of(double)
    tree.body.append(gast.Expr(value=gast.Constant(1, None)))  # as a faulty converter might
    with pytest.raises(compiler.CompileError, match=r"^the converted code did not compile "
                       r"\(internal: a generated node has no source position"):
        compiler.compile_function(tree, double.__code__, [])


def test_a_tree_that_does_not_compile_is_reported():
    tree = tree_of(double)
    tree.body.insert(0, gast.Nonlocal(names=["y"], lineno=1, col_offset=0, end_lineno=1,
                                      end_col_offset=0))
    with pytest.raises(compiler.CompileError, match="^the converted code did not compile"):
        compiler.compile_function(tree, double.__code__, [])
