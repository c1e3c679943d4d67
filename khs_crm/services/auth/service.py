"""Sign-in: passwords, browser sessions, access and refresh tokens, rate limits."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import jwt
import redis
from sqlmodel import Session

from khs_crm.integrations import limits
from khs_crm.models import User
from khs_crm.models.base import utcnow
from khs_crm.security import dummy_hash, loaded_signing_keys, verify_password
from khs_crm.services.auth import users as user_service
from khs_crm.services.auth.store import StoredRefresh, StoredSession, get_store
from khs_crm.services.core.errors import ServiceError
from khs_crm.services.ops import metrics as ops_metrics
from khs_crm.settings import get_settings

security_log = logging.getLogger("khs_crm.security")


class TokenReused(ServiceError):
    """A used refresh token came back: its family is revoked, and that revocation stands."""

    status = 401
    code = "UNAUTHORIZED"
    keeps_writes = True


class Unauthorized(ServiceError):
    status = 401
    code = "UNAUTHORIZED"


class RateLimited(ServiceError):
    status = 429
    code = "RATE_LIMITED"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts. Try again in {retry_after} seconds.")
        self.retry_after = retry_after


@dataclass
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def authenticate(session: Session, *, email: str, password: str, ip: str) -> User:
    """Check a password sign-in under the per-account and per-IP limits of failed attempts."""
    settings = get_settings()
    account_key, ip_key = f"login:acct:{email.strip().lower()}", f"login:ip:{ip}"
    for key, limit in (
        (account_key, settings.login_attempts_per_minute),
        (ip_key, settings.login_ip_attempts_per_minute),
    ):
        count, retry = limits.peek(key)
        if count >= limit:
            security_log.warning("login rate limited", extra={"key": key.split(":")[1]})
            ops_metrics.rate_limited("login")
            raise RateLimited(retry)
    user = user_service.get_by_email(session, email)
    valid = verify_password(password, user.password_hash if user else dummy_hash())
    if not valid or user is None or not user.active:
        limits.hit(account_key)
        limits.hit(ip_key)
        security_log.warning("failed sign-in", extra={"ip": ip})
        ops_metrics.login_failed()
        raise Unauthorized("Email or password is incorrect.")
    limits.clear(account_key)
    return user


def check_api_rate(user: User) -> None:
    """100 API calls a minute per user by default; raises RateLimited past it."""
    count, retry = limits.hit(f"api:{user.id}")
    if count > get_settings().api_calls_per_minute:
        ops_metrics.rate_limited("api")
        raise RateLimited(retry)


def _usable(session: Session, user_id: uuid.UUID, epoch: int) -> User | None:
    user = session.get(User, user_id)
    if user is None or not user.active or user.auth_epoch != epoch:
        return None
    return user


# Browser sessions -----------------------------------------------------------------------


def create_session(session: Session, *, user: User) -> str:
    """Start a browser session; returns the opaque id for the cookie (stored only hashed)."""
    settings = get_settings()
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    data = StoredSession(user.id, user.auth_epoch, now + timedelta(days=settings.session_days), now)
    get_store(session).save_session(
        _digest(raw), data, timedelta(hours=settings.session_idle_hours)
    )
    return raw


def user_for_session(session: Session, raw: str | None) -> User | None:
    """The active user behind a session cookie, or None; slides the idle timeout."""
    if not raw:
        return None
    settings = get_settings()
    store, id_hash = get_store(session), _digest(raw)
    data = store.load_session(id_hash)
    if data is None:
        return None
    now, idle = utcnow(), timedelta(hours=settings.session_idle_hours)
    if now >= data.expires_at or now - data.last_seen_at >= idle:
        store.delete_session(id_hash)
        return None
    user = _usable(session, data.user_id, data.auth_epoch)
    if user is None:
        store.delete_session(id_hash)
        return None
    if now - data.last_seen_at > timedelta(minutes=1):
        store.touch_session(id_hash, idle)
    return user


def end_session(session: Session, raw: str | None) -> None:
    """Sign a browser out."""
    if raw:
        get_store(session).delete_session(_digest(raw))


# API tokens -----------------------------------------------------------------------------


def issue_access_token(user: User, *, family_id: uuid.UUID) -> str:
    """An RS256 access JWT for the user (15 minutes by default).

    ``fam`` names the refresh-token family it came with: revoking the family (logout, a
    reused refresh token) ends this access token too.
    """
    settings = get_settings()
    now = utcnow()
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user.id),
        "role": str(user.role),
        "type": "access",
        "epoch": user.auth_epoch,
        "fam": str(family_id),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=settings.access_token_minutes)).timestamp()),
    }
    private, _ = loaded_signing_keys()
    return jwt.encode(claims, private, algorithm="RS256")


def user_for_access_token(session: Session, token: str) -> User:
    """Verify an access token (algorithm pinned to RS256) and return its active user.

    Refused (401) when its refresh-token family has been revoked.
    """
    settings = get_settings()
    _, public = loaded_signing_keys()
    try:
        claims = jwt.decode(
            token,
            public,
            algorithms=["RS256"],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "type", "fam"]},
        )
        if claims.get("type") != "access":
            raise jwt.InvalidTokenError("not an access token")
        user_id, family_id = uuid.UUID(str(claims["sub"])), uuid.UUID(str(claims["fam"]))
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthorized("The access token is invalid or expired.") from exc
    user = _usable(session, user_id, int(claims.get("epoch", -1)))
    if user is None or _family_revoked(session, family_id):
        raise Unauthorized("The access token is no longer valid.")
    return user


def _family_revoked(session: Session, family_id: uuid.UUID) -> bool:
    """Whether the token's family was revoked. While Redis is unreachable this cannot be
    told: a signed, unexpired access token (15 minutes at most) is then still believed, so
    reads keep working through an outage; refreshes and sign-ins fail closed (503)."""
    try:
        return get_store(session).family_revoked(family_id)
    except (redis.ConnectionError, redis.TimeoutError):
        security_log.warning("revocation check skipped: Redis unreachable")
        return False


def _new_refresh(session: Session, user: User, family_id: uuid.UUID, expires_at) -> str:
    raw = secrets.token_urlsafe(32)
    get_store(session).save_refresh(
        _digest(raw), StoredRefresh(user.id, family_id, user.auth_epoch, expires_at)
    )
    return raw


def issue_tokens(session: Session, *, user: User) -> TokenPair:
    """A new access token and the first refresh token of a new family."""
    settings = get_settings()
    expires, family_id = utcnow() + timedelta(days=settings.refresh_token_days), uuid.uuid4()
    refresh = _new_refresh(session, user, family_id, expires)
    access = issue_access_token(user, family_id=family_id)
    return TokenPair(access, refresh, settings.access_token_minutes * 60, user)


def refresh_tokens(session: Session, *, refresh_token: str) -> TokenPair:
    """Rotate: the token works once; a reused token revokes its whole family (RFC 9700)."""
    store = get_store(session)
    outcome, data = store.use_refresh(_digest(refresh_token))
    if outcome == "reused" and data is not None:
        store.revoke_family(data.family_id)
        security_log.warning(
            "refresh token reuse; family revoked",
            extra={"family": str(data.family_id), "user": str(data.user_id)},
        )
        raise TokenReused("The refresh token is invalid, used or expired.")
    if outcome != "ok" or data is None or utcnow() >= data.expires_at:
        raise Unauthorized("The refresh token is invalid, used or expired.")
    user = _usable(session, data.user_id, data.auth_epoch)
    if user is None:
        raise Unauthorized("The refresh token is no longer valid.")
    refresh = _new_refresh(session, user, data.family_id, data.expires_at)
    access = issue_access_token(user, family_id=data.family_id)
    return TokenPair(access, refresh, get_settings().access_token_minutes * 60, user)


def logout_tokens(session: Session, *, refresh_token: str) -> None:
    """Revoke the refresh token's whole family, and with it the family's access tokens."""
    store = get_store(session)
    family = store.family_of(_digest(refresh_token))
    if family is not None:
        store.revoke_family(family)
