"""Random text and link-shaped strings: a parsed link or a LinkError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from orch_tui.core.deeplink import DeepLink, LinkError, looks_like_link, parse_link

from .strategies import links


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=links)
def test_parse_link_returns_a_link_or_a_clear_error(text: str) -> None:
    looks_like_link(text)
    try:
        link = parse_link(text)
    except LinkError as error:
        assert error.message and len(error.message) < 2000
        assert "pw@" not in error.message, "credentials are never echoed"
        return
    assert isinstance(link, DeepLink)
    assert link.route is not None
