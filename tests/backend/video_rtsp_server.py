"""An RTSP test server on GStreamer (run with the system python3: python3-gi, gir1.2-gst-rtsp-server-1.0).

    /usr/bin/python3 video_rtsp_server.py PORT WIDTH HEIGHT   ->  rtsp://127.0.0.1:PORT/x, live H.264 at 25 fps
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> None:
    port, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate=25/1"
        " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! rtph264pay name=pay0 pt=96 )"
    )
    factory.set_shared(True)
    server.get_mount_points().add_factory("/x", factory)
    server.attach(None)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
