"""Accept-header negotiation used by `anttkg serve` (anttkg.serve.negotiation)."""
from __future__ import annotations

import pytest

from anttkg.serve.negotiation import negotiate

OFFERED = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]


@pytest.mark.parametrize("accept, chosen", [
    (None, "text/html"),
    ("", "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json, text/turtle", "application/ld+json"),
    ("text/html;q=0.5, application/n-triples", "application/n-triples"),
    ("application/*", "application/ld+json"),
    ("text/*;q=0.3, text/turtle;q=0.2", "text/html"),
    ("*/*;q=0.1, text/turtle;q=0", "text/html"),
    ("image/png", None),
    ("text/turtle;q=0", None),
    ("TEXT/TURTLE", "text/turtle"),
    ("text/turtle;q=bad, text/html;q=0.1", "text/html"),
])
def test_negotiate(accept, chosen):
    assert negotiate(accept, OFFERED) == chosen
