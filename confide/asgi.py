"""The ASGI application: HTTP through Django, WebSockets through Channels."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.settings")

import django  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

django.setup(set_prefix=False)

from confide.core.asgi_handler import SyncChainASGIHandler  # noqa: E402

# Pages run their whole middleware chain in one hop to Django's sync thread (see asgi_handler).
django_application = SyncChainASGIHandler()

from confide.core.origins import SameOriginValidator  # noqa: E402
from confide.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # Scheme, host and port of the Origin must be the site's own, as for CSRF.
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
