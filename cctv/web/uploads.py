"""Large uploads: evidence exports hashed as they arrive (gigabytes), and police.uk crime files streamed to disk.

The app's MAX_CONTENT_LENGTH (20 MB) protects every other form. The routes in `LIMITS` take up to their own
setting instead. The evidence routes (`STREAMED`) send their files to `custody.Sha256Sink`, which hashes each chunk
the multipart parser hands it and keeps nothing: no file in memory or on disk, whatever its size. The crime upload
keeps Werkzeug's own file stream, which spools to a temporary file past half a megabyte, so a year's zip never sits
in memory. All of this is decided per request by the matched endpoint, before anything reads the body (the CSRF
check reads the form before any view runs).
"""

from typing import Any

from flask import Request, current_app, request

from cctv.controlroom.custody import Sha256Sink
from cctv.controlroom.evidence import hash_stream

STREAMED = frozenset({"evidence.add_media", "evidence.move"})
LIMITS = {"evidence.add_media": "EVIDENCE_UPLOAD_MAX_BYTES", "evidence.move": "EVIDENCE_UPLOAD_MAX_BYTES",
          "crimes.upload": "CRIME_UPLOAD_MAX_BYTES"}  # endpoint → the setting that is its body limit


class StreamingRequest(Request):
    """Flask's request, with larger body limits on the upload routes (`LIMITS`) and a hashing file sink on the
    evidence routes."""

    @property  # type: ignore[override]
    def max_content_length(self) -> int | None:
        """The route's own limit (`LIMITS`), MAX_CONTENT_LENGTH elsewhere."""
        if self._max_content_length is None and self.endpoint in LIMITS:
            return int(current_app.config[LIMITS[self.endpoint]])
        return super().max_content_length

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> Any:
        if self.endpoint in STREAMED:
            return Sha256Sink()
        return super()._get_file_stream(total_content_length, content_type, filename, content_length)


def uploaded_hash(field: str) -> tuple[tuple[str, int] | None, str]:
    """((SHA-256, size), file name) of the file uploaded in `field`; (None, "") when no file was chosen."""
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        return None, ""
    stream: Any = upload.stream
    if isinstance(stream, Sha256Sink):
        return (stream.hexdigest(), stream.size), upload.filename
    return hash_stream(stream), upload.filename
