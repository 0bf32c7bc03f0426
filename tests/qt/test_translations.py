"""The English translation (docs/ARCHITECTURE.md decision 18): every source string has English with the same
placeholders, resources/i18n/ccc_en.qm is the .ts compiled, and a real window shows English once it is installed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFormLayout, QLabel

from app.bootstrap import install_translations
from tools import update_translations as ut
from views.case_text import tr as case_tr
from views.dispatch_text import tr as dispatch_tr
from views.login import LoginDialog


def test_every_string_has_english_with_its_placeholders_and_the_qm_is_current() -> None:
    problems = ut.check()
    assert not problems, "run tools/update_translations.py, then translate:\n" + "\n".join(problems)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The English translators installed as `--lang en` installs them; removed (and the locale restored) after."""
    locale = QLocale()
    translators = install_translations(qapp, "en")
    assert any(t.filePath().endswith("ccc_en.qm") for t in translators)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.mark.usefixtures("english")
def test_the_login_dialog_speaks_english() -> None:
    dialog = LoginDialog("ws://127.0.0.1:8765")
    try:
        assert dialog.windowTitle() == "Log in — Changnan Governance Command Center"
        form = dialog.findChild(QFormLayout)
        assert form is not None
        labels = []
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            assert isinstance(label, QLabel)
            labels.append(label.text())
        assert labels == ["Server", "Token", "User name", "Password"]
        assert dialog.token.placeholderText() == "Token, or leave empty to use user name and password"
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Log in"
        dialog._accept_if_complete()  # an empty form: the reason is English too
        assert dialog.reason.text() == "Enter a token, or a user name and password"
    finally:
        dialog.deleteLater()


@pytest.mark.usefixtures("english")
def test_bare_tr_helpers_find_their_english_under_their_own_context() -> None:
    """lupdate files a module-level `tr("…")` under no context; the .qm must answer the helper's context."""
    root = ET.parse(ut.TS).getroot()
    seen = set()
    for message in ut.read_messages(root, ut.TS):
        for file in message.files:
            context = ut.RUNTIME_CONTEXTS.get(file) if not message.context else None
            if context and not message.source.count("%n"):
                assert QCoreApplication.translate(context, message.source) == message.translations[0], (file, message)
                seen.add(file)
    assert seen == set(ut.RUNTIME_CONTEXTS)
    assert case_tr("上报") == "Reported"
    assert dispatch_tr("牵头：{name}", name="县公安局") == "Lead: 县公安局"


def test_the_case_labels_are_the_domains_in_chinese() -> None:
    from app.models.reference import CLASS_LABELS, STATE_LABELS
    from services.domain.model import CASE_STATE_LABELS, RESOLUTION_CLASS_LABELS

    assert STATE_LABELS.source() == {s.value: label for s, label in CASE_STATE_LABELS.items()}
    assert CLASS_LABELS.source() == {c.value: label for c, label in RESOLUTION_CLASS_LABELS.items()}
    assert STATE_LABELS["dispatched"] == "待签收"


@pytest.mark.usefixtures("english")
def test_case_labels_ages_and_headers_come_out_in_english() -> None:
    from app.models.cases import format_span
    from app.models.reference import CLASS_LABELS, STATE_LABELS

    assert STATE_LABELS["dispatched"] == "Awaiting sign-for" and CLASS_LABELS.get("planned") == "County-planned"
    assert format_span(3 * 86400 + 4 * 3600) == "3d 4h" and format_span(125 * 60) == "2h 5m"
