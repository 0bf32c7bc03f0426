"""昌南治理指挥中心 — the one entry point. See README.md and docs/ for the commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.demo.runner import DemoOptions

WINDOWS = ("wall", "video", "console", "mediation")


DEMO_RATE = 20.0
"""`python main.py`: case reports per simulated hour (about 480 a day; the real county sees a few hundred)."""
DEMO_HISTORY_MONTHS = 0.5
"""`python main.py`: two weeks of past activity on the first start, so there is a backlog and overdue work."""
NO_WINDOWS = ("no windows here (no display, or --no-windows): the server and the simulator keep running at {url}. "
              "Open a window with `python main.py console --server {url} --token TOKEN` (a demo token above). "
              "Ctrl-C stops everything.")


def _add_demo_options(parser: argparse.ArgumentParser, *, simulate: float, history: float) -> None:
    parser.add_argument("--db", default=None, help="database URL or SQLite file (default: the user data dir)")
    parser.add_argument("--simulate", type=float, default=simulate, metavar="RATE",
                        help=f"run the simulator: average case reports per simulated hour (default {simulate:g}; "
                             "0: no simulator)")
    parser.add_argument("--speed", type=float, default=1.0, help="server clock speed-up for demos (e.g. 60)")
    parser.add_argument("--history", type=float, default=history, metavar="MONTHS",
                        help=f"first fill MONTHS (of 30 days, fractions allowed) of past activity into a store "
                             f"without cases (default {history:g})")
    parser.add_argument("--start", default=None, metavar="TIME",
                        help="the server clock's simulated start, ISO 8601 with offset (default: now)")
    parser.add_argument("--human-desk", action="store_true",
                        help="the simulator leaves the duty desk to a human at a console")
    parser.add_argument("--seed", type=int, default=None, help="scenario seed (default: from the start time)")
    parser.add_argument("--reset", action="store_true",
                        help="start afresh: delete the demo's SQLite file and demo-tokens.json first")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py", description="昌南治理指挥中心 command center. Without a command: the whole demo (server on "
                                    "SQLite with the demo county, the simulator, and every window that exists).")
    _add_demo_options(parser, simulate=DEMO_RATE, history=DEMO_HISTORY_MONTHS)
    parser.add_argument("--port", type=int, default=8765)
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the server alone (with --demo --simulate RATE: and the simulator)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    demo = serve.add_mutually_exclusive_group()
    demo.add_argument("--demo", dest="demo", action="store_true", help="load the demo county if the store is empty")
    demo.add_argument("--no-demo", dest="demo", action="store_false")
    serve.set_defaults(demo=False)
    _add_demo_options(serve, simulate=0.0, history=0.0)
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

    pw = user_sub.add_parser("passwd", help="set a user's password (read from stdin, or asked for on a terminal)")
    pw.add_argument("name")
    pw.add_argument("--db", default=None)

    for name in WINDOWS:
        win = sub.add_parser(name, help=f"open the {name} window alone")
        win.add_argument("--server", default=None, help="ws://HOST:PORT (default: config/desktop.toml)")
        win.add_argument("--token", default=None)
        win.add_argument("--user", default=None, help="log in with a name and password (asked for) instead")
        win.add_argument("--screen", type=int, default=None)
        win.add_argument("--lang", choices=("zh_CN", "en"), default=None)
    parser.add_argument("--no-windows", action="store_true", help="the demo without windows (server + simulator)")
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
        if args.user_command == "passwd":
            store.set_password(args.name, read_password(args.name))
            print(f"password set for {args.name}: log in with the name and this password, or the token")
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


def demo_options(args: argparse.Namespace) -> DemoOptions | str:
    """The parsed options of `serve` or of the bare command as DemoOptions, or the error line to print.
    Checked before the server's modules are imported, so a bad option fails at once."""
    from services.demo.options import option_problem, parse_start

    demo = getattr(args, "demo", True)
    problem = option_problem(simulate=args.simulate, history_months=args.history, demo=demo, speed=args.speed)
    start = parse_start(args.start)
    if problem or isinstance(start, str):
        return problem or str(start)
    from services.backend.server import ServeOptions
    from services.demo.runner import DemoOptions

    serve = ServeOptions(host=getattr(args, "host", "127.0.0.1"), port=args.port, db=args.db, demo=demo,
                         rules_file=getattr(args, "rules", None), speed=args.speed)
    return DemoOptions(serve=serve, simulate=args.simulate, history_months=args.history, start=start,
                       desk=not args.human_desk, seed=args.seed, banner="" if args.command else NO_WINDOWS)


def cmd_demo(args: argparse.Namespace) -> int:
    """`serve` and the bare command: the server, with the demo's history and simulator when asked."""
    options = demo_options(args)
    if isinstance(options, str):
        print(f"error: {options}", file=sys.stderr)
        return 2
    from services.demo.reset import ResetRefused, reset_demo_data
    from services.demo.runner import run_demo

    if args.reset:
        try:
            deleted = reset_demo_data(args.db)
        except ResetRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"reset: deleted {', '.join(str(p) for p in deleted) or 'nothing (no demo data yet)'}", flush=True)
    return run_demo(options)


def read_password(name: str) -> str:
    """From a terminal: asked twice without echo; otherwise the first line of stdin (for scripts)."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"new password for {name}: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("error: the two passwords differ")
    return first


def cmd_window(args: argparse.Namespace) -> int:
    """`console` (and the other windows as they are built): one window, against a running server."""
    import dataclasses
    import getpass

    from config.desktop import load_desktop
    from config.schema import ConfigError

    try:
        config = load_desktop()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.lang:
        config = dataclasses.replace(config, client=dataclasses.replace(config.client, language=args.lang))
    from views.desktop import available_windows, run_windows
    from views.launch import Credentials

    if args.command not in available_windows():
        print(f"the {args.command} window is not built yet (see the open issues); `console` works.", file=sys.stderr)
        return 2
    password = getpass.getpass(f"{args.user} 的密码: ") if args.user and not args.token else ""
    credentials = Credentials(args.server or config.client.server, args.token or "", args.user or "", password)
    return run_windows([args.command], credentials, config, args.screen)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "user":
        return cmd_user(args)
    if args.command in WINDOWS:
        return cmd_window(args)
    if args.command is None and not args.no_windows and has_display():
        from views.demo_desktop import run_desktop_demo

        return run_desktop_demo(serve_argv(args), args.port)
    return cmd_demo(args)  # `serve`, or no command without a display: the server and simulator alone


def serve_argv(args: argparse.Namespace) -> list[str]:
    """The bare command's options as a `serve --demo` command line for the demo's server child."""
    argv = ["serve", "--demo", "--port", str(args.port), "--simulate", str(args.simulate), "--history",
            str(args.history), "--speed", str(args.speed)]
    for flag, value in (("--db", args.db), ("--start", args.start), ("--seed", args.seed)):
        if value is not None:
            argv += [flag, str(value)]
    return argv + [flag for flag, on in (("--human-desk", args.human_desk), ("--reset", args.reset)) if on]


def has_display() -> bool:
    import os

    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


if __name__ == "__main__":
    sys.exit(main())
