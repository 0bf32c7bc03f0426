"""Start-up of the desktop, in one readable place: the QApplication, its font and language, the windows.

    app = make_application(config)        # QApplication, CJK font, translations
    ...build windows (views/) and place them (app/windows.py)...
    app.exec()

The language: user-visible strings are written in Simplified Chinese through Qt's translation system (`tr`), so
zh_CN needs no file of ours (only Qt's own qt_zh_CN for standard buttons); English loads resources/i18n/ccc_en.qm.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from config.desktop import DesktopConfig

log = logging.getLogger(__name__)
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")
BASE_POINT_SIZE = 11
"""≈ 15 px at 96 dpi: read all shift long at a console."""


def pick_cjk_font(families: list[str]) -> str | None:
    """The first installed family that has Chinese glyphs, in our order of preference."""
    installed = set(families)
    return next((family for family in CJK_FONTS if family in installed), None)


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Qt's own strings in the chosen language; ours in English when asked (our sources are Chinese)."""
    translators: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_file = "qtbase_zh_CN" if language == "zh_CN" else "qtbase_en"
    qt = QTranslator(app)
    if qt.load(qt_file, qt_dir):
        translators.append(qt)
    if language == "en":
        ours = QTranslator(app)
        if ours.load(str(I18N_DIR / "ccc_en.qm")):
            translators.append(ours)
        else:
            log.warning("English translation %s not found: showing Chinese", I18N_DIR / "ccc_en.qm")
    for translator in translators:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese if language == "zh_CN" else QLocale.Language.English,
                               QLocale.Country.China if language == "zh_CN" else QLocale.Country.UnitedStates))
    return translators


def make_application(config: DesktopConfig, argv: list[str] | None = None) -> QApplication:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1" if os.geteuid() == 0 else "0")
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("昌南治理指挥中心")
    app.setOrganizationName("changnan-command-center")
    family = pick_cjk_font(QFontDatabase.families())
    font = QFont(family) if family else app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    if family is None:
        log.warning("no CJK font installed (install fonts-noto-cjk or fonts-wqy-microhei): Chinese shows as boxes")
    app.setProperty("ccc_translators", install_translations(app, config.client.language))
    return app
