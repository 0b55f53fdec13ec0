"""The names of the repository's folders and files: defined once, used everywhere."""

RECORDS_DIR = "records"
SCHEMA_DIR = "schema"
PACKAGE_DIR = "datapackage"
SOURCE_DIR = "source"
README = "README.md"
CITATION = "CITATION.cff"
CHANGELOG = "CHANGELOG.md"
