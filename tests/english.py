"""English mode shows no Indonesian: the page's visible text checked for Indonesian words.

Names from the data (people, units, places, positions) are Indonesian by nature; a test passes
them as ``allowed``. Domain words that keep their Indonesian names (NIP, OPD, TPP, TL1, PSW1,
TAP, BPKAD, BKPSDM) are not in the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

INDONESIAN = (
    "dan", "yang", "atau", "dari", "untuk", "dengan", "tidak", "belum", "sudah", "bulan",
    "tahun", "hari", "pegawai", "jumlah", "potongan", "pembulatan", "komponen", "unduh",
    "tampilkan", "laporan", "presensi", "hukuman", "disiplin", "keterangan", "diterima",
    "ditolak", "ditandai", "hadir", "acara", "masuk", "pulang", "menit", "jam", "kali",
    "orang", "cara", "menghitung", "bukti", "indikator", "satuan", "pembanding", "periode",
    "sampai", "produktivitas", "capaian", "jabatan", "kelas", "pagu", "dibayar", "impor",
    "berkas", "simpan", "tinjau", "tinjauan", "terima", "tolak", "alasan", "kembali",
    "keluar", "januari", "februari", "maret", "mei", "juni", "juli", "agustus", "oktober",
    "desember", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "seluruh",
    "kabupaten", "perkiraan", "rincian", "dihitung", "baris", "lagi", "ini", "itu", "pada",
)  # fmt: skip
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def indonesian_words(html: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Indonesian words in the page's visible text (``allowed`` phrases removed first),
    with their surroundings, so a failing test says where they are."""
    text = " ".join(visible_text(html).split())
    for phrase in sorted(allowed, key=len, reverse=True):
        text = text.replace(phrase, " ")
    text = re.sub(r"\bBahasa Indonesia\b", " ", text)  # the language switcher's own name
    found = []
    for match in _WORD.finditer(text):
        if match.group().lower() in INDONESIAN:
            found.append(text[max(0, match.start() - 30) : match.end() + 30])
    return found
