"""Signing in (with throttling), browser sessions, and API tokens issued and checked (the accounts
domain administers them: linli.accounts.service)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from linli.authn.models import ApiToken, LoginFailure, User, WebSession
from linli.authn.passwords import hash_password, needs_rehash, verify_password
from linli.config import Settings
from linli.kit.errors import InvalidInput, TooManyRequests, Unauthenticated
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow

TOKEN_PREFIX = "lnl_"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- throttling -------------------------------------------------------------------------------


DEVICE_COOKIE = "linli_device"
DEVICE_COOKIE_SECONDS = 400 * 24 * 3600  # browsers cap cookie lifetimes at about 400 days


def _device_mac(device: str, user_id: int, settings: Settings) -> str:
    msg = f"linli-device:{device}:{user_id}".encode()
    return hmac.new(settings.resolved_secret_key().encode(), msg, hashlib.sha256).hexdigest()


def new_device_cookie(user_id: int, settings: Settings) -> str:
    """A device cookie for the account just signed in: a random id, bound to the account, signed."""
    device = secrets.token_urlsafe(16)
    return f"{device}.{user_id}.{_device_mac(device, user_id, settings)}"


def known_device(cookie: str | None, user_id: int | None, settings: Settings) -> str | None:
    """The device id, if `cookie` is a device cookie this server signed for this account; else None."""
    if not cookie or user_id is None:
        return None
    parts = cookie.split(".")
    if len(parts) != 3 or parts[1] != str(user_id) or not 8 <= len(parts[0]) <= 64:
        return None
    if not hmac.compare_digest(parts[2].encode(), _device_mac(parts[0], user_id, settings).encode()):
        return None
    return parts[0]


def _throttle_keys(session: Session, username: str, address: str, device_cookie: str | None, settings) -> list[str]:
    """The counters a sign-in attempt is held to: the account's (or, from a device the account has signed
    in from, that device's), then the address's."""
    user_id = session.scalar(select(User.id).where(User.username == username.strip()))
    device = known_device(device_cookie, user_id, settings)
    if device is not None:
        return [f"dev:{device}", f"addr:{address[:64]}"]
    # Keys have a bounded width whatever is typed into the form; long names are counted by their hash.
    name = username.strip().lower()
    if len(name) > 64:
        name = "sha256:" + _sha256(name)
    return [f"user:{name}", f"addr:{address[:64]}"]


def _check_throttle(session: Session, keys: list[str], now: datetime) -> None:
    for row in session.scalars(select(LoginFailure).where(LoginFailure.key.in_(keys))):
        if row.locked_until and as_utc(row.locked_until) > now:
            wait = int((as_utc(row.locked_until) - now).total_seconds()) + 1
            message = (
                t("too many failed sign-ins; try again in {seconds} seconds", seconds=wait)
                if wait < 120
                else t("too many failed sign-ins; try again in {minutes} minute(s)", minutes=-(-wait // 60))
            )
            raise TooManyRequests(message, details={"retry_after": wait})


def _count_failure(session: Session, keys: list[str], settings: Settings, now: datetime) -> None:
    window = timedelta(seconds=settings.login_window_seconds)
    # Counters of long-past windows (typos, scans of random names) would otherwise pile up forever.
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.window_start < now - 2 * window,
            (LoginFailure.locked_until.is_(None)) | (LoginFailure.locked_until < now),
        )
    )
    for key in keys:
        row = session.get(LoginFailure, key)
        if row is None:
            row = LoginFailure(key=key, failures=0, window_start=now)
            session.add(row)
        elif as_utc(row.window_start) + window < now:
            row.failures, row.window_start, row.locked_until = 0, now, None
        row.failures += 1
        # Addresses get more room than accounts: many people share an office or a NAT address.
        limit = settings.login_max_failures * (4 if key.startswith("addr:") else 1)
        if row.failures < limit:
            continue
        if key.startswith("user:"):
            # Anyone can type five wrong passwords for any account: rather than lock its owner out for
            # the window, new devices wait a delay that doubles with each further failure.
            over = min(row.failures - limit, 16)
            row.locked_until = now + min(window, timedelta(seconds=settings.login_delay_seconds * 2**over))
        else:
            row.locked_until = now + window
    session.flush()


def authenticate(
    session: Session,
    username: str,
    password: str,
    address: str,
    settings: Settings,
    device_cookie: str | None = None,
) -> User:
    """The user, or Unauthenticated with the same message whether or not the account exists.

    From a device the account has signed in from (`device_cookie`), failures elsewhere do not hold the
    account up. The failure counters are written even though the caller rolls back on error: callers
    must commit the throttle separately (see `record_failed_login`).
    """
    now = utcnow()
    keys = _throttle_keys(session, username, address, device_cookie, settings)
    _check_throttle(session, keys, now)
    user = session.scalar(select(User).where(User.username == username.strip()))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        raise Unauthenticated(t("wrong user name or password"), code="bad_credentials")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
    return user


def record_failed_login(
    session: Session, username: str, address: str, settings: Settings, device_cookie: str | None = None
) -> None:
    _count_failure(session, _throttle_keys(session, username, address, device_cookie, settings), settings, utcnow())


# --- browser sessions -------------------------------------------------------------------------


@dataclass
class NewSession:
    cookie_value: str
    csrf_token: str
    expires_at: datetime


def start_session(session: Session, user: User, address: str, settings: Settings) -> NewSession:
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + timedelta(hours=settings.session_hours)
    # The user's expired sessions are of no use to anyone: drop them as a new one starts.
    session.execute(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < now))
    session.add(
        WebSession(id=_sha256(secret), user_id=user.id, csrf_token=csrf, expires_at=expires, address=address[:64])
    )
    session.flush()
    return NewSession(secret, csrf, expires)


def session_user(session: Session, cookie_value: str) -> tuple[User, WebSession] | None:
    ws = session.get(WebSession, _sha256(cookie_value))
    if ws is None or as_utc(ws.expires_at) <= utcnow():
        return None
    user = session.get(User, ws.user_id)
    if user is None or not user.is_active:
        return None
    return user, ws


def end_session(session: Session, cookie_value: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id == _sha256(cookie_value)))


# --- API tokens -------------------------------------------------------------------------------


def issue_token(session: Session, user_id: int, name: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """A new API token of the account; returns the row and the secret (only its hash is stored).
    The caller audits it (linli.accounts.service.create_token)."""
    name = name.strip()
    if not name:
        raise InvalidInput(t("give the token a name, so you can recognise it later"))
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise InvalidInput(t("expires_in_days must be between 1 and 3650"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        name=name[:100],
        token_hash=_sha256(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    return token, secret


TOKEN_USE_GRANULARITY = timedelta(minutes=1)  # last_used_at is written at most this often


def token_hash(secret: str) -> str:
    return _sha256(secret)


def revoke_all_access(session: Session, user_id: int, *, tokens: bool = True, keep_session: str | None = None) -> dict:
    """End the account's browser sessions (but `keep_session`) and, with `tokens`, revoke its API tokens.

    A new password must shut out whoever knew the old one, by any door; the caller audits the counts.
    """
    ended = delete(WebSession).where(WebSession.user_id == user_id)
    if keep_session:
        ended = ended.where(WebSession.id != _sha256(keep_session))
    sessions = session.execute(ended).rowcount or 0
    revoked = 0
    if tokens:
        revoked = (
            session.execute(
                update(ApiToken)
                .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            ).rowcount
            or 0
        )
    return {"sessions_ended": sessions, "tokens_revoked": revoked}
