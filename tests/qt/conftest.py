"""Qt tests run headless: offscreen platform unless the caller chose one (xvfb-marked tests use xcb)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtWebEngine exits at once as root without this (PLATFORM-NOTES).
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
