"""POST /api/channel-token: a new channel access token for oneself, answered with the new player URLs."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite.api.errors import ErrorSerializer

from .. import tokens, viewers
from ..pages import player_urls


class PlayerUrlsSerializer(serializers.Serializer):
    m3u_url = serializers.URLField(help_text="The M3U playlist URL, carrying the new token.")
    xmltv_url = serializers.URLField(help_text="The XMLTV guide URL, carrying the new token.")


class ChannelTokenView(APIView):
    """Replace one's own channel access token: every URL with the old one stops working at once."""

    @extend_schema(request=None, responses={200: PlayerUrlsSerializer, 401: ErrorSerializer,
                                            403: ErrorSerializer},
                   summary="New playlist URL (the old one stops working)", tags=["channels"])
    def post(self, request):
        tokens.regenerate(request.user, viewers.token_for(request.user))
        return Response(PlayerUrlsSerializer(player_urls(request)).data)
