"""`anttkg serve`: a local web application over the embedded store.

Server-rendered HTML (Jinja2 templates, plain CSS, a little vanilla JavaScript shipped in this package; no
build step) on Starlette, served by uvicorn. Read-only: the store is opened with the shared read lock,
SPARQL updates are refused, and the only write is the corrections file, when curation is on.

    from anttkg.serve import ServeSettings, create_app, serve
    serve(ServeSettings(Path("anttkg-store")), host="127.0.0.1", port=8000)
"""
from __future__ import annotations

LOOPBACK = "127.0.0.1"


class ServeUnavailable(RuntimeError):
    """The optional web dependencies are missing."""


def _require() -> None:
    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as err:
        raise ServeUnavailable(f"the web application needs the serve extra: pip install 'anttkg[serve]' "
                               f"({err})") from None


def create_app(settings):
    _require()
    from .app import create_app as _create

    return _create(settings)


def __getattr__(name):
    if name == "ServeSettings":
        from .app import ServeSettings

        return ServeSettings
    raise AttributeError(name)


def serve(settings, *, host: str = LOOPBACK, port: int = 8000, log_level: str = "info") -> None:
    """Build the application (search index included) and serve it until interrupted."""
    _require()
    import uvicorn

    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, lifespan="on")


__all__ = ["LOOPBACK", "ServeUnavailable", "create_app", "serve"]
