"""flask users …: staff accounts for the pages: create, list, reset a password, sign out
everywhere, disable and enable. Every change of access ends the account's sessions."""
import click

from models.db import connection
from models.users import User, revoke_sessions

MIN_PASSWORD = 10


@click.group("users")
def users_group():
    """Staff accounts for the Sync Logs and Flows pages."""


def _password_option(prompt):
    return click.password_option("--password", prompt=prompt, confirmation_prompt=True,
                                 help="Prompted (with confirmation) when not given.")


def _check_password(password):
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"at least {MIN_PASSWORD} characters", param_hint="password")


def _existing(username):
    user = User.get_or_none(User.username == username.strip())
    if user is None:
        raise click.ClickException(f"no user named {username.strip()!r}")
    return user


@users_group.command("create")
@click.argument("username")
@_password_option("Password")
def create_user(username, password):
    """Create a staff account, or set a new password for an existing one."""
    username = username.strip()
    if not username or len(username) > 64:
        raise click.BadParameter("a name of 1 to 64 characters", param_hint="USERNAME")
    _check_password(password)
    with connection():
        user = User.get_or_none(User.username == username)
        created = user is None
        user = user or User(username=username)
        user.set_password(password)
        user.save()
        if not created:
            revoke_sessions(user.id)
    click.echo(f"{'created' if created else 'updated password of'} user {username}")


@users_group.command("reset-password")
@click.argument("username")
@_password_option("New password")
def reset_password(username, password):
    """Set a new password; every session of the account ends."""
    _check_password(password)
    with connection():
        user = _existing(username)
        user.set_password(password)
        user.save()
        revoke_sessions(user.id)
    click.echo(f"new password set for {user.username}; their sessions are ended")


@users_group.command("sign-out")
@click.argument("username")
def sign_out(username):
    """Sign the account out everywhere (every browser, copied cookies included)."""
    with connection():
        user = _existing(username)
        revoke_sessions(user.id)
    click.echo(f"{user.username} is signed out everywhere")


@users_group.command("disable")
@click.argument("username")
def disable_user(username):
    """Refuse the account's sign-ins and end its sessions (kept for the audit trail)."""
    name = _set_disabled(username, True)
    click.echo(f"{name} is disabled and signed out")


@users_group.command("enable")
@click.argument("username")
def enable_user(username):
    """Let a disabled account sign in again."""
    name = _set_disabled(username, False)
    click.echo(f"{name} may sign in again")


def _set_disabled(username, disabled):
    with connection():
        user = _existing(username)
        User.update(disabled=disabled).where(User.id == user.id).execute()
        revoke_sessions(user.id)
    return user.username


@users_group.command("list")
def list_users():
    """List the staff accounts and when each last signed in."""
    with connection():
        users = list(User.select().order_by(User.username))
    if not users:
        click.echo("no users yet: flask users create NAME")
    for user in users:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_at else "never"
        state = "\tdisabled" if user.disabled else ""
        click.echo(f"{user.username}\tlast sign-in: {last}{state}")


commands = [users_group]
