"""The agency catalogue: the canonical names of the bodies the extractor knows.

One access point for every stage that asks "is this a body we know?" (the
extractor's benchmark, name look-up).  Its entries are the gazetteer's:
ministries and departments of each field, district and commune offices,
and the other named bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.agency_names import parse
from kg.extract.gazetteer import BODIES, FIELDS, OFFICES
from kg.text import fold


@dataclass(frozen=True)
class Catalogue:
    """Folded base names (without jurisdiction) of the known bodies."""

    bases: frozenset[str]

    def knows(self, name: str) -> bool:
        """Whether the canonical `name` (with or without its jurisdiction) is a known body."""
        return fold(parse(name).base) in self.bases


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue, built once."""
    names = [f"Bộ {f}" for f, _ in FIELDS] + [f"Sở {f}" for f, _ in FIELDS] + [f"Phòng {o}" for o, _ in OFFICES]
    names += [b[0] for b in BODIES]
    return Catalogue(frozenset(fold(n) for n in names))
