"""Pure rules of the recorder, in process: state transitions, camera sentences, failure sentences."""

import asyncio
import socket

import pytest

from recorder import failures
from recorder.camera_messages import BadAnswer, StreamEnded, describe
from recorder.models import RecordingState, may_become

S = RecordingState
ALLOWED = {
    (S.RECORDING, S.STOPPING), (S.RECORDING, S.FINALIZING), (S.STOPPING, S.FINALIZING),
    (S.FINALIZING, S.FINALIZED), (S.FINALIZING, S.RECOVERED), (S.FINALIZING, S.FAILED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_a_recording_moves_only_forward_and_an_ended_one_never_moves(current, target):
    assert may_become(current, target) == ((current, target) in ALLOWED)


WHERE = "127.0.0.1:8589"


@pytest.mark.parametrize(("exc", "connected", "expected"), [
    (ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 8589)"), False,
     "Camera unreachable at 127.0.0.1:8589 (connection refused); retrying every 8 s."),
    (socket.gaierror(-2, "Name or service not known"), False,
     "Camera unreachable at 127.0.0.1:8589 (host name not found); retrying every 8 s."),
    (OSError(113, "No route to host"), False,
     "Camera unreachable at 127.0.0.1:8589 (host unreachable); retrying every 8 s."),
    (TimeoutError(), False,
     "Camera unreachable at 127.0.0.1:8589 (no answer within 5 s); retrying every 8 s."),
    (TimeoutError(), True,
     "Camera at 127.0.0.1:8589 stopped sending video (nothing for 5 s); retrying every 8 s."),
    (BadAnswer("HTTP/1.0 404 Not Found"), False,
     "Camera at 127.0.0.1:8589 answered HTTP/1.0 404 Not Found instead of a video stream; check the camera "
     "URL; retrying every 8 s."),
    (StreamEnded(""), True, "Camera at 127.0.0.1:8589 ended the video stream; retrying every 8 s."),
    (asyncio.IncompleteReadError(b"", 10), True,
     "Camera at 127.0.0.1:8589 ended the video stream; retrying every 8 s."),
    (ValueError("no JPEG start marker"), True,
     "Camera at 127.0.0.1:8589 sent data that is not a video stream; check the camera kind and URL; "
     "retrying every 8 s."),
])
def test_camera_problems_are_one_sentence_without_the_exception(exc, connected, expected):
    sentence = describe(exc, WHERE, 8.0, was_connected=connected, timeout=5.0)
    assert sentence == expected
    assert type(exc).__name__ not in sentence and "Errno" not in sentence


def test_the_retry_in_the_sentence_is_the_current_backoff_step():
    from recorder.proxy import backoff_step

    sentences = [describe(ConnectionRefusedError(), WHERE, backoff_step(n)) for n in (1, 3, 9)]
    assert [s.rsplit("every ", 1)[1] for s in sentences] == ["0.5 s.", "2 s.", "8 s."]


NO_VIDEO = "no video was written (the camera sent no frame?)"


@pytest.mark.parametrize(("error", "log", "camera", "start"), [
    ("the re-mux failed (exit 1): x.mp4: No space left on device", "", None, "The disk is full"),
    (NO_VIDEO, "av_interleaved_write_frame(): No space left on device", None, "The disk is full"),
    (NO_VIDEO, "", {"connected": False, "message": "Camera unreachable at 10.0.0.9:80 (connection refused); "
                                                   "retrying every 8 s."},
     "No frame was received: Camera unreachable at 10.0.0.9:80 (connection refused); check the camera"),
    (NO_VIDEO, "The camera proxy did not start listening within 20s", None,
     "No frame was received: the camera proxy did not start; see its unit cam-3"),
    (NO_VIDEO, "", {"connected": True, "message": ""}, "No frame was received from the camera"),
    ("the re-mux failed (exit 1): Invalid data found", "", None, "The recorded video could not be assembled"),
])
def test_a_failed_recording_says_why_in_one_sentence(error, log, camera, start):
    sentence = failures.explain(error, log, camera, "cam-3")
    assert sentence.startswith(start)
    assert sentence.endswith(".") and "\n" not in sentence and "exit 1" not in sentence
