"""The drag payload of a department (MIME `application/x-ccc-department`, the department id as ASCII digits).

Any drag source (a department tile, a list of departments) makes it with `department_mime_data`; drop targets (a
whistle awaiting review) read it with `department_ids_of`, which refuses anything that is not a clean id list.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData

DEPARTMENT_MIME = "application/x-ccc-department"
MAX_IDS = 40
"""A whistle calls at most 40 departments (the server's limit); a longer payload is refused whole."""


def department_mime_data(*department_ids: int) -> QMimeData:
    """One or more ids, comma separated: `department_mime_data(3)` → b"3"."""
    mime = QMimeData()
    mime.setData(DEPARTMENT_MIME, ",".join(str(int(d)) for d in department_ids).encode("ascii"))
    return mime


def department_ids_of(mime: QMimeData | None) -> list[int]:
    """The ids in a drag payload, or [] when it is not ours or not well formed (never raises)."""
    if mime is None or not mime.hasFormat(DEPARTMENT_MIME):
        return []
    raw = bytes(mime.data(DEPARTMENT_MIME).data())
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return []
    parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]
    if not parts or len(parts) > MAX_IDS or not all(p.isdigit() and len(p) <= 9 for p in parts):
        return []
    ids = [int(p) for p in parts]
    return [d for d in dict.fromkeys(ids) if d > 0]
