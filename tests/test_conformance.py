"""The package against the standards it claims, checked with tools this project did not
write: the official Data Package v2 profiles (shipped by dplib-py), python-jsonschema (the
reference JSON Schema engine), DuckDB's RE2, an XML Schema regex parser, Node's ECMA-262
regular expressions, DuckDB's and SQLite's keyword lists, and the wheel's core metadata."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from importlib import resources

import duckdb
import jsonschema
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "datapackage"
DESCRIPTOR = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))


def profile(name: str) -> dict:
    return json.loads(resources.files("dplib").joinpath(f"profiles/2.0/{name}.json")
                      .read_text("utf-8"))


def validator(schema: dict) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_descriptor_passes_the_official_v2_profiles():
    assert DESCRIPTOR["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert list(validator(profile("datapackage")).iter_errors(DESCRIPTOR)) == []
    resource_profile, schema_profile = validator(profile("dataresource")), \
        validator(profile("tableschema"))
    for resource in DESCRIPTOR["resources"]:
        assert list(resource_profile.iter_errors(resource)) == [], resource["name"]
        if "schema" in resource:
            assert list(schema_profile.iter_errors(resource["schema"])) == [], resource["name"]


def test_only_tables_carry_a_type():
    types = {r["name"]: r.get("type") for r in DESCRIPTOR["resources"]}
    assert {name for name, kind in types.items() if kind is not None} == \
        {r["name"] for r in DESCRIPTOR["resources"] if r["path"].endswith(".csv")}
    assert set(types.values()) == {"table", None}


@pytest.mark.parametrize("table", ["sources", "actors", "events", "outcomes", "positions",
                                   "aggregates", "commentary"])
def test_each_json_resource_is_valid_against_its_own_json_schema(table):
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == f"{table}-json")
    schema = json.loads((PACKAGE / resource["jsonSchema"]).read_text("utf-8"))
    records = json.loads((PACKAGE / resource["path"]).read_text("utf-8"))
    assert schema["type"] == "array"
    assert len(records) == len(list((ROOT / "records" / table).glob("*.json")))
    assert list(validator(schema).iter_errors(records)) == []
    # and it means what the record schema means: one bad record fails the whole file
    bad = [*records, {"id": "Not An Id"}]
    assert not validator(schema).is_valid(bad)


def table_patterns() -> list[tuple[str, str, str]]:
    return [(r["name"], f["name"], f["constraints"]["pattern"])
            for r in DESCRIPTOR["resources"] if "schema" in r
            for f in r["schema"]["fields"] if "pattern" in f.get("constraints", {})]


def test_every_model_pattern_reaches_the_table_schemas():
    from dipdata.model import vocabulary as models
    from dipdata.make.tables import table_pattern

    expected = {table_pattern(p) for p in (models.ID_PATTERN, models.TEXT_PATTERN,
                                          models.URL_PATTERN, models.QID_PATTERN,
                                          models.LANGUAGE_PATTERN, models.SHA256_PATTERN)}
    assert {pattern for _, _, pattern in table_patterns()} == expected


@pytest.mark.parametrize("resource,field,pattern", table_patterns())
def test_table_schema_pattern_compiles_in_re2_and_xml_schema(resource, field, pattern):
    from elementpath.regex import translate_pattern

    assert not pattern.startswith("^") and not pattern.endswith("$")
    assert "\\u" not in pattern
    # DuckDB compiles it with RE2 (an invalid pattern raises)
    duckdb.sql("SELECT regexp_full_match('x', ?)", params=[pattern]).fetchall()
    translate_pattern(pattern, xsd_version="1.0")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_table_schema_patterns_compile_in_ecma_262():
    patterns = [pattern for _, _, pattern in table_patterns()]
    script = ("const ps = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "for (const p of ps) { new RegExp('^(?:' + p + ')$', 'u'); new RegExp(p); }"
              "console.log(ps.length);")
    done = subprocess.run(["node", "-e", script], input=json.dumps(patterns),
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, str(len(patterns))), done.stderr


def test_table_and_json_schema_patterns_agree_on_text():
    """The Table Schema pattern keeps the JSON Schema pattern's meaning."""
    import re

    from dipdata.make.tables import table_pattern
    from dipdata.model.vocabulary import TEXT_PATTERN

    cases = ["Beijing", "Xi'an", "São Paulo", "=SUM(A1)", " leading", "zero\u200bwidth",
             "tab\tinside", "-minus", "@at", "+plus", "fine - dash", "É"]
    for case in cases:
        assert bool(re.fullmatch(table_pattern(TEXT_PATTERN), case)) == \
            bool(re.search(TEXT_PATTERN, case)), case


def column_names() -> list[str]:
    return sorted({f["name"] for r in DESCRIPTOR["resources"] if "schema" in r
                   for f in r["schema"]["fields"]})


def test_no_column_is_an_sql_keyword():
    keywords = dict(duckdb.sql("SELECT keyword_name, keyword_category "
                               "FROM duckdb_keywords()").fetchall())
    # DuckDB's grammar comes from PostgreSQL's: neither takes these unquoted as column names.
    assert [n for n in column_names() if keywords.get(n) in ("reserved", "type_function")] == []
    for name in column_names():
        sqlite3.connect(":memory:").execute(f"CREATE TABLE t ({name} TEXT)")
        duckdb.sql(f"CREATE TEMP TABLE t_{name} ({name} VARCHAR)")
    assert {"start_offset", "end_offset", "table_name"} <= set(column_names())
    assert {"start", "end", "table"} & set(column_names()) == set()


def test_dataset_jsonld_has_what_dataset_search_needs():
    ld = json.loads((PACKAGE / "dataset.jsonld").read_text("utf-8"))
    assert ld["@context"] == "https://schema.org/" and ld["@type"] == "Dataset"
    for key in ("@id", "name", "description", "url", "identifier", "license", "creator",
                "version", "temporalCoverage", "spatialCoverage", "distribution", "keywords"):
        assert ld[key], key
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ld["temporalCoverage"] == "2023-01-01/2023-12-31"
    assert ld["url"] == "https://dipdata.github.io/dipdata/"
    assert ld["identifier"] == f"https://github.com/dipdata/dipdata/releases/tag/v{ld['version']}"
    downloads = [d["contentUrl"] for d in ld["distribution"]]
    assert all(url.startswith("https://github.com/dipdata/dipdata/") for url in downloads)
    assert downloads[0] == (f"https://github.com/dipdata/dipdata/releases/download/"
                            f"v{ld['version']}/dipdata-{ld['version']}-datapackage.zip")


def test_addresses_come_from_pyproject():
    import tomllib

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["urls"]
    assert DESCRIPTOR["homepage"] == urls["Homepage"]
    citation = (ROOT / "CITATION.cff").read_text("utf-8")
    assert f'repository-code: "{urls["Repository"]}"\n' in citation
    assert "\ndate-released: " in citation


def test_wheel_metadata_declares_both_licences(tmp_path):
    import sys

    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                            "--outdir", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(name).decode()
        licences = sorted(n.rsplit("/", 1)[1] for n in zf.namelist()
                          if "/licenses/" in n)
    assert "\nLicense-Expression: MIT AND CC-BY-4.0\n" in metadata
    assert licences == ["LICENSE", "LICENSE-DATA.md"]
    for classifier in ("Programming Language :: Python :: 3.10",
                       "Programming Language :: Python :: 3.13",
                       "Development Status :: 4 - Beta", "Typing :: Typed"):
        assert f"\nClassifier: {classifier}\n" in metadata
    assert "\nProject-URL: Repository, https://github.com/dipdata/dipdata\n" in metadata


def test_the_dataset_description_lists_every_form_of_the_release_and_the_review_terms():
    import dipdata

    ld = json.loads((PACKAGE / "dataset.jsonld").read_text("utf-8"))
    version = dipdata.__version__
    assets = {d["name"]: d["contentUrl"] for d in ld["distribution"]}
    base = f"https://github.com/dipdata/dipdata/releases/download/v{version}/"
    for name in (f"dipdata-{version}-datapackage.zip", f"dipdata-{version}-sqlite.zip",
                 f"dipdata-{version}-parquet.zip", f"dipdata-{version}-py3-none-any.whl"):
        assert assets[name] == base + name
    [text] = [d for d in ld["distribution"] if d["name"] == "review-text"]
    assert "Ministry of Foreign Affairs" in text["copyrightNotice"]
    assert ld["isBasedOn"][0]["copyrightHolder"]["name"] == \
        "Ministry of Foreign Affairs of the People's Republic of China"
    assert "not this text" in ld["isBasedOn"][0]["copyrightNotice"]


def test_the_explorer_embeds_the_dataset_description():
    import dipdata
    from dipdata.views.site import page

    html = page(dipdata.load())
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block) == json.loads((PACKAGE / "dataset.jsonld").read_text("utf-8"))
    assert "<" not in block


def test_zenodo_and_bibtex_name_the_version_creators_and_licence():
    import dipdata

    version = dipdata.__version__
    zenodo = json.loads((ROOT / ".zenodo.json").read_text("utf-8"))
    assert (zenodo["upload_type"], zenodo["version"], zenodo["license"]) == (
        "dataset", version, "cc-by-4.0")
    assert zenodo["creators"] == [{"name": "dipdata contributors"}]
    assert {"identifier": "https://github.com/dipdata/dipdata", "relation": "isSupplementTo",
            "scheme": "url"} in zenodo["related_identifiers"]
    bib = (ROOT / "CITATION.bib").read_text("utf-8")
    key = "dipdata_2023_v" + version.replace(".", "_")
    assert f"@misc{{{key},\n" in bib
    assert f"  version = {{{version}}},\n" in bib and "YourReferenceHere" not in bib


def test_duckdb_loads_every_table_with_its_keys_declared():
    """Each CSV table into DuckDB with its Table Schema's types, primary key and foreign keys
    declared (tables in dependency order): DuckDB refuses a null or repeated key and a
    dangling reference, so this fails if the package holds one."""
    import graphlib

    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    tables = {r["name"]: r for r in descriptor["resources"] if r.get("type") == "table"}
    types = {"integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE", "number": "DOUBLE"}
    needs = {name: {fk["reference"].get("resource", name) for fk in r["schema"].get(
        "foreignKeys", [])} - {name} for name, r in tables.items()}
    def quoted(fields: list[str]) -> str:
        return ", ".join(f'"{f}"' for f in fields)

    connection = duckdb.connect()
    for name in graphlib.TopologicalSorter(needs).static_order():
        schema = tables[name]["schema"]
        columns = [f'"{f["name"]}" {types.get(f["type"], "VARCHAR")}' for f in schema["fields"]]
        keys = quoted(schema["primaryKey"])
        foreign = [f'FOREIGN KEY ({quoted(fk["fields"])}) REFERENCES '
                   f'"{fk["reference"].get("resource", name)}" ({quoted(fk["reference"]["fields"])})'
                   for fk in schema.get("foreignKeys", [])
                   if fk["reference"].get("resource", name) != name]  # DuckDB: no self-reference
        connection.execute(f'CREATE TABLE "{name}" ({", ".join(columns)}, PRIMARY KEY ({keys})'
                           + "".join(f", {f}" for f in foreign) + ")")
        path = PACKAGE / tables[name]["path"]
        connection.execute(f"INSERT INTO \"{name}\" SELECT * FROM read_csv('{path}', header=true,"
                           " all_varchar=false, auto_detect=false, columns={"
                           + ", ".join(f"'{f['name']}': '{types.get(f['type'], 'VARCHAR')}'"
                                       for f in schema["fields"]) + "})")
    count = connection.execute('SELECT count(*) FROM "participants"').fetchone()[0]
    assert count == sum(1 for _ in (PACKAGE / "data" / "participants.csv").open()) - 1
    assert connection.execute('SELECT count(*) FROM "meetings" WHERE region = \'Africa\''
                              ).fetchone()[0] > 0
