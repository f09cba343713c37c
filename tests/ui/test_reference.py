"""The API reference pages render in a real browser from the service alone.

Needs the reference assets served by the service itself (issue 13, part 4): with the CDN
defaults of Litestar's render plugins the pages try to reach cdn.jsdelivr.net and show nothing.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import Live, OpenPage

# Operations of the first group (shown expanded everywhere) and every group's name (Scalar
# renders the operations of a collapsed group only when it is opened).
OPERATIONS = ["Submit one article", "Entities of one article", "Events of one article"]
GROUPS = ["exports", "registry", "feed", "sources"]


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger", "/schema/redoc"])
async def test_the_reference_page_lists_the_operations_without_leaving_the_machine(
    live: Live, open_page: OpenPage, path: str
) -> None:
    opened = await open_page(f"{live.url}{path}")
    assert opened.outside == [], f"{path} reached outside the machine: {opened.outside}"

    for summary in [*OPERATIONS, *GROUPS]:
        # In the DOM: ReDoc keeps menu entries of collapsed groups hidden, yet listed.
        await opened.page.get_by_text(summary, exact=False).first.wait_for(
            state="attached", timeout=30_000
        )
    assert opened.outside == [], f"{path} reached outside the machine: {opened.outside}"
