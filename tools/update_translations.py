"""Keep the English translation current: `resources/i18n/ccc_en.ts` from the sources, `ccc_en.qm` from the .ts.

    .venv/bin/python tools/update_translations.py          # lupdate (keeps existing English) + lrelease; counts
    .venv/bin/python tools/update_translations.py --check  # writes nothing; exit 1 when a string lacks English, a
                                                           # placeholder differs, or ccc_en.qm is not the .ts compiled

Our sources are Chinese (`self.tr("中文")`, `QCoreApplication.translate("Context", "中文")`) under app/, views/ and
widgets/. Write the English in the .ts (`pyside6-linguist resources/i18n/ccc_en.ts`, or the XML: fill
`<translation>` and drop `type="unfinished"`), then run this again to compile the .qm.

A bare `tr("…")` or `_tr("…")` (the module-level helpers of views/case_text.py, views/dispatch_text.py,
views/remote_errors.py, views/case_follow.py and app/models/whistles.py, the local one in DispatchDialog) is filed
by lupdate under the empty context, while the helper asks Qt under a context of its own: RUNTIME_CONTEXTS names that
context per file, and the .qm carries those messages under it too.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("app", "views", "widgets")
TS = ROOT / "resources" / "i18n" / "ccc_en.ts"
QM = TS.with_suffix(".qm")
RUNTIME_CONTEXTS = {
    "app/models/cases.py": "CaseModel",
    "app/models/whistles.py": "Whistles",
    "views/case_follow.py": "CaseFollower",
    "views/case_text.py": "CaseText",
    "views/dispatch.py": "Dispatch",
    "views/dispatch_dialog.py": "DispatchDialog",
    "views/dispatch_text.py": "Dispatch",
    "views/camera_preview.py": "VideoFeed",
    "views/remote_errors.py": "RemoteErrors",
    "views/video_feed.py": "VideoFeed",
    "views/wall_assessment.py": "WallFigures",
    "views/wall_figures.py": "WallFigures",
    "views/wall_queries.py": "WallFigures",
    "views/wall_situation.py": "WallFigures",
    "views/wall_window.py": "WallFigures",
}
"""The context a file's bare `tr("…")` / `_tr("…")` translates under at run time (lupdate files it under "")."""
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%L?\d+")


@dataclass
class Message:
    context: str
    source: str
    translations: list[str]
    """One text, or one per plural form (numerus)."""
    finished: bool
    files: list[str]
    """The source files it was found in, relative to the repository."""
    element: ET.Element


def tool(name: str) -> str:
    """`pyside6-lupdate` / `pyside6-lrelease` beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (pip install PySide6)")
    return found


def sources() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))


def lupdate(ts: Path) -> None:
    """Adds new source strings to `ts` (unfinished), keeps the English of the others, drops strings now gone."""
    subprocess.run([tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "absolute",
                    "-tr-function-alias", "tr+=_tr", "-source-language", "zh_CN", "-target-language", "en",
                    *map(str, sources()), "-ts", str(ts)], check=True)


def read_messages(root: ET.Element, ts: Path) -> list[Message]:
    """The live messages of a parsed .ts (`ts` is its path, for the relative source file names)."""
    messages = []
    for context in root.iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            forms = translation.findall("numerusform") if translation is not None else []
            texts = [f.text or "" for f in forms] if forms else [getattr(translation, "text", None) or ""]
            files = [_in_repo(ts, loc.get("filename", "")) for loc in message.iter("location") if loc.get("filename")]
            messages.append(Message(context.findtext("name") or "", message.findtext("source") or "", texts,
                                    kind != "unfinished", files, message))
    return messages


def _in_repo(ts: Path, name: str) -> str:
    """A .ts location (relative to the .ts) as a path in the repository: views/case_text.py."""
    path = (ts.parent / name).resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else name


def problems(messages: list[Message]) -> list[str]:
    """Each string without finished English, with placeholders unlike its source's, or from an unmapped bare tr."""
    found = []
    for m in messages:
        where = f"{m.context or '(bare tr)'} «{m.source}»"
        if not m.finished or not all(t.strip() for t in m.translations):
            found.append(f"{where}: no English yet")
            continue
        ours = Counter(PLACEHOLDER.findall(m.source))
        for text in m.translations:
            if Counter(PLACEHOLDER.findall(text)) != ours:
                found.append(f"{where}: placeholders {sorted(ours)} but «{text}»")
        if not m.context:
            found += [f"{where}: bare tr() in {f}; add its run-time context to RUNTIME_CONTEXTS"
                      for f in m.files if f not in RUNTIME_CONTEXTS]
    return found


def lrelease(ts: Path, qm: Path) -> None:
    """Compiles `ts` into `qm`, each bare-`tr` message under the context(s) its files translate with."""
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name") or "": c for c in root.iter("context")}
    for m in read_messages(root, ts):
        if m.context:
            continue
        for name in sorted({RUNTIME_CONTEXTS[f] for f in m.files if f in RUNTIME_CONTEXTS}):
            if name not in contexts:
                contexts[name] = ET.SubElement(root, "context")
                ET.SubElement(contexts[name], "name").text = name
            if all(other.findtext("source") != m.source for other in contexts[name].iter("message")):
                contexts[name].append(copy.deepcopy(m.element))
    with tempfile.TemporaryDirectory() as tmp:
        mapped = Path(tmp) / ts.name
        tree.write(mapped, encoding="utf-8", xml_declaration=True)
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(mapped), "-qm", str(qm)], check=True)


def check(ts: Path = TS, qm: Path = QM) -> list[str]:
    """What --check reports, writing nothing: the sources' strings as lupdate would merge them into `ts`, and
    whether `qm` is `ts` compiled."""
    with tempfile.TemporaryDirectory() as tmp:
        merged, compiled = Path(tmp) / ts.name, Path(tmp) / qm.name
        if ts.exists():
            shutil.copyfile(ts, merged)
        lupdate(merged)
        found = problems(read_messages(ET.parse(merged).getroot(), merged))
        if ts.exists():
            lrelease(ts, compiled)
            if not qm.exists() or qm.read_bytes() != compiled.read_bytes():
                found.append(f"{qm.name} is not {ts.name} compiled: run tools/update_translations.py")
        return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a string lacks English or the .qm is stale")
    args = parser.parse_args(argv)
    if args.check:
        found = check()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s)" if found else "English translation complete")
        return 1 if found else 0
    TS.parent.mkdir(parents=True, exist_ok=True)
    lupdate(TS)
    messages = read_messages(ET.parse(TS).getroot(), TS)
    lrelease(TS, QM)
    found = problems(messages)
    finished = sum(m.finished for m in messages)
    print(f"{TS.relative_to(ROOT)}: {len(messages)} strings, {finished} translated, "
          f"{len(messages) - finished} unfinished; {QM.relative_to(ROOT)} compiled")
    for line in found:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
