import pytest

import autotrace as tf
from autotrace.context import state


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts eager, with no global seed and no leftover graph or tape."""
    state.graph = None
    state.graph_stack.clear()
    state.eager_disabled_graph = None
    state.tapes.clear()
    tf.random.set_seed(None)
    tf.config.run_functions_eagerly(False)
    tf.config.check_generated_code(True)  # every traced call is checked against the interpreter
    yield
    state.graph = None
    state.graph_stack.clear()
    state.eager_disabled_graph = None
    state.tapes.clear()
