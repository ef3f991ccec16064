"""The identifying labels of listed documents: see :mod:`kg.labels` (kept here for the web's imports)."""

from kg.labels import SEP, document_label, label_lines, place_name, short_date

__all__ = ["SEP", "document_label", "label_lines", "place_name", "short_date"]
