"""Fresh Python names for the code autotrace writes: the converted functions of AutoGraph and
the functions compiled from graphs.

>>> names = FreshNames({"x"})
>>> names.fresh("x"), names.fresh("x"), names.fresh("2nd-try")
('x_1', 'x_2', 'v_2nd_try')
"""
import re
import unicodedata

__all__ = ["FreshNames", "identifier"]


def identifier(hint):
    """`hint` as a Python identifier: ASCII after NFKC (which Python applies to identifiers in
    source: "ﬁx" is "fix"), other characters replaced by `_`, never starting with a digit."""
    if hint.isascii() and hint.isidentifier():
        return hint
    base = re.sub(r"[^0-9A-Za-z_]", "_", unicodedata.normalize("NFKC", hint)) or "v"
    return "v_" + base if base[0].isdigit() else base


class FreshNames:
    """Names not in use: `fresh(hint)` gives `hint`, else `hint_1`, `hint_2`, ... and marks it
    used."""

    def __init__(self, used=()):
        self.used = set(used)

    def fresh(self, hint):
        base = hint if hint.isascii() and hint.isidentifier() else identifier(hint)
        name, n = base, 1
        while name in self.used:
            name = "%s_%d" % (base, n)
            n += 1
        self.used.add(name)
        return name
