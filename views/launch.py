"""Opening a window for a user: login if needed, the window on its screen, and back to login if the server refuses
the credentials (a disabled user, an expired token) — with the reason, never a dead window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

from app.context import WindowContext
from app.session import Session
from app.windows import Placement, place
from views.login import LoginDialog

WindowFactory = Callable[[WindowContext], QMainWindow]


@dataclass
class Credentials:
    server: str
    token: str = ""
    user: str = ""
    password: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.server and (self.token or (self.user and self.password)))


class WindowLauncher(QObject):
    """Keeps one window of one kind open for a logged-in user; `ask` shows the login dialog (tests replace it)."""

    def __init__(self, name: str, factory: WindowFactory, parts: list[str], placement: Placement,
                 credentials: Credentials, ask: Callable[[Credentials, str], Credentials | None] | None = None,
                 case_list: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name, self.factory, self.parts, self.placement = name, factory, parts, placement
        self.case_list = case_list
        self.credentials = credentials
        self.ask = ask or ask_with_dialog
        self.window: QMainWindow | None = None
        self.context: WindowContext | None = None
        self.refusals: list[str] = []

    def start(self) -> bool:
        """Opens the window (asking for credentials first if there are none). False: the user gave up."""
        if not self.credentials.complete:
            answer = self.ask(self.credentials, "")
            if answer is None:
                return False
            self.credentials = answer
        self._open()
        return True

    def _open(self) -> None:
        c = self.credentials
        session = Session(c.server, c.token, console=f"{self.name}-{QApplication.applicationPid()}", parts=self.parts,
                          user=c.user or None, password=c.password or None)
        self.context = WindowContext(session, case_list=self.case_list)
        self.window = self.factory(self.context)
        session.auth_failed.connect(self._refused)
        place(self.window, self.placement)
        session.start()

    def _refused(self, reason: str) -> None:
        """The server refused the credentials: close this window and ask again, saying why."""
        self.refusals.append(reason)
        self.close()
        QTimer.singleShot(0, lambda: self._ask_again(reason))

    def _ask_again(self, reason: str) -> None:
        answer = self.ask(self.credentials, reason)
        if answer is None:
            QApplication.quit()
            return
        self.credentials = answer
        self._open()

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        self.window, self.context = None, None


def ask_with_dialog(credentials: Credentials, reason: str) -> Credentials | None:
    shown = QApplication.translate("Login", "服务器拒绝了登录：{0}").format(reason) if reason else ""
    dialog = LoginDialog(credentials.server, shown)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    server, token, user, password = dialog.credentials()
    return Credentials(server, token, user, password)
