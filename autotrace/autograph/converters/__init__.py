"""Converters: each rewrites one kind of syntax into calls of the `ag__` runtime operators.

They run in this order (later ones rely on earlier ones' output): the statement-level ones
(asserts, lists, returns, break_continue), then control_flow, then calls and expressions
together in one traversal (they rewrite different kinds of node).
"""
