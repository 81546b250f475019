"""Staff accounts for the pages: a name and a password hash, never the password."""
from peewee import CharField, DateTimeField
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import BaseModel, utcnow


class User(BaseModel):
    """A member of staff who may sign in."""

    username = CharField(max_length=64, unique=True)
    password_hash = CharField(max_length=255)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)

    class Meta:
        table_name = "user_account"

    def set_password(self, password):
        """Store a salted scrypt hash of password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password):
        """True when password matches the stored hash (constant-time comparison)."""
        return check_password_hash(self.password_hash, password)
