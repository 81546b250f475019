"""flask users …: create staff accounts for the pages and list them."""
import click

from models.db import connection
from models.users import User

MIN_PASSWORD = 10


@click.group("users")
def users_group():
    """Staff accounts for the Sync Logs and Flows pages."""


@users_group.command("create")
@click.argument("username")
@click.password_option("--password", prompt="Password", confirmation_prompt=True,
                       help="Prompted (with confirmation) when not given.")
def create_user(username, password):
    """Create a staff account, or set a new password for an existing one."""
    username = username.strip()
    if not username or len(username) > 64:
        raise click.BadParameter("a name of 1 to 64 characters", param_hint="USERNAME")
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"at least {MIN_PASSWORD} characters",
                                 param_hint="password")
    with connection():
        user = User.get_or_none(User.username == username)
        created = user is None
        user = user or User(username=username)
        user.set_password(password)
        user.save()
    click.echo(f"{'created' if created else 'updated password of'} user {username}")


@users_group.command("list")
def list_users():
    """List the staff accounts and when each last signed in."""
    with connection():
        users = list(User.select().order_by(User.username))
    if not users:
        click.echo("no users yet: flask users create NAME")
    for user in users:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_at else "never"
        click.echo(f"{user.username}\tlast sign-in: {last}")


commands = [users_group]
