"""Plain records passed between the extractor and the graph builder.

These dataclasses are the extraction record of ``shared/spec/extraction-record.md``
(version 1).  They hold no rdflib objects: only ``kg.graph`` turns them into
triples.  Every fact carries the character span of the sentence it was read
from, as 0-based offsets into the NFC text of the source file (Python slice
convention: ``text[start:end] == quote``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

RECORD_VERSION = 1

RELATIONS = ("based_on", "implements", "replaces", "repeals", "amends", "responds_to", "mentions")
ROLES = ("lead", "partner")
MODALITIES = ("assign", "request")


@dataclass(slots=True)
class Span:
    """Where a fact was read: offsets in the NFC source text and the exact quote."""

    start: int
    end: int
    quote: str


@dataclass(slots=True)
class Citation:
    """One other document referred to by a document."""

    number: str | None
    type: str | None
    issuer: str | None
    date: str | None
    title: str | None
    relation: str
    span: Span | None = None
    # the text names the issuer ("... của UBND tỉnh X"), rather than the issuer being guessed from the number's
    # abbreviation; used while citations are merged, never written
    issuer_named: bool = field(default=False, compare=False)


@dataclass(slots=True)
class Duty:
    """One (agency, role) assignment read from a sentence."""

    agency: str
    role: str
    modality: str = "assign"
    deadline: str | None = None
    recurring: str | None = None
    text: str = ""
    span: Span | None = None


@dataclass(slots=True)
class Target:
    """A number the document sets as "chỉ tiêu"."""

    year: int | None
    min: float | None
    max: float | None
    unit: str | None
    text: str = ""
    span: Span | None = None


@dataclass(slots=True)
class Document:
    """A document the source file is (``primary``) or describes."""

    primary: bool
    number: str | None
    type: str | None
    issuer: str | None
    date: str | None
    signer: str | None
    title: str | None
    signer_post: str | None = None
    place: str | None = None
    issuer_within: str | None = None  # the unit above the issuer's that its header names ("huyện Đông Anh")
    citations: list[Citation] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    span: Span | None = None


@dataclass(slots=True)
class Record:
    """Everything read out of one source file."""

    source: str
    documents: list[Document] = field(default_factory=list)
    sha256: str | None = None
    record_version: int = RECORD_VERSION

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the spec (spans are extra keys the spec allows)."""
        data = asdict(self)
        out = {"record_version": data.pop("record_version"), "source": data.pop("source")}
        out.update(data)
        return _drop_none_spans(out)


_OPTIONAL = ("span", "issuer_within")  # keys written only when they hold a value
_INTERNAL = ("issuer_named",)  # never written


def _drop_none_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none_spans(v) for k, v in value.items()
                if not (k in _OPTIONAL and v is None) and k not in _INTERNAL}
    if isinstance(value, list):
        return [_drop_none_spans(v) for v in value]
    return value


def record_from_json(data: dict[str, Any]) -> Record:
    """Rebuild a Record from its JSON form (the inverse of ``Record.to_json``)."""

    def span(d: dict | None) -> Span | None:
        return Span(**d) if d else None

    docs = []
    for d in data.get("documents", []):
        d = dict(d)
        cits = [Citation(**{**c, "span": span(c.get("span"))}) for c in d.pop("citations", [])]
        duties = [Duty(**{**x, "span": span(x.get("span"))}) for x in d.pop("duties", [])]
        targets = [Target(**{**t, "span": span(t.get("span"))}) for t in d.pop("targets", [])]
        d["span"] = span(d.get("span"))
        docs.append(Document(**d, citations=cits, duties=duties, targets=targets))
    return Record(source=data["source"], documents=docs, sha256=data.get("sha256"),
                  record_version=data.get("record_version", RECORD_VERSION))
