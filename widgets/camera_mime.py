"""The drag payload of a camera (MIME `application/x-ccc-camera`): "id" or "id\\tname", UTF-8.

The camera tree makes it with `camera_mime_data`; a video tile reads it with `camera_from_mime`, which refuses
anything that is not a clean positive id (never raises). The name only serves drop targets that want to show it
before the camera's details arrive.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData

CAMERA_MIME = "application/x-ccc-camera"
MAX_PAYLOAD = 1024


def camera_mime_data(camera_id: int, name: str = "") -> QMimeData:
    """`camera_mime_data(7, "莲塘镇政府门口")` → b"7\\t莲塘镇政府门口"; the name also goes in as plain text."""
    mime = QMimeData()
    clean = name.replace("\t", " ").replace("\n", " ")
    payload = f"{int(camera_id)}\t{clean}" if clean else str(int(camera_id))
    mime.setData(CAMERA_MIME, payload.encode("utf-8"))
    if clean:
        mime.setText(clean)
    return mime


def _payload(mime: QMimeData | None) -> list[str] | None:
    if mime is None or not mime.hasFormat(CAMERA_MIME):
        return None
    raw = bytes(mime.data(CAMERA_MIME).data())
    if not raw or len(raw) > MAX_PAYLOAD:
        return None
    try:
        return raw.decode("utf-8").split("\t", 1)
    except UnicodeDecodeError:
        return None


def camera_from_mime(mime: QMimeData | None) -> int | None:
    """The camera id a drag carries, or None if it carries no (well-formed) camera."""
    parts = _payload(mime)
    if parts is None:
        return None
    head = parts[0].strip()
    if not head or len(head) > 9 or not (head.isascii() and head.isdigit()):
        return None
    value = int(head)
    return value if value > 0 else None


def camera_name_from_mime(mime: QMimeData | None) -> str:
    """The camera name a drag carries ("" when none, or when the payload is not a well-formed camera)."""
    parts = _payload(mime)
    if parts is None or camera_from_mime(mime) is None or len(parts) < 2:
        return ""
    return parts[1]
