"""Stand-ins for the outside world, for the demo (`make run`), the tests and the benches: not the product.

    mjpeg_camera   a synthetic MJPEG IP camera (Pillow draws a clock and a counter)
    rtsp_camera    a synthetic RTSP/H.264 camera (ffmpeg's test pattern, relayed)
    servers        closing a stand-in camera the way a real one goes away
    clips          short generated videos (ffmpeg) that the demo channels and the tests play

The apps never import these; they run the cameras as processes by module
name (the `synthetic-camera` unit kind) and `*/demo.py` uses the clips to
create demo data. Fakes of hosted services (TMDB, Sonarr, ...) are test-only
and live in tests/fakes/.
"""
