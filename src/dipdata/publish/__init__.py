"""Publishing releases: SQLite and Parquet exports, the release's artifacts, verifying a
release, versions found in git, and what changed between two releases.

May import every wing below it: ``base``, ``model``, ``check``, ``make``, ``use``, ``views``.
"""
