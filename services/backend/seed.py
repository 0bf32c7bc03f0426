"""Demo data: the real names (21 township-level units, 38 departments, 8 intake channels) used by the demo county
generator (services/demo/county.py), loading that county into an empty store, and one demo user per role."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from services.backend.store import Store
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


def demo_tokens_path(store: Store) -> Path | None:
    url = make_url(store.engines.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_name("demo-tokens.json")
    return None


def ensure_demo(store: Store) -> dict[str, str]:
    """Loads the generated demo county and demo users if the store has none; prints the demo tokens."""
    if not store.snapshot(["townships"])["townships"]:
        from services.demo.county import generate_county, store_rows  # the generator imports the names above

        store.load_reference(store_rows(generate_county()))
    path = demo_tokens_path(store)
    tokens: dict[str, str] = json.loads(path.read_text()) if path and path.exists() else {}
    existing = {u["name"] for u in store.list_users()}
    for role in Role:
        name = f"demo_{role.value}"
        if name in existing:
            continue
        tokens[name] = store.create_user(name, role, department_id=1 if role == Role.department else None,
                                         township_id=1 if role in (Role.village, Role.grid_worker) else None)
    if path:
        path.write_text(json.dumps(tokens, indent=1))
        os.chmod(path, 0o600)
    for name, token in sorted(tokens.items()):
        print(f"demo user {name:<20} token {token}", flush=True)
    return tokens
