"""Login: the server's address and a token (issued by `python main.py user add`); a refused token comes back here
with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class LoginDialog(QDialog):
    def __init__(self, server: str, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录 — 昌南治理指挥中心"))
        self.server = QLineEdit(server, self)
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("管理员用 python main.py user add 签发的令牌"))
        self.reason = QLabel(reason, self)
        self.reason.setStyleSheet("color: #c62828;")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        form = QFormLayout()
        form.addRow(self.tr("服务器"), self.server)
        form.addRow(self.tr("令牌"), self.token)
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
        elif not self.token.text().strip():
            self._say(self.tr("请输入令牌"))
        else:
            self.accept()

    def _say(self, text: str) -> None:
        self.reason.setText(text)
        self.reason.setVisible(True)

    def credentials(self) -> tuple[str, str]:
        return self.server.text().strip(), self.token.text().strip()
