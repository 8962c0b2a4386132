import pytest


@pytest.fixture(autouse=True)
def earlier_releases(db):
    """Provinces' histories go back to 2019: certificates decided under 1048/2019 and 148/2023."""
    from evaluation.services_criteria import earlier_releases_load

    earlier_releases_load()
