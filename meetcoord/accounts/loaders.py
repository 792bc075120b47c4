"""How a request becomes a staff ``User`` for Flask-Login: a sign-in key or a bearer token.

Here and not in ``core.security``: core knows no feature (DESIGN §3), so ``create_app``
plugs these loaders into the login manager it has bound, as it registers everything else.
"""

from __future__ import annotations

from flask import Request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from meetcoord.accounts.models import User
from meetcoord.accounts.services import user_for_token
from meetcoord.accounts.sessions import user_for_key


def init_login(login_manager: LoginManager) -> None:
    """Where a signed-out visitor is sent, and the two ways a request is signed in."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "warning"
    # Flask-Login's own message is English ("Please log in to access this page."); this one
    # is translated when it is flashed, in the language the visitor reads (str: the flash
    # is stored in the session as text, not as a lazy string).
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.needs_refresh_message = _l("Silakan masuk lagi untuk membuka halaman ini.")
    login_manager.localize_callback = str
    # "basic", not "strong": on mobile networks in eastern Indonesia the address changes
    # mid-session, and "strong" would sign a secretariat out in the middle of a meeting.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(login_key: str) -> User | None:
        # The cookies name a sign-in, not an account (accounts.sessions): a sign-in that
        # ended (logout, new password, new role, deactivation) loads no one.
        return user_for_key(login_key) if isinstance(login_key, str) else None

    @login_manager.request_loader
    def load_user_from_bearer(req: Request) -> User | None:
        header = req.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret:
            return None
        return user_for_token(secret.strip())
