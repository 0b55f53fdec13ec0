"""Makes the data package's bytes: CSV tables, JSON resources, the descriptor and the small
generated files, from records given one at a time in id order.

Every table comes out sorted without holding the records. With a folder, the files are
written there; without one, only their sizes and hashes are computed, to compare.
"""

from __future__ import annotations

import collections
import copy
import hashlib
from pathlib import Path
from typing import Any

import orjson

from .docs import dataset_section, replace_section
from .metadata import bibtex, citation, descriptor_header, schema_org, text_resources, zenodo
from ..base.paths import CITATION, CITATION_BIB, PACKAGE_DIR, README, SCHEMA_DIR, ZENODO
from ..check.texts import other_texts
from .pictures import PICTURE_FIELDS, pictures
from ..model.source import REVIEW_ID, REVIEW_TEXT, review_path
from ..model.schemas import references
from .encode import CSV_DIALECT, csv_bytes, json_bytes
from .meetings import EVENT_FIELDS, country_rows, meeting_rows
from .tables import SENTENCE_TABLE, layout, record_fields, sentence_rows


class _Stream:
    """The bytes of one generated file as they are made: counted, hashed, and written to
    ``path`` when one is given. Small writes are gathered into large ones."""

    CHUNK = 1 << 20

    def __init__(self, path: Path | None):
        self.size, self.digest = 0, hashlib.sha256()
        self.handle = None
        self.pending: list[bytes] = []
        self.pending_size = 0
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(path, "wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self.pending.append(data)
        self.pending_size += len(data)
        if self.pending_size >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.pending)
        self.pending, self.pending_size = [], 0
        self.digest.update(data)
        if self.handle is not None:
            self.handle.write(data)

    def close(self) -> None:
        self.flush()
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class _Buffer:
    """Part of a generated file made elsewhere (in a worker), kept to be added in order."""

    def __init__(self) -> None:
        self.size, self.parts = 0, []  # type: tuple[int, list[bytes]]

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self.parts.append(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data

    def close(self) -> None:
        pass


#: What a piece of the package holds: bytes by file, row counts, kinds, the review's record,
#: and the events' fields the pictures use.
Piece = tuple[dict[str, bytes], dict[str, int], dict[str, collections.Counter], Any,
              list[dict[str, Any]], Any]
_NEXT = b",\n  "  # what comes before every item of a JSON resource but the first


class PackageWriter:
    """Makes the data package from records given one at a time in id order.

    With ``out`` (a folder), the files are written there; without, only their sizes and
    hashes are computed, to compare with the committed package. A run of records can also
    be made into a piece elsewhere (:meth:`piece`, :meth:`take`) and added in order
    (:meth:`merge`).
    """

    def __init__(self, root: Path, schemas: dict[str, dict[str, Any]], out: Path | None = None):
        self.root, self.schemas, self.out = root, schemas, out
        self.layout = layout(schemas, references(schemas))
        self.defaults = {table: dict(record_fields(schema)) for table, schema in schemas.items()}
        self.names = {table: set(defaults) for table, defaults in self.defaults.items()}
        self._start(piece=False)

    def _start(self, piece: bool) -> None:
        self.is_piece = piece
        self.streams: dict[str, Any] = {}
        self.pending: dict[str, list[tuple]] = {}  # rows by table, not yet written
        self.batches: dict[str, list[dict[str, Any]]] = {t: [] for t in self.schemas}
        self.counts: dict[str, int] = {}  # rows written, by table
        self.kinds: dict[str, collections.Counter] = {t: collections.Counter()
                                                      for t in self.schemas}
        self.review: dict[str, Any] | None = None
        self.added = 0
        self.events: list[dict[str, Any]] = []  # for the pictures (`pictures`)
        # for the tables made across records (`meetings`): events, actors, country codes
        self.across: tuple[list[dict[str, Any]], dict[str, tuple[str, Any]], set[str]] = \
            ([], {}, set())
        for name, table in self.layout.tables.items():
            stream = self._open(f"data/{name}.csv")
            if not piece:
                stream.write(csv_bytes([table.columns]))
            self.pending[name], self.counts[name] = [], 0
        for curated in self.schemas:
            self._open(f"data/{curated}.json")

    def _open(self, path: str) -> Any:
        stream: _Buffer | _Stream = _Buffer() if self.is_piece else \
            _Stream(self.out / path if self.out else None)
        self.streams[path] = stream
        return stream

    def piece(self) -> PackageWriter:
        """A writer for a run of records, to be added to this one with :meth:`merge`."""
        piece = copy.copy(self)
        piece._start(piece=True)
        return piece

    def take(self) -> Piece:
        """The piece made so far (emptied)."""
        self._flush_all()
        piece = ({path: stream.take() for path, stream in self.streams.items()},
                 dict(self.counts), dict(self.kinds), self.review, self.events, self.across)
        self._start(piece=True)
        return piece

    def merge(self, piece: Piece) -> None:
        """Add a piece made by :meth:`take`, as if its records were added here."""
        files, counts, kinds, review, events, across = piece
        self._flush_all()
        for path, data in files.items():
            if data:
                stream = self.streams[path]
                if path.endswith(".json") and not stream.size:
                    data = b"[\n  " + data[len(_NEXT):]
                stream.write(data)
        for name, count in counts.items():
            self.counts[name] += count
        for table, counter in kinds.items():
            self.kinds[table].update(counter)
        self.review = self.review or review
        self.events += events
        self.across[0].extend(across[0])
        self.across[1].update(across[1])
        self.across[2].update(across[2])

    def _flush(self, table: str) -> None:
        """Write gathered rows."""
        self.streams[f"data/{table}.csv"].write(csv_bytes(self.pending[table]))
        self.counts[table] += len(self.pending[table])
        self.pending[table] = []

    def add(self, table: str, record: dict[str, Any],
            sentence_of: dict[tuple[str, int, int], int]) -> None:
        """Add one valid record (records come in id order, across tables)."""
        names = self.names[table]
        if record.keys() != names:  # fields left out (defaults fill them), or a $schema hint
            if record.keys() <= names:  # (the order of keys is not kept: they are sorted)
                record = {**self.defaults[table], **record}
            else:
                record = {key: value for key, value in record.items() if key in names}
                for name in names - record.keys():
                    record[name] = self.defaults[table][name]
        if record.get("mentions"):  # the text a mention quotes, named in every format
            record = {**record, "mentions": [{"in_text": REVIEW_TEXT, **m}
                                             for m in record["mentions"]]}
        self.batches[table].append(record)
        pending = self.pending
        for name, rows in self.layout.rows(table, record, sentence_of):
            pending[name] += rows
        self.added += 1
        if not self.added % 2048:
            self._flush_all()
        if "kind" in record:
            self.kinds[table][record["kind"]] += 1
        if table == "sources" and record["id"] == REVIEW_ID:
            self.review = record
        if table == "events":
            self.events.append({key: record[key] for key in PICTURE_FIELDS})
            self.across[0].append({key: record[key] for key in EVENT_FIELDS})
        elif table == "actors":
            self.across[1][record["id"]] = (record["name"], record["country"])
        codes = self.across[2]
        for key in ("country", "relationship_country"):
            if record.get(key):
                codes.add(record[key])
        codes.update(record.get("countries", ()))

    def _flush_all(self) -> None:
        """Write every gathered row and record."""
        for name in self.pending:
            if self.pending[name]:
                self._flush(name)
        for table, batch in self.batches.items():
            if batch:
                self._write_records(table, batch)
                self.batches[table] = []

    def _write_records(self, table: str, batch: list[dict[str, Any]]) -> None:
        """Records written as orjson writes the whole list with OPT_INDENT_2: each item
        after ``[\n  `` or ``,\n  ``, and ``\n]`` at the end (written by :meth:`finish`)."""
        stream = self.streams[f"data/{table}.json"]
        items = orjson.dumps(batch, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        items = items[len(b"[\n  "):-len(b"\n]")]
        stream.write((_NEXT if stream.size or self.is_piece else b"[\n  ") + items)

    def close(self) -> None:
        for stream in self.streams.values():
            stream.close()

    def finish(self, sentences: list[Any]) -> dict[str, bytes]:
        """Close the tables; the small generated files, by path relative to the repository."""
        self.pending[SENTENCE_TABLE] += sentence_rows(sentences)
        events, actors, codes = self.across
        meetings = meeting_rows(events, actors)
        self.pending["meetings"] += meetings
        self.pending["countries"] += country_rows(codes)
        self._flush_all()
        for table in self.schemas:
            stream = self.streams[f"data/{table}.json"]
            stream.write(b"\n]\n" if stream.size else b"[]\n")
        self.close()
        files = {f"{SCHEMA_DIR}/{t}.schema.json": json_bytes(s) for t, s in self.schemas.items()}
        package = {f"schema/{t}.schema.json": json_bytes(list_schema(s))
                   for t, s in self.schemas.items()}
        review = self.review or {"title": REVIEW_ID, "url": "", "publisher": "its publisher"}
        package[f"source/{REVIEW_ID}.txt"] = review_path(self.root).read_bytes()
        texts = other_texts(self.root)
        for _, source, words in texts:
            package[f"source/{source['id']}.txt"] = words
        descriptor = self._descriptor(review, package[f"source/{REVIEW_ID}.txt"], texts)
        package["datapackage.json"] = json_bytes(descriptor)
        package["dataset.jsonld"] = json_bytes(schema_org(self.root, descriptor))
        files.update({f"{PACKAGE_DIR}/{path}": data for path, data in package.items()})
        countries = {actor: country for actor, (_, country) in actors.items()}
        files.update(pictures(self.events, meetings, countries))  # the README's pictures
        files[CITATION] = citation(self.root, descriptor).encode()
        files[CITATION_BIB] = bibtex(self.root, descriptor).encode()
        files[ZENODO] = json_bytes(zenodo(self.root, descriptor))
        readme = self.root / README
        if readme.is_file():
            section = dataset_section(self.layout.tables, self.counts, self.kinds)
            files[README] = replace_section(readme.read_text("utf-8"), section).encode()
        return files

    def generated(self) -> dict[str, tuple[int, str]]:
        """Size and sha256 of each streamed file, by path relative to the repository."""
        return {f"{PACKAGE_DIR}/{path}": (s.size, s.digest.hexdigest())
                for path, s in self.streams.items()}

    def _stats(self, path: str) -> dict[str, Any]:
        stream = self.streams[path]
        return {"bytes": stream.size, "hash": "sha256:" + stream.digest.hexdigest()}

    def _descriptor(self, review: dict[str, Any], text: bytes,
                    texts: list[tuple[dict[str, Any], dict[str, Any], bytes]]) -> dict[str, Any]:
        """The Data Package (v2) descriptor. Only tables carry a `type` ("table"): v2 knows
        no other; the JSON and text resources are plain files with their integrity stats."""
        resources: list[dict[str, Any]] = []
        for name, table in self.layout.tables.items():
            resources.append({"name": name, "path": f"data/{name}.csv", "type": "table",
                              "title": name.replace("_", " ").capitalize(),
                              "description": table.description, "format": "csv",
                              "mediatype": "text/csv", "encoding": "utf-8",
                              "dialect": CSV_DIALECT, "schema": table.schema, **self._stats(f"data/{name}.csv")})
        for table_name in self.schemas:
            schema_path = f"schema/{table_name}.schema.json"
            resources.append({
                "name": f"{table_name}-json", "path": f"data/{table_name}.json",
                "title": f"{table_name.capitalize()} (records as curated)",
                "description": (f"The {table_name} records as curated, nested lists included: "
                                f"a JSON array described by the JSON Schema {schema_path}."),
                "format": "json", "mediatype": "application/json", "encoding": "utf-8",
                "jsonSchema": schema_path, **self._stats(f"data/{table_name}.json")})
        resources += text_resources(review, text, texts)
        return {**descriptor_header(self.root, review), "resources": resources}


def list_schema(record_schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a JSON resource: an array of records of one table, each valid
    against the table's record schema (whose definitions move to the top level)."""
    record = {key: value for key, value in record_schema.items()
              if key not in ("$schema", "$id", "$defs")}
    return {
        "$schema": record_schema["$schema"],
        "$id": f"{record_schema['$id']}:list",
        "title": f"A list of {record.get('title', 'records')} records",
        "type": "array",
        "items": record,
        **({"$defs": record_schema["$defs"]} if "$defs" in record_schema else {}),
    }
