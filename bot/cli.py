"""Command line for operators: `python -m bot.cli create-user NAME --role support`.

The password is asked for twice (or read from stdin with --password-stdin), never
taken as an argument, so it does not land in shell history.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.prepare import prepare_database
from lifecycle.people.accounts import ROLES, AccountError, Accounts
from lifecycle.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description="Shopmate operator commands")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a console user")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    database = prepare_database(settings.database_url)
    try:
        Accounts(database).create_user(args.username, password, args.role)
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"created {args.role} user {args.username!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
