"""Demo data: the real names (21 township-level units, 38 departments, 8 intake channels) used by the demo county
generator (services/demo/county.py), loading that county into an empty store, one demo user per role, and the
simulator's accounts (services/demo/simulator.py)."""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import make_url

from services.backend import tables
from services.backend.store import Store, hash_token
from services.domain.model import Role

TOWNSHIPS: list[tuple[str, str]] = [
    ("莲塘街道", "街道"), ("东新街道", "街道"), ("八月湖街道", "街道"), ("银三角街道", "街道"),
    ("向塘镇", "镇"), ("蒋巷镇", "镇"), ("幽兰镇", "镇"), ("塘南镇", "镇"), ("武阳镇", "镇"), ("冈上镇", "镇"),
    ("广福镇", "镇"), ("三江镇", "镇"), ("泾口乡", "乡"), ("南新乡", "乡"), ("八一乡", "乡"), ("黄马乡", "乡"),
    ("塔城乡", "乡"), ("富山乡", "乡"), ("小蓝经济技术开发区", "开发区"), ("金湖管理处", "管理处"),
    ("银湖管理处", "管理处"),
]

DEPARTMENTS: list[str] = [
    "县公安局", "县住建局", "县城管局", "县生态环境局", "县水利局", "县应急管理局", "县市场监管局", "县交通运输局",
    "县民政局", "县卫健委", "县教育局", "县人社局", "县农业农村局", "县自然资源局", "国网南昌县供电公司",
    "县司法局", "县信访局", "县财政局", "县发改委", "县工信局", "县商务局", "县文广新旅局", "县林业局",
    "县退役军人事务局", "县医保局", "县行政审批局", "县消防救援大队", "县税务局", "县统计局", "县审计局",
    "县总工会", "团县委", "县妇联", "县残联", "县法院", "县检察院", "县水务集团", "县交警大队",
]

CHANNELS: list[tuple[str, str]] = [
    ("hotline_12345", "12345热线"), ("digital_city", "数字城管"), ("peace_volunteer", "省平安志愿者平台"),
    ("municipal_platform", "市综治平台"), ("grid_app", "网格员APP"), ("citizen_app", "群众APP"),
    ("walk_in", "来访窗口"), ("video_alarm", "视频告警"),
]


def minimal_reference() -> dict[str, list[dict[str, Any]]]:
    townships = [{"id": i, "code": f"360121{i:03d}", "name": n, "kind": k, "geometry": None}
                 for i, (n, k) in enumerate(TOWNSHIPS, start=1)]
    departments = [{"id": i, "code": f"D{i:02d}", "name": n, "leader": "", "liaison": "",
                    "township_ids": [((i - 1) % len(TOWNSHIPS)) + 1]} for i, n in enumerate(DEPARTMENTS, start=1)]
    channels = [{"code": c, "name": n} for c, n in CHANNELS]
    return {"townships": townships, "departments": departments, "channels": channels}


SIM_DESK, SIM_INTAKE, SIM_ANALYTICS, SIM_MEDIATOR = "sim_desk", "sim_intake", "sim_analytics", "sim_mediator"
SIM_DEPT_PREFIX, SIM_VILLAGE_PREFIX, SIM_GRID_PREFIX = "sim_dept_", "sim_village_", "sim_grid_"


def sim_department_user(department_id: int) -> str:
    return f"{SIM_DEPT_PREFIX}{department_id:02d}"


def sim_village_user(township_id: int) -> str:
    return f"{SIM_VILLAGE_PREFIX}{township_id:02d}"


def sim_grid_user(township_id: int) -> str:
    return f"{SIM_GRID_PREFIX}{township_id:02d}"


UserSpec = tuple[str, Role, int | None, int | None]
"""(name, role, department_id, township_id)."""


def demo_users() -> list[UserSpec]:
    """One `demo_<role>` user per role, for people trying the demo at a console."""
    return [(f"demo_{role.value}", role, 1 if role == Role.department else None,
             1 if role in (Role.village, Role.grid_worker) else None) for role in Role]


def simulator_users(department_ids: list[int], township_ids: list[int]) -> list[UserSpec]:
    """The simulator's accounts (services/demo/simulator.py): the duty desk, a channel integration, video analytics,
    the mediation center, one per department, one village and one grid worker per township."""
    users: list[UserSpec] = [(SIM_DESK, Role.duty_officer, None, None), (SIM_INTAKE, Role.intake, None, None),
                             (SIM_ANALYTICS, Role.analytics, None, None), (SIM_MEDIATOR, Role.mediator, None, None)]
    users += [(sim_department_user(d), Role.department, d, None) for d in department_ids]
    users += [(sim_village_user(t), Role.village, None, t) for t in township_ids]
    users += [(sim_grid_user(t), Role.grid_worker, None, t) for t in township_ids]
    return users


def demo_tokens_path(store: Store) -> Path | None:
    url = make_url(store.engines.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_name("demo-tokens.json")
    return None


def read_tokens(path: Path | None) -> dict[str, str]:
    """The demo tokens kept beside the SQLite file; {} when there is none or it is not a name -> token map."""
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def reissue_token(store: Store, name: str) -> str:
    """A new token for an existing user (the old one stops working); audited like `user add`."""
    token = secrets.token_urlsafe(24)
    now = time.time()
    with store.engines.write.begin() as conn:
        conn.execute(update(tables.User).where(tables.User.name == name).values(
            token_hash=hash_token(token), token_expires_at=now + store.rules.server.token_ttl_days * 86400.0))
    store.audit(None, "user.token_reissued", "ok", {"name": name})
    return token


def ensure_demo(store: Store) -> dict[str, str]:
    """Loads the demo county if the store has none; makes sure every demo and simulator user exists with a token
    we know. Returns name -> token for all of them; prints only the `demo_*` ones.

    Tokens are kept (0600) in demo-tokens.json beside a SQLite file. A user whose token is not known (PostgreSQL
    has no such file; or the file is gone or stale) gets: simulator accounts a fresh token on every start (the old one
    stops working; nobody types them); `demo_*` users on SQLite a fresh token too (the demo is local), on PostgreSQL
    nothing: their tokens were printed once when they were made, like `user add`.
    """
    if not store.snapshot(["townships"])["townships"]:
        from services.demo.county import generate_county, store_rows  # the generator imports the names above

        store.load_reference(store_rows(generate_county()))
    path = demo_tokens_path(store)
    known = read_tokens(path)
    refs = store.snapshot(["departments", "townships"])
    wanted = demo_users() + simulator_users([d["id"] for d in refs["departments"]],
                                            [t["id"] for t in refs["townships"]])
    existing = {u["name"] for u in store.list_users()}
    tokens: dict[str, str] = {}
    unknown_demo: list[str] = []
    for name, role, department_id, township_id in wanted:
        token = known.get(name)
        if name not in existing:
            tokens[name] = store.create_user(name, role, department_id, township_id)
        elif token is not None and _still_valid(store, name, token):
            tokens[name] = token
        elif path is not None or name.startswith("sim_"):
            tokens[name] = reissue_token(store, name)
        else:
            unknown_demo.append(name)
    if path:
        path.write_text(json.dumps(tokens, indent=1, ensure_ascii=False))
        os.chmod(path, 0o600)
    for name, token in sorted(tokens.items()):
        if name.startswith("demo_"):
            print(f"demo user {name:<20} token {token}", flush=True)
    if unknown_demo:
        print(f"demo users {', '.join(unknown_demo)}: tokens were printed when they were made (not stored on "
              "PostgreSQL); `main.py user add` makes new users", flush=True)
    return tokens


def _still_valid(store: Store, name: str, token: str) -> bool:
    actor = store.authenticate(token)
    return actor is not None and actor.name == name
