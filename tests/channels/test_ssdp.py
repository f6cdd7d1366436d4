"""The tuner's SSDP answer: Plex's and Jellyfin's M-SEARCH for a media server gets device.xml's address."""

import socket

import pytest
from django.test import override_settings

from channels_app import ssdp

SEARCH = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
          "ST: {target}\r\n\r\n")


def test_a_search_for_a_media_server_is_answered_with_the_device_description():
    reply = ssdp.answer(SEARCH.format(target="urn:schemas-upnp-org:device:MediaServer:1").encode(),
                        "http://10.0.0.5:8000/device.xml", "abc").decode()
    lines = reply.split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK" and reply.endswith("\r\n\r\n")
    assert "LOCATION: http://10.0.0.5:8000/device.xml" in lines
    assert "ST: urn:schemas-upnp-org:device:MediaServer:1" in lines
    assert "USN: uuid:abc::urn:schemas-upnp-org:device:MediaServer:1" in lines
    everything = ssdp.answer(SEARCH.format(target="ssdp:all").encode(), "x", "abc").decode()
    assert "ST: upnp:rootdevice" in everything


@pytest.mark.parametrize("datagram", [
    SEARCH.format(target="urn:dial-multiscreen-org:service:dial:1"),  # someone else's device
    "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\n\r\n",
    "M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n",  # no MAN: not a discovery
    "\x00\xff garbage",
])
def test_other_datagrams_are_not_answered(datagram):
    assert ssdp.answer(datagram.encode("latin-1"), "http://x/device.xml", "abc") is None


def test_the_responder_answers_on_its_socket():
    responder = ssdp.Responder("http://10.0.0.5:8000/device.xml", lambda: "abc", port=0, group=None).start()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(5)
            client.sendto(SEARCH.format(target="upnp:rootdevice").encode(), ("127.0.0.1", responder.port))
            reply = client.recv(2048).decode()
        assert "LOCATION: http://10.0.0.5:8000/device.xml" in reply
        assert "USN: uuid:abc::upnp:rootdevice" in reply
    finally:
        responder.close()


def test_it_stays_off_unless_asked_and_the_tuner_is_open_on_the_lan():
    assert ssdp.start_if_wanted() is None  # off by default
    with override_settings(CHANNELS_TUNER_SSDP=True, CHANNELS_OPEN_ACCESS=False):
        assert ssdp.start_if_wanted() is None  # a tuner found on the LAN could not be opened
