from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.get("/organizations")
def organizations() -> str:
    return "organizations"
