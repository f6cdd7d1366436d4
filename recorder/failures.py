"""Why a recording has no playable video, as one sentence that says what to do.

The technical detail (the re-mux error, the ffmpeg log) stays in the
recording's event and `stderr_tail`; this sentence is what pages and the API's
`failure` field show.
"""

DISK_FULL_MARKS = ("No space left on device", "Disk quota exceeded")
NO_PROXY_MARK = "did not start listening"


def explain(error: str, log: str, camera: dict | None, proxy_unit: str) -> str:
    """`error`: media.assemble's error; `log`: the ffmpeg log tail; `camera`: the proxy's last status."""
    if any(mark in error or mark in log for mark in DISK_FULL_MARKS):
        return ("The disk is full, so the video could not be written; free space in the recordings "
                "folder (or lower the clubs' retention), then record again.")
    if error.startswith("no video was written"):
        if camera and not camera.get("connected") and camera.get("message"):
            problem = camera["message"].split(";")[0]
            return f"No frame was received: {problem}; check the camera, then record again."
        if NO_PROXY_MARK in log:
            return (f"No frame was received: the camera proxy did not start; see its unit {proxy_unit} "
                    "in the admin, then record again.")
        return ("No frame was received from the camera before the recording ended; check that the "
                "camera streams, then record again.")
    return ("The recorded video could not be assembled into an MP4; its parts are kept on the server "
            "and the recording's log says why.")
