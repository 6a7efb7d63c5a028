"""Govem: presensi pegawai pemerintah daerah."""

__version__ = "0.1.0"
