from tests.monitor.conftest import _base_template, _fast_and_fresh, regency  # noqa: F401
