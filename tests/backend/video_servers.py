"""Real video sources for the video tests: an ffmpeg HTTP MJPEG server and Debian's GStreamer RTSP server, both on
127.0.0.1, started and stopped by process id."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

GST_PYTHON = "/usr/bin/python3"
RTSP_SCRIPT = Path(__file__).with_name("video_rtsp_server.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll until `predicate()` holds; AssertionError naming `what` if it does not within `timeout` (a bound for
    failing, not a timing assertion)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start_mjpeg_server(port: int, width: int = 320, height: int = 180) -> subprocess.Popen[bytes]:
    """ffmpeg serving a live test pattern as multipart JPEG to one client at http://127.0.0.1:PORT/x."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is not installed (./run setup installs it)")
    args = [ffmpeg, "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
            "-i", f"testsrc=size={width}x{height}:rate=25", "-c:v", "mjpeg", "-q:v", "6",
            "-f", "mpjpeg", "-listen", "1", f"http://127.0.0.1:{port}/x"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: port_open(port) or process.poll() is not None, 10, "the MJPEG server to listen")
    return process


def rtsp_available() -> bool:
    if not Path(GST_PYTHON).exists():
        return False
    check = "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"
    return subprocess.run([GST_PYTHON, "-c", check], capture_output=True).returncode == 0


def start_rtsp_server(port: int, width: int = 320, height: int = 180) -> subprocess.Popen[bytes]:
    """GStreamer's RTSP server (system python3) with a live H.264 test pattern at rtsp://127.0.0.1:PORT/x."""
    process = subprocess.Popen([GST_PYTHON, str(RTSP_SCRIPT), str(port), str(width), str(height)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: port_open(port) or process.poll() is not None, 10, "the RTSP server to listen")
    return process


def port_open(port: int) -> bool:
    """A socket listens on the port (read from /proc, not by connecting: ffmpeg's -listen 1 serves one client only)."""
    with open("/proc/net/tcp", encoding="ascii") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return any(row[1].endswith(f":{port:04X}") and row[3] == "0A" for row in rows)


def kill(process: subprocess.Popen[bytes]) -> None:
    """End a server we started (SIGKILL works on a stopped one too) and reap it."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
