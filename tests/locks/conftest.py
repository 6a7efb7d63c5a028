"""The ledger's closed November week and the monitor's regency, shared by the lock tests."""

from tests.ledger.conftest import _fast_passwords, december  # noqa: F401
from tests.monitor.conftest import _fast_and_fresh, regency  # noqa: F401
