"""Argon2id password hashing and generated passwords.

The cost comes from the setting LINLI_PASSWORD_HASH_COST, read at each call (a changed setting
applies): "production" is argon2-cffi's default, RFC 9106's low-memory profile; "test" is the lowest
cost Argon2id allows, for test suites (each account a fixture makes would cost 0.1 s of CPU).
"""

from __future__ import annotations

import secrets
import string
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from linli.config import get_settings
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

# Parameters of PasswordHasher by cost: production takes argon2-cffi's defaults (3 passes, 64 MiB, 4 lanes).
COSTS: dict[str, dict[str, int]] = {
    "production": {},
    "test": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}
MIN_LENGTH = 10


@cache
def _hasher_of(cost: str) -> tuple[PasswordHasher, str]:
    """The hasher of a cost, and a real hash of a random password made by it: verified against when the
    account does not exist, so a wrong user name costs the same time as a wrong password."""
    hasher = PasswordHasher(**COSTS[cost])
    return hasher, hasher.hash(secrets.token_urlsafe(16))


def hasher() -> PasswordHasher:
    """The hasher of the configured cost."""
    return _hasher_of(get_settings().password_hash_cost)[0]


def hash_password(password: str) -> str:
    check_strength(password)
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    current, dummy = _hasher_of(get_settings().password_hash_cost)
    try:
        return current.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(t("the password must have at least {MIN_LENGTH} characters", MIN_LENGTH=MIN_LENGTH))
    if password.isdigit() or password.isalpha():
        raise InvalidInput(t("the password must mix letters with digits or symbols"))


def generate_password(length: int = 16) -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw
