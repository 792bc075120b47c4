"""``GET /api/v1/jobs/<id>``: the progress of background work a request started.

An endpoint that answers ``202 Accepted`` puts this resource's URL in ``Location``; a
client polls it until ``status`` is ``done`` or ``failed``.
"""

from __future__ import annotations

from flask.views import MethodView

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, problems
from meetcoord.core.forms import current_actor
from meetcoord.jobs import services
from meetcoord.jobs.models import Job
from meetcoord.jobs.schemas import JobSchema

blp = ApiBlueprint(
    "jobs_api", __name__, url_prefix="/jobs", description="Pekerjaan latar dan kemajuannya."
)


@blp.route("/<int:id>")
class JobItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Satu pekerjaan latar",
        description="Kemajuan: status queued → running → done (atau failed), total, done, "
        "failed dan alasan kegagalan per unit. Hanya pekerjaan lembaga Anda.",
    )
    @blp.response(200, JobSchema)
    @problems(blp, 401, 404)
    def get(self, id: int) -> Job:
        return services.get_job(id, current_actor())


blueprints: list[ApiBlueprint] = [blp]
