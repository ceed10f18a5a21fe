from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Stored PDFs go to a scratch directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://jxjy.example.cn"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(shushan):
    """A professional of 蜀山区 whose current title dates from 2019: for a 2025 application
    the derived tenure cycle is 2020–2024."""
    from tests.factories import UnitFactory, make_person

    return make_person(unit=UnitFactory(jurisdiction=shushan), name="李四", title_year=2019)


@pytest.fixture
def other_person(baohe):
    """A professional of 包河区 (outside the district officer persona's jurisdiction)."""
    from tests.factories import UnitFactory, make_person

    return make_person(unit=UnitFactory(jurisdiction=baohe), name="王五", title_year=2019)
