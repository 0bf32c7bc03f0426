"""Login: the server's address and either a token (issued by `python main.py user add`) or a user name and password
(set by `python main.py user passwd`); refused credentials come back here with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class LoginDialog(QDialog):
    def __init__(self, server: str, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录 — 昌南治理指挥中心"))
        self.server = QLineEdit(server, self)
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("令牌，或留空改用用户名和密码"))
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLabel(reason, self)
        self.reason.setStyleSheet("color: #c62828;")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        form = QFormLayout()
        form.addRow(self.tr("服务器"), self.server)
        form.addRow(self.tr("令牌"), self.token)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _accept_if_complete(self) -> None:
        if not self.server.text().strip().startswith(("ws://", "wss://")):
            self._say(self.tr("服务器地址应以 ws:// 或 wss:// 开头"))
        elif not self.token.text().strip() and not (self.user.text().strip() and self.password.text()):
            self._say(self.tr("请输入令牌，或用户名和密码"))
        else:
            self.accept()

    def _say(self, text: str) -> None:
        self.reason.setText(text)
        self.reason.setVisible(True)

    def credentials(self) -> tuple[str, str, str, str]:
        """(server, token, user, password); token empty when logging in by name and password."""
        return self.server.text().strip(), self.token.text().strip(), self.user.text().strip(), self.password.text()
