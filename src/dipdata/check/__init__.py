"""Reading and checking records: strict reading of record files, shape (JSON Schema), rules
within a record, links across records, and validation of a whole repository; also the build
lock's digest of what was checked, so validation can trust current generated files.

May import: ``base``, ``model``.
"""
