"""Tools on top of the library: `python -m autotrace tour` and `inspect`, and the gradient
checker behind autotrace.test."""
