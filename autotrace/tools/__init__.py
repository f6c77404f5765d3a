"""Tools on top of the library: `python -m autotrace tour` and `python -m autotrace inspect`."""
