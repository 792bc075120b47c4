"""The streaming XLSX reader: every cell type a real sheet holds, and every bound."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import Workbook

from meetcoord.planning.sheets import read_table

PARAMS = {"max_rows": 10, "max_cell": 50}
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def book(sheet_data: str, strings: str | None = None, target: str = "worksheets/s9.xml") -> bytes:
    """A hand-written XLSX: the sheet is found through the workbook's relationships."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {NS} xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Usulan" sheetId="1" r:id="rId7"/>'
            '<sheet name="B" sheetId="2" r:id="rId8"/>'
            "</sheets></workbook>",
        )
        rels = (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId7" Type="{REL_NS}/worksheet" Target="{target}"/>'
            f'<Relationship Id="rId8" Type="{REL_NS}/worksheet" Target="worksheets/other.xml"/>'
        )
        if strings is not None:
            rels += f'<Relationship Id="rId9" Type="{REL_NS}/sharedStrings" Target="strs.xml"/>'
            archive.writestr("xl/strs.xml", f"<sst {NS}>{strings}</sst>")
        archive.writestr("xl/_rels/workbook.xml.rels", rels + "</Relationships>")
        archive.writestr(
            "xl/worksheets/s9.xml",
            f"<worksheet {NS}><sheetData>{sheet_data}</sheetData></worksheet>",
        )
        archive.writestr("xl/worksheets/other.xml", f"<worksheet {NS}><sheetData/></worksheet>")
    return buffer.getvalue()


def read(data: bytes, **params: Any) -> dict[str, Any]:
    return read_table(data, PARAMS | params)


def test_shared_inline_rich_text_booleans_numbers_and_formula_results() -> None:
    strings = (
        "<si><t>Judul</t></si><si><t>Desa</t></si>"
        '<si><r><t>Jalan </t></r><r><rPr><b/></rPr><t xml:space="preserve">desa</t></r>'
        "<rPh><t>furigana</t></rPh></si>"
    )
    data = book(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c>'
        '<c r="B2" t="inlineStr"><is><t>Sukamaju</t></is></c>'
        '<c r="C2" t="b"><v>1</v></c><c r="D2"><v>2025</v></c><c r="E2"><v>1.5</v></c>'
        '<c r="F2"><f>D2*2</f><v>4050</v></c><c r="G2" t="str"><f>A2</f><v>teks</v></c>'
        '<c r="H2" t="e"><v>#N/A</v></c><c r="I2"><v>1E3</v></c></row>',
        strings,
    )
    table = read(data)
    assert table["headers"] == ["Judul", "Desa"]
    assert table["rows"] == [
        ["Jalan desa", "Sukamaju", True, 2025, 1.5, 4050, "teks", "#N/A", 1000]
    ]
    assert type(table["rows"][0][3]) is int
    assert type(table["rows"][0][8]) is int


def test_sparse_rows_and_cells_keep_their_places() -> None:
    data = book(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>c</t></is></c></row>'
        '<row r="4"><c r="B4"><v>7</v></c><c><v>8</v></c></row>'  # no r: the next column
        '<row><c r="D5"><v>9</v></c></row>'  # no r: the next row
    )
    table = read(data)
    assert table["headers"] == ["a", "", "c"]
    assert table["rows"] == [[None, 7, 8], [None, None, None, 9]]
    # the sheet's line numbers survive the gap: row 4 is named as line 4
    long_row = book(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>'
        + "x" * 60
        + "</t></is></c></row>"
    )
    assert read(long_row) == {"refused": "cell", "line": 4, "column": 0, "limit": 50}


def test_a_workbook_openpyxl_writes_reads_as_openpyxl_reads_it() -> None:
    from openpyxl import load_workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Judul", "Tahun", "Anggaran", "Catatan"])
    sheet.append(["Jalan", 2025, 1500000, None])
    sheet.append(["Sumur", 2026, 2.5, "ada"])
    sheet["E3"] = "=B3+1"  # no cached value: openpyxl does not compute formulas
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    ours = read(data)
    theirs = [list(r) for r in load_workbook(io.BytesIO(data), data_only=True).active.values]
    assert ours["headers"] == theirs[0][:4]
    assert ours["rows"] == [theirs[1][:3], theirs[2][:4]]


def test_bounds_are_refused_while_reading() -> None:
    many_rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 20))
    assert read(book(many_rows)) == {"refused": "rows", "limit": 10}
    wide = '<row r="1"><c r="BI1"><v>1</v></c></row>'  # column 61
    assert read(book(wide))["refused"] == "columns"
    empty_far = '<row r="1"><c r="A1"><v>1</v></c><c r="XA1"/></row>'  # empty: no column
    assert read(book(empty_far))["headers"] == ["1"]
    assert (
        read(book('<row r="1"><c r="A1"><v>1</v></c></row><row r="9999999"/>'))["refused"]
        == "unreadable"
    )
    long_shared = book(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', f"<si><t>{'y' * 51}</t></si>"
    )
    assert read(long_shared)["refused"] == "cell"


def test_a_zip_bomb_and_entity_declarations_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (90 * 1024 * 1024))
    assert read(buffer.getvalue()) == {"refused": "unreadable", "kind": "xlsx"}
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    data = book('<row r="1"><c r="A1"><v>1</v></c></row>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/s9.xml":
                body = laughs.encode() + body
            target.writestr(item, body)
    assert read(buffer.getvalue())["refused"] == "unreadable"


def test_a_zip_that_is_no_workbook_and_broken_xml_are_refused_clearly() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert read(buffer.getvalue()) == {"refused": "unreadable", "kind": "xlsx"}
    assert read(b"PK\x03\x04 not really a zip") == {"refused": "unreadable", "kind": "xlsx"}
    assert read(book('<row r="1"><c r="A1"><v>1</v></c>'))["refused"] == "unreadable"
    assert (
        read(book('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', ""))["refused"] == "unreadable"
    )
