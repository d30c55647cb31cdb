"""Real participatory budgets from Pabulib, kept in the repository for the tests.

Three ``.pb`` files lie gzip-compressed, otherwise byte for byte unchanged, in
``tests/data/pabulib/`` (see the README there): Warsaw 2017 Anin (approval, 17 projects,
510 voters), Częstochowa 2024 Tysiąclecie (cumulative, up to 10 points, 52 projects,
2,602 voters) and Warsaw 2025 Mokotów (approval, up to 15, 73 projects, 7,625 voters).
The city-wide Warsaw 2026 file is too large to keep here; ``bench/budget_count.py``
checks it from ``../shared/reference-data/pabulib/``.

Where they come from: the GitHub repository ``pabulib/pabulib_files``, folder
``pb_files/``, at commit ``88cfaba3e7692a90f3311cbcf8f08aa63fc3fbff``. The data carry no
stated licence. pabulib.org asks anyone using them to cite Faliszewski et al.,
*Participatory Budgeting: Data, Tools, and Analysis*, IJCAI 2023
(doi:10.24963/ijcai.2023/297). The file format is specified by Stolicki, Szufa and Talmon,
*Pabulib: A Participatory Budgeting Library*, arXiv:2012.06539.

``text(name)`` gives a file's text with its own line endings; ``path(name)`` gives the
uncompressed file on disk for code that wants a path (``pabutools.election.parse_pabulib``,
``manage.py count_pabulib``), written once per test process into a temporary directory
that is removed when the process exits.
"""

import atexit
import gzip
import shutil
import tempfile
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "pabulib"

ANIN = "Poland_Warszawa_2017_Anin.pb"
CZESTOCHOWA = "Poland_Czestochowa_2024_Tysiaclecie.pb"
MOKOTOW = "Poland_Warszawa_2025_Mokotow.pb"
FILES = [ANIN, CZESTOCHOWA, MOKOTOW]


def _check(name: str) -> None:
    if name not in FILES:
        raise ValueError(f"{name!r} is not one of the Pabulib files in {DATA}: {', '.join(FILES)}")


@cache
def _raw(name: str) -> bytes:
    _check(name)
    return gzip.decompress((DATA / f"{name}.gz").read_bytes())


def text(name: str) -> str:
    """The file's text, decoded as UTF-8, line endings as in the file (Anin and Częstochowa: CRLF, Mokotów: LF)."""
    return _raw(name).decode("utf-8")


@cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="pabulib-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def path(name: str) -> Path:
    """The uncompressed file on disk (written on first use, removed at process exit)."""
    target = _folder() / name
    target.write_bytes(_raw(name))
    return target
