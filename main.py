"""昌南治理指挥中心 — the one entry point. See README.md and docs/ for the commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

WINDOWS = ("wall", "video", "console", "mediation")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="昌南治理指挥中心 command center")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the server alone")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--db", default=None, help="database URL or SQLite file (default: the user data dir)")
    demo = serve.add_mutually_exclusive_group()
    demo.add_argument("--demo", dest="demo", action="store_true", help="load the demo county if the store is empty")
    demo.add_argument("--no-demo", dest="demo", action="store_false")
    serve.set_defaults(demo=False)
    serve.add_argument("--simulate", type=float, default=0.0, metavar="RATE", help="(issue #3) simulator rate")
    serve.add_argument("--speed", type=float, default=1.0, help="server clock speed-up for demos (e.g. 60)")
    serve.add_argument("--rules", type=Path, default=None, help="rules file (default: config/rules.toml)")

    user = sub.add_parser("user", help="manage users and tokens")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create a user and print its token once")
    add.add_argument("name")
    add.add_argument("--role", required=True)
    add.add_argument("--department", type=int, default=None, help="department id (role department)")
    add.add_argument("--township", type=int, default=None, help="township id (village, grid worker)")
    add.add_argument("--db", default=None)
    for verb in ("disable", "enable"):
        act = user_sub.add_parser(verb, help=f"{verb} a user (a disabled user's connections close with 4403)")
        act.add_argument("name")
        act.add_argument("--db", default=None)
    lst = user_sub.add_parser("list", help="list users and roles (never tokens)")
    lst.add_argument("--db", default=None)

    for name in WINDOWS:
        win = sub.add_parser(name, help=f"open the {name} window alone")
        win.add_argument("--server", default="ws://127.0.0.1:8765")
        win.add_argument("--token", default=None)
        win.add_argument("--screen", type=int, default=None)
    return parser


def cmd_user(args: argparse.Namespace) -> int:
    from services.backend.server import ServeOptions, StartupError, open_store
    from services.domain.errors import DomainError
    from services.domain.model import Role

    try:
        store, _rules, lock = open_store(ServeOptions(db=args.db))
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.user_command == "list":
            print(f"{'id':>4}  {'name':<24} {'role':<14} {'dept':>4} {'town':>4}  active  expires")
            for u in store.list_users():
                print(f"{u['id']:>4}  {u['name']:<24} {u['role']:<14} {u['department_id'] or '':>4} "
                      f"{u['township_id'] or '':>4}  {'yes' if u['active'] else 'no':<6}  {u['token_expires_at']}")
            return 0
        if args.user_command in ("disable", "enable"):
            store.set_active(args.name, args.user_command == "enable")
            print(f"user {args.name} {args.user_command}d")
            return 0
        try:
            role = Role(args.role)
        except ValueError:
            print(f"error: unknown role {args.role!r}; roles: {', '.join(r.value for r in Role)}", file=sys.stderr)
            return 2
        if role == Role.department and args.department is None:
            print("error: a department user needs --department ID", file=sys.stderr)
            return 2
        token = store.create_user(args.name, role, args.department, args.township)
        print(f"created user {args.name} ({role.value}). Token (shown once, store it safely):\n{token}")
        return 0
    except DomainError as exc:  # an existing name, an unknown user
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    finally:
        store.close()
        if lock:
            lock.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from services.backend.server import ServeOptions, run

        if not 0 < args.speed <= 10_000:
            print("error: --speed must be in (0, 10000]", file=sys.stderr)
            return 2
        return run(ServeOptions(host=args.host, port=args.port, db=args.db, demo=args.demo, rules_file=args.rules,
                                speed=args.speed))
    if args.command == "user":
        return cmd_user(args)
    if args.command in WINDOWS:
        print(f"the {args.command} window is not built yet (see the open issues); `serve` works.", file=sys.stderr)
        return 2
    # the whole demo: for now the server with the demo county (windows and simulator come with issues #3-#6)
    from services.backend.server import ServeOptions, run

    print("no windows exist yet: running the server with the demo data. Ctrl-C stops it.", flush=True)
    return run(ServeOptions(demo=True))


if __name__ == "__main__":
    sys.exit(main())
