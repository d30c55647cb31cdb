"""The one XLSX writer (result exports, workshop exports): sheets of numbers and
text with a header row, written as a stream into the ZIP.

openpyxl builds an object per cell: 100,000 ballots of 50 measures took over a
minute. This writes the sheet XML directly (inline strings, no shared-string
table, cells without coordinates: a cell's place is its position in the row, which
SpreadsheetML allows), so a large sheet is mostly string joins.
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot hold at all; they are dropped from text cells.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
EMPTY = "<c/>"

STYLES = (
    HEAD + f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def text_cell(value, bold=False):
    style = ' s="1"' if bold else ""
    text = escape(NOT_IN_XML.sub("", value))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def number_cell(value):
    return f"<c><v>{value!r}</v></c>" if isinstance(value, float) else f"<c><v>{int(value)}</v></c>"


def cell(value, bold=False):
    """One cell: None empty, numbers as numbers (booleans as 1/0), anything else as text."""
    if value is None:
        return EMPTY
    if isinstance(value, int | float) and not (isinstance(value, float) and value != value):
        return number_cell(value)
    return text_cell(str(value), bold)


def row(number, cells):
    return f'<row r="{number}">{"".join(cells)}</row>'


class Sheet:
    """A sheet: its title, the header and an iterable of row XML strings for rows
    2, 3, ... (see :func:`row` and :func:`value_rows`). ``frozen``: the header is bold
    and stays in view; else a plain first row. An empty header writes no first row."""

    def __init__(self, title, header, rows, frozen=True):
        self.title = title
        self.header = header
        self.rows = rows
        self.frozen = frozen


def value_rows(rows, first=2):
    """Rows of plain values (see :func:`cell`) as row XML, from row ``first`` on."""
    for number, values in enumerate(rows, start=first):
        yield row(number, [cell(value) for value in values])


def _sheet_parts(sheet):
    pane = (
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
    )
    yield HEAD + f'<worksheet xmlns="{MAIN}">{pane if sheet.frozen else ""}<sheetData>'
    if sheet.header:
        yield row(1, [cell(value, bold=sheet.frozen) for value in sheet.header])
    yield from sheet.rows
    yield "</sheetData></worksheet>"


def workbook(sheets, compresslevel=1):
    """The XLSX bytes of these sheets, in order. Level 1 deflate: a large ballots
    sheet compresses about as well and several times faster than the default."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            HEAD + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name={quoteattr(NOT_IN_XML.sub("", sheet.title))} sheetId="{i}" r:id="rId{i}"/>'
            for i, sheet in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{entries}</sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        styles = f'<Relationship Id="rId{len(sheets) + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            HEAD + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{links}{styles}</Relationships>',
        )
        archive.writestr("xl/styles.xml", STYLES)
        for i, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as stream:
                chunk = []
                size = 0
                for part in _sheet_parts(sheet):
                    chunk.append(part)
                    size += len(part)
                    if size > 1 << 20:
                        stream.write("".join(chunk).encode("utf-8"))
                        chunk, size = [], 0
                stream.write("".join(chunk).encode("utf-8"))
    return buffer.getvalue()
