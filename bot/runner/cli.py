"""Command line for operators: `python -m bot.runner.cli create-user NAME --role support`.

The password is asked for twice (or read from stdin with --password-stdin), never
taken as an argument, so it does not land in shell history.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from bot.runner import demo_data
from bot.runner.prepare import prepare_database, prepare_store
from lifecycle.people.accounts import ROLES, AccountError, Accounts
from lifecycle.people.privacy import PersonalData, UnknownPerson
from lifecycle.settings import Settings, SettingsError, load_settings
from lifecycle.shop.loader import ShopDataError
from lifecycle.storage.rasa_tracker import RasaTrackerRows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.runner.cli", description="Shopmate operator commands")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a console user")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--display-name", default="", help="the first name shoppers see in a live chat "
                                                            "(the login name is never shown to them)")
    export = commands.add_parser("export", help="everything held about one person, as JSON on standard output")
    export.add_argument("visitor_id")
    forget = commands.add_parser("forget", help="delete everything held about one person, in both stores")
    forget.add_argument("visitor_id")
    commands.add_parser("prepare", help="validate shop data, migrate the lifecycle store, load the catalog "
                                        "(once per deploy, before the processes start)")
    demo = commands.add_parser("demo-data", help="fill the stores with a seeded stretch of demo shop activity")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--days", type=int, default=90)
    demo.add_argument("--visitors", type=int, default=900)
    args = parser.parse_args(argv)
    os.umask(0o077)  # a store or secret this command creates is its owner's only, as with `make run`
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "create-user":
        return _create_user(settings, args)
    if args.command == "prepare":
        return _prepare(settings)
    if args.command == "demo-data":
        return demo_data.main(settings, args.seed, args.days, args.visitors)
    return _personal_data(settings, args.command, args.visitor_id)


def _prepare(settings: Settings) -> int:
    try:
        shop = prepare_store(settings)
    except ShopDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"lifecycle store ready: {len(shop.products)} products; {settings.database_url.split('@')[-1]}")
    return 0


def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    database = prepare_database(settings.database_url)
    try:
        Accounts(database).create_user(args.username, password, args.role, args.display_name)
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"created {args.role} user {args.username!r}")
    return 0


def _personal_data(settings: Settings, command: str, visitor_id: str) -> int:
    database = prepare_database(settings.database_url)
    tracker = RasaTrackerRows.from_url(settings.tracker_url)
    try:
        data = PersonalData(database, tracker)
        if command == "export":
            json.dump(data.export(visitor_id), sys.stdout, indent=2, ensure_ascii=False)
            print()
        else:
            done = data.forget(visitor_id)
            deleted = ", ".join(f"{table} {count}" for table, count in done.rows.items() if count)
            print(f"forgot {visitor_id!r}: deleted {deleted}; Rasa tracker events {done.tracker_events}")
    except UnknownPerson as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
        tracker.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
