from tests.monitor.conftest import _fast_and_fresh, regency  # noqa: F401
