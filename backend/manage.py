"""Administration from the command line, on the server's machine (its settings and database):

    python -m backend.manage create-admin <username>     the first (or another) admin account;
                                                         the password from a prompt, or from
                                                         standard input with --password-stdin
    python -m backend.manage worker-token <name>         a token for worker <name> (printed once)

With ENVIRONMENT=production, `POST /api/auth/setup` is refused unless SETUP_TOKEN is set: this
is how the first admin is made instead (docs/architecture.md, "Security")."""

from __future__ import annotations

import argparse
import getpass
import sys

from backend.db.session import new_session
from backend.migrate import upgrade_head
from backend.services import accounts, audit, logins, worker_credentials
from backend.services.errors import ServiceError
from backend.settings import get_settings


def create_admin(username: str, password_stdin: bool) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {username}: ")
        if getpass.getpass("again: ") != password:
            raise SystemExit("the passwords differ")
    logins.check_new_password(username, password)
    with new_session() as session:
        audit.record(
            session,
            "user.create",
            None,
            actor_name="(command line)",
            target=username,
            detail={"is_admin": True},
        )
        accounts.create_user(session, username, password, is_admin=True)
    print(f"admin account {username!r} created")


def worker_token(name: str) -> None:
    with new_session() as session:
        audit.record(
            session, "worker_credential.issue", None, actor_name="(command line)", target=name
        )
        _, token = worker_credentials.issue(session, name, None)
    print(token)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m backend.manage",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create an admin account")
    admin.add_argument("username")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    token = commands.add_parser("worker-token", help="issue a worker's own token")
    token.add_argument("name", help="the worker's name (python -m worker --name ...)")
    args = parser.parse_args(argv)
    upgrade_head(get_settings().resolved_database_url)
    try:
        if args.command == "create-admin":
            create_admin(args.username, args.password_stdin)
        else:
            worker_token(args.name)
    except ServiceError as error:
        raise SystemExit(f"refused: {error.detail}") from None


if __name__ == "__main__":
    main()
