"""Where sessions and refresh tokens live: Redis when configured, the database otherwise.

Only SHA-256 digests of the secrets are stored. Both stores make "use this refresh token"
atomic, so of two simultaneous refreshes with one token exactly one wins.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from khs_crm.integrations import read_cache
from khs_crm.integrations.redis import get_redis
from khs_crm.models import RefreshToken, UserSession
from khs_crm.models.base import utcnow
from khs_crm.settings import get_settings


@dataclass
class StoredSession:
    user_id: uuid.UUID
    auth_epoch: int
    expires_at: datetime
    last_seen_at: datetime


@dataclass
class StoredRefresh:
    user_id: uuid.UUID
    family_id: uuid.UUID
    auth_epoch: int
    expires_at: datetime


class DatabaseStore:
    def __init__(self, session: Session) -> None:
        self.db = session

    def save_session(self, id_hash: str, data: StoredSession, idle: timedelta) -> None:
        self.db.add(
            UserSession(
                id_hash=id_hash,
                user_id=data.user_id,
                auth_epoch=data.auth_epoch,
                expires_at=data.expires_at,
                last_seen_at=data.last_seen_at,
            )
        )
        self.db.flush()

    def load_session(self, id_hash: str) -> StoredSession | None:
        row = self.db.get(UserSession, id_hash)
        if row is None:
            return None
        return StoredSession(row.user_id, row.auth_epoch, row.expires_at, row.last_seen_at)

    def touch_session(self, id_hash: str, idle: timedelta) -> None:
        self.db.execute(
            update(UserSession)
            .where(col(UserSession.id_hash) == id_hash)
            .values(last_seen_at=utcnow())
        )
        self.db.flush()

    def delete_session(self, id_hash: str) -> None:
        self.db.execute(delete(UserSession).where(col(UserSession.id_hash) == id_hash))
        self.db.flush()

    def save_refresh(self, token_hash: str, data: StoredRefresh) -> None:
        self.db.add(
            RefreshToken(
                token_hash=token_hash,
                family_id=data.family_id,
                user_id=data.user_id,
                auth_epoch=data.auth_epoch,
                expires_at=data.expires_at,
            )
        )
        self.db.flush()

    def use_refresh(self, token_hash: str) -> tuple[str, StoredRefresh | None]:
        """Mark the token used. Returns ("ok" | "reused" | "revoked" | "unknown", data)."""
        claimed = self.db.exec(
            update(RefreshToken)
            .where(
                col(RefreshToken.token_hash) == token_hash,
                col(RefreshToken.used_at).is_(None),
                col(RefreshToken.revoked_at).is_(None),
            )
            .values(used_at=utcnow())
        ).rowcount
        self.db.flush()
        row = self.db.get(RefreshToken, token_hash)
        if row is None:
            return "unknown", None
        self.db.refresh(row)
        data = StoredRefresh(row.user_id, row.family_id, row.auth_epoch, row.expires_at)
        if claimed == 1:
            return "ok", data
        return ("revoked" if row.revoked_at else "reused"), data

    def revoke_family(self, family_id: uuid.UUID) -> None:
        self.db.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )

    def family_revoked(self, family_id: uuid.UUID) -> bool:
        """Whether the family was revoked (logout, reuse): its access tokens are refused."""
        revoked = select(RefreshToken.token_hash).where(
            RefreshToken.family_id == family_id, col(RefreshToken.revoked_at).is_not(None)
        )
        return self.db.exec(revoked.limit(1)).first() is not None

    def family_of(self, token_hash: str) -> uuid.UUID | None:
        return self.db.exec(
            select(RefreshToken.family_id).where(RefreshToken.token_hash == token_hash)
        ).first()


class RedisStore:
    """Keys expire by themselves: sessions slide on their idle timeout, tokens with their
    expiry, a revoked family's mark a day after the last of its tokens could expire."""

    def __init__(self, client) -> None:
        self.r = client

    def save_session(self, id_hash: str, data: StoredSession, idle: timedelta) -> None:
        value = json.dumps(
            {
                "u": str(data.user_id),
                "e": data.auth_epoch,
                "x": data.expires_at.isoformat(),
                "s": data.last_seen_at.isoformat(),
            }
        )
        self.r.set(f"khs:sess:{id_hash}", value, ex=self._ttl(data.expires_at, idle))

    def load_session(self, id_hash: str) -> StoredSession | None:
        raw = self.r.get(f"khs:sess:{id_hash}")
        if raw is None:
            return None
        d = json.loads(raw)
        return StoredSession(
            uuid.UUID(d["u"]),
            d["e"],
            datetime.fromisoformat(d["x"]),
            datetime.fromisoformat(d["s"]),
        )

    def touch_session(self, id_hash: str, idle: timedelta) -> None:
        data = self.load_session(id_hash)
        if data is not None:
            data.last_seen_at = utcnow()
            self.save_session(id_hash, data, idle)

    def delete_session(self, id_hash: str) -> None:
        self.r.delete(f"khs:sess:{id_hash}")
        read_cache.announce_write()  # a signed-in check kept by any worker is asked again

    def save_refresh(self, token_hash: str, data: StoredRefresh) -> None:
        ttl = self._ttl(data.expires_at, timedelta(days=3650))
        key = f"khs:rt:{token_hash}"
        self.r.hset(
            key,
            mapping={
                "u": str(data.user_id),
                "f": str(data.family_id),
                "e": data.auth_epoch,
                "x": data.expires_at.isoformat(),
            },
        )
        self.r.expire(key, ttl)
        self.r.sadd(f"khs:rtfam:{data.family_id}", token_hash)
        self.r.expire(f"khs:rtfam:{data.family_id}", ttl)

    def use_refresh(self, token_hash: str) -> tuple[str, StoredRefresh | None]:
        key = f"khs:rt:{token_hash}"
        d = {k.decode(): v.decode() for k, v in self.r.hgetall(key).items()}
        if not d:
            return "unknown", None
        data = StoredRefresh(
            uuid.UUID(d["u"]), uuid.UUID(d["f"]), int(d["e"]), datetime.fromisoformat(d["x"])
        )
        if self.r.exists(f"khs:rtrev:{data.family_id}"):
            return "revoked", data
        # HSETNX is atomic: exactly one caller sets "used".
        won = self.r.hsetnx(key, "used", utcnow().isoformat())
        return ("ok" if won else "reused"), data

    def revoke_family(self, family_id: uuid.UUID) -> None:
        self.r.set(f"khs:rtrev:{family_id}", "1", ex=self._revocation_ttl())

    def family_revoked(self, family_id: uuid.UUID) -> bool:
        """Whether the family was revoked (logout, reuse): its access tokens are refused."""
        return bool(self.r.exists(f"khs:rtrev:{family_id}"))

    @staticmethod
    def _revocation_ttl() -> int:
        """The mark outlives every token of the family, refresh and access alike, plus a day."""
        settings = get_settings()
        longest = max(
            timedelta(days=settings.refresh_token_days),
            timedelta(minutes=settings.access_token_minutes),
        )
        return int((longest + timedelta(days=1)).total_seconds())

    def family_of(self, token_hash: str) -> uuid.UUID | None:
        raw = self.r.hget(f"khs:rt:{token_hash}", "f")
        return uuid.UUID(raw.decode()) if raw else None

    @staticmethod
    def _ttl(expires_at: datetime, idle: timedelta) -> int:
        left = (expires_at - utcnow()).total_seconds()
        return max(1, int(min(left, idle.total_seconds())))


def get_store(session: Session) -> DatabaseStore | RedisStore:
    """The Redis store when Redis is configured, else the database store."""
    client = get_redis()
    return RedisStore(client) if client is not None else DatabaseStore(session)
