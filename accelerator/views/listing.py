"""What list pages share: links that change one filter and keep the others."""


def query_string(params, **changes):
    """The current query string with some parameters changed (None removes one), without page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()
