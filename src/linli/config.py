"""Settings from the environment (LINLI_*), with a secret key generated and kept on first run."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINLI_", extra="ignore")

    data_dir: Path = Field(default_factory=Path.cwd)
    database_url: str = ""
    secret_key: str = ""
    mode: Literal["development", "production"] = "development"
    # Argon2id cost of password hashes: "production" (RFC 9106's low-memory profile, 3 passes over 64 MiB,
    # about 0.1 s of CPU per hash) or "test" (the lowest cost, for test suites only; see linli.authn.passwords).
    password_hash_cost: Literal["production", "test"] = "production"
    # Browser sessions: lifetime and whether the cookie demands HTTPS. Secure is on in production.
    session_hours: int = 12
    cookie_secure: bool | None = None
    # Failed-login throttling: this many failures within the window lock the key for the window.
    login_max_failures: int = 5
    login_window_seconds: int = 900
    # Past the limit an account is not locked for the window: sign-ins from devices it has not signed
    # in from wait this long, doubling with each further failure (up to the window); its known devices
    # (a signed cookie from an earlier sign-in) are not held up by failures elsewhere.
    login_delay_seconds: int = 30
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses
    # or CIDRs, e.g. "10.0.0.5,192.168.1.0/24"); empty: none, the client is the connection's peer.
    trusted_proxies: str = ""
    # Grid validation tolerances (m²): overlap with a sibling, area outside the county boundary.
    grid_overlap_tolerance_m2: float = 100.0
    grid_outside_tolerance_m2: float = 2000.0
    map_tile_url: str = ""
    # Personal data: AES-GCM data keys "keyid:base64key,..." (first encrypts) and the blind-index key;
    # both are generated once into the data directory when unset (see linli.kit.crypto).
    data_keys: str = ""
    blind_index_key: str = ""
    # Largest request body (KB) of a JSON API route, and of a form or any other write without a file;
    # upload routes take their domain's limit below (see linli.web.body_limit).
    max_json_kb: int = 1024
    max_form_kb: int = 256
    # Largest resident file accepted over HTTP (the CLI reads local files of any size).
    import_max_mb: int = 64
    # Events: working periods for hour-based limits (local time, mainland China), photo size limit,
    # how long after closing a reporter may reopen, and the radius for possible duplicates.
    working_hours: str = "08:30-12:00,13:30-17:30"
    event_photo_max_bytes: int = 10 * 1024 * 1024
    event_reopen_days: int = 7
    event_duplicate_radius_m: float = 250.0
    event_duplicate_days: int = 30
    # Reports through POST /api/v1/events are written in batches: one transaction for the reports that
    # arrived while the previous batch was being written (group commit), at most this many; 1 turns it off.
    event_intake_batch: int = 64
    # Open311 without an api_key: locations snapped to this many decimal places (3 ≈ 100 m).
    open311_public_precision: int = Field(default=3, ge=0, le=6)
    # Notices: largest attachment accepted (MB); the types are fixed (PDF, JPEG, PNG, DOCX, XLSX).
    notice_attachment_max_mb: int = 10
    # Delivery channels. E-mail over SMTP (STARTTLS when the server offers submission on 587);
    # the webhook of an SMS/WeChat gateway gets a JSON POST signed with HMAC-SHA256 of the secret.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "linli@localhost"
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_timeout: float = 5.0
    # Outbox worker: rows claimed per batch, and how long a claim on an external delivery lasts
    # before another worker may take the row over (a crashed worker's rows come back after it).
    worker_batch: int = 2000
    worker_lease_seconds: int = 120
    # Warnings: minutes after which a grid or community worker who has not confirmed a warning is
    # overdue on its progress page and gets one reminder.
    warning_confirm_minutes: int = 30
    # Largest CAP document POST /cap/push accepts (KB): refused with 413 while it streams in, and only
    # after the token was checked (an unauthenticated push is refused before its body is read).
    cap_push_max_kb: int = 1024

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'linli.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in the data directory (mode 0600)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / ".linli-secret"
        if path.exists():
            return path.read_text().strip()
        key = secrets.token_urlsafe(48)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key + "\n")
        return key

    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def secure_cookies(self) -> bool:
        return self.mode == "production" if self.cookie_secure is None else self.cookie_secure


@lru_cache
def get_settings() -> Settings:
    return Settings()
