from tests.monitor.conftest import regency  # noqa: F401
