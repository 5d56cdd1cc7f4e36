"""Console accounts: argon2id password hashes, roles, expiring sessions with a CSRF token each."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from lifecycle.storage.database import Database
from lifecycle.storage.models import ROLES, ConsoleSession, ConsoleUser

__all__ = ["ROLES", "AccountError", "Accounts", "SessionInfo"]

SESSION_HOURS = 8
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password")


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class SessionInfo:
    username: str
    role: str
    csrf_token: str
    expires_at: datetime


def _display_name(text: str) -> str:
    name = " ".join(text.split())
    if not 1 <= len(name) <= DISPLAY_NAME_LENGTH or any(c in name for c in "<>{}@/\\"):
        raise AccountError(f"a display name is 1 to {DISPLAY_NAME_LENGTH} characters, without <>{{}}@/\\")
    return name


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


SEEN_EVERY = timedelta(minutes=1)
AGENT_ONLINE = timedelta(minutes=3)  # every support page polls the console's pulse while open
AGENT_ROLES = ("support", "admin")  # who can talk to shoppers and own conversations
ONLINE, AWAY, OFFLINE = "online", "away", "offline"
PRESENCES = (ONLINE, AWAY)
DISPLAY_NAME_LENGTH = 40


class Accounts:
    def __init__(self, database: Database, session_hours: float = SESSION_HOURS) -> None:
        self.db = database
        self.session_hours = session_hours

    def create_user(self, username: str, password: str, role: str, display_name: str = "") -> None:
        username = username.strip()
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if not username or len(username) > 64:
            raise AccountError("username must be 1 to 64 characters")
        if len(password) < 10:
            raise AccountError("password must have at least 10 characters")
        name = _display_name(display_name) if display_name else None
        try:
            with self.db.session() as session:
                session.add(ConsoleUser(username=username, password_hash=_hasher.hash(password), role=role,
                                        display_name=name))
        except IntegrityError:
            raise AccountError(f"user {username!r} already exists") from None

    def login(self, username: str, password: str, now: datetime | None = None) -> str | None:
        """A new session token for right credentials, None otherwise."""
        now = now or datetime.now(timezone.utc)
        with self.db.session() as session:
            user = session.execute(select(ConsoleUser).where(ConsoleUser.username == username.strip(),
                                                             ConsoleUser.active.is_(True))).scalar_one_or_none()
            try:
                _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                return None
            if user is None:
                return None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            token = secrets.token_urlsafe(32)
            session.add(ConsoleSession(token_hash=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(24),
                                       created_at=now, expires_at=now + timedelta(hours=self.session_hours)))
            session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
        return token

    def session(self, token: str | None, now: datetime | None = None) -> SessionInfo | None:
        if not token:
            return None
        now = now or datetime.now(timezone.utc)
        with self.db.session() as session:
            row = session.execute(select(ConsoleSession, ConsoleUser).join(ConsoleUser)
                                  .where(ConsoleSession.token_hash == _digest(token))).first()
            if row is None or row[0].expires_at <= now or not row[1].active:
                return None
            if row[0].seen_at is None or now - row[0].seen_at > SEEN_EVERY:  # one write a minute, not per request
                row[0].seen_at = now
            return SessionInfo(row[1].username, row[1].role, row[0].csrf_token, row[0].expires_at)

    def agents_online(self, now: datetime | None = None, within: timedelta = AGENT_ONLINE) -> list[str]:
        """Support and admin users who are not away and whose console was used in the last few
        minutes: the people a shopper may be promised "a colleague now" by."""
        now = now or datetime.now(timezone.utc)
        with self.db.reading() as session:
            return sorted(set(session.execute(
                select(ConsoleUser.username).join(ConsoleSession)
                .where(ConsoleUser.active.is_(True), ConsoleUser.role.in_(AGENT_ROLES),
                       ConsoleUser.presence == ONLINE, ConsoleSession.expires_at > now,
                       ConsoleSession.seen_at >= now - within)).scalars()))

    def set_presence(self, username: str, presence: str) -> None:
        if presence not in PRESENCES:
            raise AccountError(f"presence must be one of {', '.join(PRESENCES)}")
        with self.db.session() as session:
            session.execute(update(ConsoleUser).where(ConsoleUser.username == username).values(presence=presence))

    def set_display_name(self, username: str, display_name: str) -> None:
        """The first name shoppers see in a live chat; the login name is never shown to them."""
        name = _display_name(display_name)
        with self.db.session() as session:
            session.execute(update(ConsoleUser).where(ConsoleUser.username == username).values(display_name=name))

    def profile(self, username: str) -> tuple[str | None, str]:
        """(display name or None, presence)."""
        with self.db.reading() as session:
            row = session.execute(select(ConsoleUser.display_name, ConsoleUser.presence)
                                  .where(ConsoleUser.username == username)).first()
            return (row[0], row[1]) if row else (None, OFFLINE)

    def logout(self, token: str | None) -> None:
        if token:
            with self.db.session() as session:
                session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))
