"""`python -m backend [serve|migrate|create-admin|create-operator|create-service-client]`."""

import argparse
import getpass
import os
import sys

from alembic import command
from alembic.config import Config

from backend import logs
from backend.config import PROJECT_ROOT, get_settings

MIGRATIONS = PROJECT_ROOT / "backend" / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return config


def migrate(database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), "heads")


def serve() -> None:
    import uvicorn

    settings = get_settings()
    migrate()
    uvicorn.run(
        "backend.app:create_app",
        factory=True,
        host=settings.backend_host,
        port=settings.backend_port,
        workers=settings.backend_workers,
        access_log=False,
        log_config=None,
    )


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            sys.exit(f"error: {args.password_env} is empty")
        return value
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        sys.exit("error: the passwords differ")
    return first


def create_operator(args: argparse.Namespace, role: str) -> None:
    from backend.agencies import service as agencies
    from backend.auth import service as auth
    from backend.auth.models import Role
    from backend.db import get_sessionmaker
    from backend.errors import AppError

    with get_sessionmaker().begin() as session:
        try:
            unit_id = agencies.get_unit(session, args.unit).id if args.unit else None
            auth.create_operator(session, args.username, _password(args), Role(role), unit_id)
        except AppError as exc:
            sys.exit(f"error: {exc.detail}")
    print(f"created {role} {args.username}")  # noqa: T201 - CLI output


def create_service_client(args: argparse.Namespace) -> None:
    from backend.auth import service as auth
    from backend.db import get_sessionmaker

    token = auth.new_token()
    with get_sessionmaker().begin() as session:
        auth.register_service_client(session, args.name, token)
    print(token)  # noqa: T201 - CLI output: the only time the token is shown


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="migrate, then serve the API (default)")
    sub.add_parser("migrate", help="apply database migrations")
    for name in ("create-admin", "create-operator"):
        p = sub.add_parser(name, help=f"{name.replace('-', ' ')} (password asked twice)")
        p.add_argument("username")
        p.add_argument("--password-env", help="read the password from this variable")
        if name == "create-operator":
            p.add_argument("--role", choices=["admin", "operator", "agency"], default="operator")
        p.add_argument("--unit", help="unit code, for the agency role")
    p = sub.add_parser("create-service-client", help="print a new service token")
    p.add_argument("name")
    args = parser.parse_args(argv)

    settings = get_settings()
    logs.configure(settings.log_level, settings.log_json)
    match args.command:
        case None | "serve":
            serve()
        case "migrate":
            migrate()
        case "create-admin":
            create_operator(args, "admin")
        case "create-operator":
            create_operator(args, args.role)
        case "create-service-client":
            create_service_client(args)


if __name__ == "__main__":
    main()
