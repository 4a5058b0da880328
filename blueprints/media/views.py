"""Uploaded and generated images, served from instance/uploads."""

from flask import current_app, send_from_directory

from . import bp


@bp.get("/media/<path:filename>")
def file(filename: str):
    # send_from_directory refuses paths that climb out of the folder.
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], filename, max_age=31536000)
