"""Masking of personal data per role. The server applies it to every frame before it leaves the process."""

from __future__ import annotations

import re
from typing import Any

from services.domain.model import Role

ROLES_SEEING_PERSONAL_DATA = frozenset({Role.duty_officer, Role.department, Role.mediator})
"""Duty officers call reporters back, departments contact them on site, mediators work with the parties.
Leaders, villages, grid workers, admins and every wall screen see masked data."""

_MOBILE = re.compile(r"(?<!\d)((?:(?:\+|00)?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
"""Mainland mobiles, also written +86 138…, 0086…, 138-1234-8000 or 138 1234 8000."""
_ID_NUMBER = re.compile(r"(?<!\d)(\d{3})\d{11}(\d{3}[\dXx])(?![0-9Xx])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")

NEVER_MASKED_FIELDS = frozenset({"epoch", "idem", "code", "kind", "state", "from", "to", "day", "as_of", "urgency",
                                 "channel", "category", "resolution_class", "role", "console", "path"})
"""Identifiers and enumerations: never personal, and masking them would corrupt the protocol (an epoch with
eleven digits in a row would no longer match)."""
PERSON_NAME_FIELDS = frozenset({"reporter_name", "party_names", "applicant", "respondent"})
PHONE_FIELDS = frozenset({"reporter_phone", "phone", "contact_phone"})
ID_FIELDS = frozenset({"reporter_id_number", "id_number"})
PARTY_LIST_FIELDS = frozenset({"parties"})
"""Lists of people (a dispute's parties): inside them, `name` is a person's name."""


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_id_number(number: str) -> str:
    if len(number) >= 8:
        return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"
    return "*" * len(number)


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_text(text: str) -> str:
    """Masks phone and ID numbers written inside free text (descriptions, notes, reasons)."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 11}{m.group(2)}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


PUBLIC_CONSOLE_PREFIXES = ("wall", "video")
"""Consoles named wall*/video* are public screens: masked whatever the role of the token they use."""


def needs_masking(role: Role, console: str = "") -> bool:
    return role not in ROLES_SEEING_PERSONAL_DATA or console.startswith(PUBLIC_CONSOLE_PREFIXES)


def mask_value(value: Any, key: str = "") -> Any:
    """Returns a masked copy of a JSON-like value; personal fields by name, free text by pattern."""
    if isinstance(value, dict):
        if key in PARTY_LIST_FIELDS:
            return {k: mask_name(v) if k == "name" and isinstance(v, str) else mask_value(v, k)
                    for k, v in value.items()}
        return {k: mask_value(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v, key) for v in value]
    if isinstance(value, str):
        if key in NEVER_MASKED_FIELDS or key.endswith("_at"):
            return value
        if key in PHONE_FIELDS:
            return mask_phone(value)
        if key in ID_FIELDS:
            return mask_id_number(value)
        if key in PERSON_NAME_FIELDS:
            return mask_name(value)
        return mask_text(value)
    return value


def mask_for_role(value: Any, role: Role, console: str = "") -> Any:
    return mask_value(value) if needs_masking(role, console) else value
