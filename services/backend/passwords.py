"""Password hashes for user/password login: scrypt with a per-user salt, compared in constant time.

Stored as `scrypt$N$r$p$salt_hex$hash_hex`, so the cost can be raised later without breaking old hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from services.domain.errors import InvalidInput

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
"""~16 MiB and tens of milliseconds a check: cheap for a login, slow for guessing."""
MIN_LENGTH = 8
MAX_LENGTH = 256


def check_strength(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(f"a password needs {MIN_LENGTH}..{MAX_LENGTH} characters", field="password")
    if password.isdigit() or password.isalpha():
        raise InvalidInput("a password needs letters and digits (or other characters) together", field="password")


def hash_password(password: str) -> str:
    check_strength(password)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                p=int(p), dklen=len(digest_hex) // 2)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
