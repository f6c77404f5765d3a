"""Converters: each rewrites one kind of syntax into calls of the `ag__` runtime operators.

They run in this order (later ones rely on earlier ones' output):
asserts, lists, returns, break_continue, calls, control_flow, expressions.
"""
