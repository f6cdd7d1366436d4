"""The rule every long-lived stream follows: relay until the grant stops holding (in process, fast)."""

import asyncio

import pytest

from mediasuite import access


class Source:
    """An async stream that yields `first` then stays silent; knows whether it was closed."""

    def __init__(self, first):
        self.first, self.closed = first, False

    async def chunks(self):
        try:
            for chunk in self.first:
                yield chunk
            await asyncio.Event().wait()  # a camera that sends nothing more
        finally:
            self.closed = True


def relay(source, grant):
    async def run():
        return [chunk async for chunk in access.until_revoked(source.chunks(), grant)]
    return asyncio.run(asyncio.wait_for(run(), 10))


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.ACCESS_RECHECK_SECONDS = 0.05


def test_a_silent_stream_ends_when_access_goes_and_its_source_is_closed(db):
    allowed = {"yes": True}
    source = Source([b"a", b"b"])

    def still(user):
        answer = allowed["yes"]
        allowed["yes"] = False  # revoked right after the first check
        return answer

    assert relay(source, access.Grant(user_id=None, resource=still)) == [b"a", b"b"]
    assert source.closed


def test_a_deactivated_user_or_a_changed_password_fails_the_grant(db, make_user):
    user = make_user("paul")
    grant = access.grant(user)
    assert grant.holds()
    user.set_password("another-password-1")
    user.save()
    assert not grant.holds()
    again = access.grant(user)
    user.is_active = False
    user.save()
    assert not again.holds()
    assert access.grant(user, password=False).password is None


def test_a_stream_that_ends_by_itself_ends_the_relay(db):
    async def finite():
        yield b"x"

    async def run():
        return [c async for c in access.until_revoked(finite(), access.Grant(user_id=None))]
    assert asyncio.run(run()) == [b"x"]
