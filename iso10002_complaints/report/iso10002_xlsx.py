"""Spreadsheets an auditor takes away: one workbook of titled sheets with a
header row, filters and plain values."""

import io

import xlsxwriter


def workbook(sheets):
    """The bytes of an XLSX file of ``sheets``: (name, title, headers, rows)
    each, rows being lists of plain values (text, numbers, dates)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, title, headers, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        sheet.write(0, 0, title, bold)
        for index, label in enumerate(headers):
            sheet.write(2, index, label, bold)
            sheet.set_column(index, index, 18)
        for line, row in enumerate(rows, start=3):
            for index, value in enumerate(row):
                if hasattr(value, "isoformat"):
                    sheet.write_datetime(line, index, value, dated)
                elif value is None or value is False:
                    sheet.write_blank(line, index, None)
                else:
                    sheet.write(line, index, value)
        if headers:
            sheet.autofilter(2, 0, 2 + len(rows), len(headers) - 1)
    book.close()
    return buffer.getvalue()


def download(record, field, filename_field):
    """The client action that downloads the file ``field`` of ``record``."""
    return {
        "type": "ir.actions.act_url",
        "url": (
            f"/web/content/?model={record._name}&id={record.id}&field={field}"
            f"&filename_field={filename_field}&download=true"
        ),
        "target": "self",
    }
