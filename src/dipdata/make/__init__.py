"""Making the package from the records (records -> tables -> the package): rows and Table Schemas, the writer of CSV and JSON,
metadata (descriptor, JSON-LD, CITATION.cff), the README's generated section and pictures,
and the repository's generated files checked for drift and written all-or-nothing.

The README's pictures live here, not in ``views``: they are generated files of the
repository, drift-checked by ``dipdata validate`` like the CSVs.

May import: ``base``, ``model``, ``check``.

(Not named ``build``: a subpackage is bound to its parent's attribute when imported, and
would replace the public function ``dipdata.build``.)
"""
