"""The web explorer of the graph (`kg serve`): pages, network views and a read-only SPARQL endpoint."""


def create_app(*args, **kwargs):
    """See :func:`kg.web.app.create_app` (imported on first use: the SPARQL worker needs none of it)."""
    from kg.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["create_app"]
