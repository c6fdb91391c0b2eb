"""Argon2id password hashing and generated passwords."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

_hasher = PasswordHasher()
# A real hash of a random password: verified against when the account does not exist, so a
# wrong user name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


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
