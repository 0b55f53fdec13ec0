"""The names of the repository's folders and files: defined once, used everywhere."""

RECORDS_DIR = "records"
SCHEMA_DIR = "schema"
PACKAGE_DIR = "datapackage"
PICTURE_DIR = "pictures"
SOURCE_DIR = "source"
README = "README.md"
CITATION = "CITATION.cff"
CITATION_BIB = "CITATION.bib"
ZENODO = ".zenodo.json"
#: The generated files at the repository's top (beside the generated folders).
TOP_FILES = (README, CITATION, CITATION_BIB, ZENODO)
CHANGELOG = "CHANGELOG.md"
LOCK = "build.lock"
#: The curated tables, in dependency order (each table's records may refer to those before it).
TABLES = ("sources", "texts", "actors", "events", "outcomes", "positions", "aggregates", "commentary")
