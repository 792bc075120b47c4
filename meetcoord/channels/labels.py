"""Channel words for pages, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from meetcoord.channels.models import ChannelAudience, ChannelKind

KIND_LABELS = {
    ChannelKind.VIDEO_MEETING: _l("Rapat video"),
    ChannelKind.LIVESTREAM: _l("Siaran langsung"),
    ChannelKind.RECORDING: _l("Rekaman"),
}

AUDIENCE_LABELS = {
    ChannelAudience.ONLINE: _l("Peserta daring"),
    ChannelAudience.EVERYONE: _l("Semua peserta"),
    ChannelAudience.SITE: _l("Satu lokasi"),
}
