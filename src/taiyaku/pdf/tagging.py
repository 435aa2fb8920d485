"""Accessibility fixes to the structure tree that WeasyPrint 70 leaves out (applied by :mod:`.assemble` as it
copies each part's tree).

Table header cells: WeasyPrint gives each ``/TH`` an ``/ID`` and each ``/TD`` its ``/Headers``, but no ``/Scope``,
and validators (the Matterhorn Protocol's 15-003, PyPI's ``pdfua``) and some screen readers tie headers to cells
by the scope. A header cell in a row of header cells heads its column; one in a row with data cells heads its row.
"""

from __future__ import annotations

from pikepdf import Array, Dictionary, Name


def scope_row(kids: list[Dictionary]) -> int:
    """Scope the header cells among a table row's structure elements ``kids``: a row of header cells heads
    columns, a header cell in a row with data cells heads its row. How many were given a scope."""
    cells = [kid for kid in kids if kid.get("/S") in (Name.TH, Name.TD)]
    scope = Name.Column if all(cell.get("/S") == Name.TH for cell in cells) else Name.Row
    return sum(_scope(cell, scope) for cell in cells if cell.get("/S") == Name.TH)


def _scope(cell: Dictionary, scope: Name) -> int:
    """Set the cell's table attribute ``/Scope`` unless it has one; 1 when set."""
    attributes = cell.get("/A")
    if isinstance(attributes, Array):  # several attribute objects: the table one, if any
        attributes = next((a for a in attributes if isinstance(a, Dictionary) and a.get("/O") == Name.Table), None)
    if not isinstance(attributes, Dictionary):
        cell.A = Dictionary(O=Name.Table, Scope=scope)
        return 1
    if "/Scope" in attributes:
        return 0
    attributes.Scope = scope
    return 1
