"""The pages of the public site, one module per kind; every page model is importable from
`cms.models`."""

from cms.models.pages import CallIndexPage, HomePage, open_calls  # noqa: F401
