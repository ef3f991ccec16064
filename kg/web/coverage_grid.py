"""The coverage page of a decision: kg.coverage's two tables and a map-like grid of the 34 provinces.

The grid places each province of today in a cell of a CSS grid, roughly where it
lies, north to south (no map tiles, nothing downloaded); a cell says in words
whether the province has issued an implementing document, so it reads without
colour.
"""

from __future__ import annotations

from rdflib import URIRef

from kg import coverage as cov
from kg.web.common import page_path, vn_date

# province code of today -> (row, column) of the grid: north at the top, 4 columns west to east
GRID = {
    "12": (1, 1), "15": (1, 2), "08": (1, 3), "04": (1, 4),
    "11": (2, 1), "25": (2, 2), "19": (2, 3), "20": (2, 4),
    "14": (3, 1), "01": (3, 2), "24": (3, 3), "22": (3, 4),
    "37": (4, 2), "33": (4, 3), "31": (4, 4),
    "38": (5, 2),
    "40": (6, 2),
    "42": (7, 3),
    "44": (8, 3),
    "46": (9, 3), "48": (9, 4),
    "51": (10, 4),
    "52": (11, 4),
    "66": (12, 4),
    "68": (13, 3), "56": (13, 4),
    "80": (14, 1), "79": (14, 2), "75": (14, 3),
    "82": (15, 2), "91": (15, 1), "86": (15, 3),
    "96": (16, 1), "92": (16, 2),
}
GRID_ROWS, GRID_COLS = 16, 4


def _docs(row: cov.ProvinceRow) -> list[dict]:
    return [{"label": d["number"] or d["label"] or d["doc"], "path": page_path(d["doc"]),
             "date": vn_date(d["date"]), "place": d["place"]} for d in row.documents]


def _rows(rows: list[cov.ProvinceRow]) -> list[dict]:
    return [{"code": r.unit.code, "name": r.unit.full_name, "short": r.unit.name, "covered": r.covered,
             "docs": _docs(r)} for r in rows]


def page_data(store, doc: URIRef) -> dict:
    c = cov.coverage(store, doc)
    then, now = _rows(c.then), _rows(c.now)
    cells = []
    for r in now:
        row, col = GRID.get(r["code"], (GRID_ROWS + 1, 1))  # a province the grid does not know: below it
        cells.append(r | {"row": row, "col": col})
    return {"date": c.date, "date_vn": vn_date(c.date or ""), "then": then, "now": now, "cells": cells,
            "then_done": sum(r["covered"] for r in then), "now_done": sum(r["covered"] for r in now),
            "elsewhere": [{"label": d["number"] or d["label"] or d["doc"], "path": page_path(d["doc"]),
                           "date": vn_date(d["date"])} for d in c.elsewhere],
            "grid_rows": GRID_ROWS, "grid_cols": GRID_COLS}
