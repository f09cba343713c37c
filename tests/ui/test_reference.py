"""The API reference pages render in a real browser from the service alone.

Needs the reference assets served by the service itself (issue 13, part 4): with the CDN
defaults of Litestar's render plugins the pages try to reach cdn.jsdelivr.net and show nothing.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import Live, OpenPage

OPERATIONS = ["Submit one article", "The article as IPTC ninjs", "Entities of one article"]


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger", "/schema/redoc"])
async def test_the_reference_page_lists_the_operations_without_leaving_the_machine(
    live: Live, open_page: OpenPage, path: str
) -> None:
    opened = await open_page(f"{live.url}{path}")
    assert opened.outside == [], f"{path} reached outside the machine: {opened.outside}"

    for summary in OPERATIONS:
        await opened.page.get_by_text(summary, exact=False).first.wait_for(timeout=30_000)
    assert opened.outside == [], f"{path} reached outside the machine: {opened.outside}"
