"""Staff accounts for the pages: a name and a password hash, never the password."""
from functools import cache

from peewee import BooleanField, CharField, DateTimeField, IntegerField
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import BaseModel, utcnow


@cache
def _unknown_user_hash():
    # Checked when the name is unknown, so a wrong name costs the time of a wrong password.
    return generate_password_hash("no such user: only here to be checked", method="scrypt")


class User(BaseModel):
    """A member of staff who may sign in."""

    username = CharField(max_length=64, unique=True)
    password_hash = CharField(max_length=255)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)
    # Every session carries the version it was issued under; bumping it revokes them all.
    session_version = IntegerField(default=0)
    disabled = BooleanField(default=False)

    class Meta:
        table_name = "user_account"

    def set_password(self, password):
        """Store a salted scrypt hash of password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password):
        """True when password matches the stored hash (constant-time comparison)."""
        return check_password_hash(self.password_hash, password)


def authenticate(username, password):
    """The enabled user with this name and password, or None; as slow for unknown names."""
    # No name holds a NUL (PostgreSQL refuses it even in a query): such a name is unknown.
    known = username and "\x00" not in username
    user = User.get_or_none(User.username == username) if known else None
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        return None
    if not user.check_password(password) or user.disabled:
        return None
    return user


def revoke_sessions(user_id):
    """End every session of the user (sign out everywhere): one atomic increment."""
    return User.update(session_version=User.session_version + 1).where(
        User.id == user_id).execute()
