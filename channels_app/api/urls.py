from django.urls import path

from mediasuite.api.urls import OptionalSlashRouter

from .token import ChannelTokenView
from .views import ChannelViewSet

router = OptionalSlashRouter()
router.register("channels", ChannelViewSet, basename="channel")
urlpatterns = [path("channel-token", ChannelTokenView.as_view(), name="channel-token"), *router.urls]
