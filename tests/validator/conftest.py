from __future__ import annotations

import pytest
from vkit import Site


@pytest.fixture
def site(tmp_path) -> Site:
    """A temporary content folder with villages.yml for one village (dongwang)."""
    return Site(tmp_path)
