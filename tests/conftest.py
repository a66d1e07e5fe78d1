import logging

import pytest


@pytest.fixture(autouse=True)
def _quiet_sdk_logs() -> None:
    logging.getLogger("a2a").setLevel(logging.WARNING)
