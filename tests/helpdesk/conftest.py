from tests.monitor.conftest import _base_template, regency  # noqa: F401
