"""Field encryption (AES-GCM with a keyring) and blind indexes (keyed HMAC) for personal data.

A ciphertext reads `v1:<key id>:<base64 of nonce + ciphertext>`; the associated data binds it to
its table and column, so a value copied into another column does not decrypt. The first key of the
ring encrypts; every key of the ring decrypts, which lets `linli keys rotate` re-encrypt in batches.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from linli.config import Settings, get_settings
from linli.kit.errors import DomainError

PREFIX = "v1"
KEYS_FILE = ".linli-keys"
BLIND_INDEX_FILE = ".linli-blind-index-key"


class CryptoError(DomainError):
    """A key configuration problem or a value that cannot be decrypted with the keys at hand."""

    status = 500
    code = "key_error"


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]  # (key id, 32-byte key); the first is current
    blind_key: bytes
    from_environment: bool

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def _aead(self, key_id: str) -> AESGCM:
        return _aeads(self)[key_id]

    def encrypt(self, value: str, context: str) -> str:
        nonce = os.urandom(12)
        ct = self._aead(self.current_id).encrypt(nonce, value.encode(), context.encode())
        return f"{PREFIX}:{self.current_id}:{base64.b64encode(nonce + ct).decode()}"

    def decrypt(self, token: str, context: str) -> str:
        try:
            prefix, key_id, body = token.split(":", 2)
        except ValueError:
            raise CryptoError("not an encrypted value") from None
        if prefix != PREFIX:
            raise CryptoError(f"unknown ciphertext format {prefix!r}")
        aeads = _aeads(self)
        if key_id not in aeads:
            raise CryptoError(f"the data key {key_id!r} is not in the keyring (LINLI_DATA_KEYS or {KEYS_FILE})")
        try:
            raw = base64.b64decode(body)
            return aeads[key_id].decrypt(raw[:12], raw[12:], context.encode()).decode()
        except (InvalidTag, binascii.Error, ValueError):
            raise CryptoError(
                f"a value of {context} does not decrypt (tampered or moved from another column)"
            ) from None

    def blind_index(self, normalized: str, context: str) -> str:
        """Keyed hash of an already normalised value: equal values give equal indexes, per context."""
        return hmac.digest(self.blind_key, f"{context}\x00{normalized}".encode(), "sha256").hex()


def _aeads(ring: Keyring) -> dict[str, AESGCM]:
    return _aeads_of(ring.keys)


@lru_cache(maxsize=16)
def _aeads_of(keys: tuple[tuple[str, bytes], ...]) -> dict[str, AESGCM]:
    # Keyed by the keys themselves: keyed by id(keyring), a keyring dropped from _load's cache could
    # hand its id to a new one with other keys (a KeyError seen in the test suite).
    return {kid: AESGCM(key) for kid, key in keys}


def key_id_of(token: str) -> str | None:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def new_key_id() -> str:
    return "k" + secrets.token_hex(4)


def _parse_keys(text: str, where: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        kid, sep, b64 = item.partition(":")
        if not sep or not kid or not kid.isalnum() or len(kid) > 16:
            raise CryptoError(f"{where}: each key is 'keyid:base64key' with a short alphanumeric key id")
        try:
            key = base64.b64decode(b64, validate=True)
        except binascii.Error:
            raise CryptoError(f"{where}: key {kid!r} is not valid base64") from None
        if len(key) != 32:
            raise CryptoError(f"{where}: key {kid!r} must be 32 bytes (AES-256), not {len(key)}")
        if any(k == kid for k, _ in keys):
            raise CryptoError(f"{where}: key id {kid!r} appears twice")
        keys.append((kid, key))
    if not keys:
        raise CryptoError(f"{where}: no keys")
    return tuple(keys)


def format_key(kid: str, key: bytes) -> str:
    return f"{kid}:{base64.b64encode(key).decode()}"


def _write_new(path: Path, text: str) -> bool:
    """Create `path` with mode 0600 unless it exists; False when another process was first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    return True


def _file_keys(data_dir: Path) -> tuple[tuple[str, bytes], ...]:
    path = data_dir / KEYS_FILE
    if not path.exists():
        _write_new(path, format_key(new_key_id(), secrets.token_bytes(32)) + "\n")
    return _parse_keys(path.read_text(), str(path))


def _blind_key(settings: Settings) -> bytes:
    if settings.blind_index_key:
        return settings.blind_index_key.encode()
    path = settings.data_dir / BLIND_INDEX_FILE
    if not path.exists():
        _write_new(path, secrets.token_urlsafe(48) + "\n")
    return path.read_text().strip().encode()


@lru_cache(maxsize=8)
def _load(data_keys: str, blind_index_key: str, data_dir: str) -> Keyring:
    settings = Settings(data_keys=data_keys, blind_index_key=blind_index_key, data_dir=Path(data_dir))
    if data_keys:
        keys, env = _parse_keys(data_keys, "LINLI_DATA_KEYS"), True
    else:
        keys, env = _file_keys(Path(data_dir)), False
    return Keyring(keys=keys, blind_key=_blind_key(settings), from_environment=env)


def keyring(settings: Settings | None = None) -> Keyring:
    """The keyring of the settings: LINLI_DATA_KEYS, or keys generated once in the data directory."""
    s = settings or get_settings()
    return _load(s.data_keys, s.blind_index_key, str(s.data_dir.resolve()))


def add_file_key(settings: Settings | None = None) -> str:
    """Put a new current key at the top of the key file; returns its id. Old keys stay to decrypt."""
    s = settings or get_settings()
    if s.data_keys:
        raise CryptoError(
            "the data keys come from LINLI_DATA_KEYS: put a new 'keyid:base64key' first in it"
            " (keep the old keys after it), restart, then run 'linli keys rotate' again"
        )
    current = keyring(s)  # creates the file if missing
    kid = new_key_id()
    path = s.data_dir / KEYS_FILE
    lines = [format_key(kid, secrets.token_bytes(32))] + [format_key(k, v) for k, v in current.keys]
    tmp = path.with_suffix(".new")
    tmp.unlink(missing_ok=True)
    _write_new(tmp, "\n".join(lines) + "\n")
    tmp.replace(path)
    _load.cache_clear()
    _aeads_of.cache_clear()
    return kid


def generate_key_spec() -> str:
    """A fresh `keyid:base64key` for operators who configure LINLI_DATA_KEYS themselves."""
    return format_key(new_key_id(), secrets.token_bytes(32))


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    key: str
    column: str
    context: str


ENCRYPTED_COLUMNS: list[EncryptedColumn] = []


def register_encrypted(table: str, key: str, column: str, context: str) -> None:
    """Declare an encrypted column so key rotation and status find it (domains call this on import)."""
    col = EncryptedColumn(table, key, column, context)
    if col not in ENCRYPTED_COLUMNS:
        ENCRYPTED_COLUMNS.append(col)
