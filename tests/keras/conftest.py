import pytest

from autotrace import keras


@pytest.fixture(autouse=True)
def fresh_keras_names():
    """Each test starts with Keras's automatic names unused (dense, dense_1, ...)."""
    keras.backend.clear_session(free_memory=False)
    yield
