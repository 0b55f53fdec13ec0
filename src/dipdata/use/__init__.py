"""Using a built package: ``load()`` gives typed records with navigation, and the tables as
pandas or polars DataFrames.

May import: ``base``, ``model``.
"""
