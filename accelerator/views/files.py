"""Serving a private file (an accompaniment's document, a report's evidence) once its view has
checked who may read it."""

from django.http import FileResponse, Http404


def private_file(stored):
    """A download of `stored` (a model with `file`, `original_name` and `content_type`); a 404
    when the file has gone from the storage."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    # The stored type was detected from the content: the browser must not guess another.
    response["X-Content-Type-Options"] = "nosniff"
    return response
