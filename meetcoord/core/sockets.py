"""Socket.IO namespaces: registered once per process, for every app built in it."""

from __future__ import annotations

from flask_socketio import Namespace

from meetcoord.extensions import socketio

_registered: set[str] = set()


def register_namespace(handler: Namespace) -> None:
    """Once per process: ``socketio`` is one object shared by every app (tests make two).

    Before any ``init_app`` the handler is queued for every app; if a server existed
    already, ``on_namespace`` bound it to that one only, so queue it for later apps too.
    """
    if handler.namespace in _registered:
        return
    socketio.on_namespace(handler)
    if handler not in socketio.namespace_handlers:
        socketio.namespace_handlers.append(handler)
    _registered.add(handler.namespace)
