"""Helpers the test packages share (no test package imports another's): the role users and
their clients (``regency``), files and their modes (``files``), laid-out days and months
(``days``), the personnel roster CSV (``roster``) and real `govem serve` processes
(``live_servers``). Fixtures built on them are in ``tests/conftest.py``."""
