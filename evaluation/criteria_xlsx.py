"""A criteria set as an Excel workbook, so the next decision can be entered by officials in the tool
they use today. Three sheets with documented headers: "set" (key/value), "criteria" (one row per
criterion, nested by parent code) and "options" (one row per option). Reading turns the workbook back
into the JSON shape that evaluation.services_criteria.criteria_set_import validates and loads."""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

CRITERIA_HEADERS = [
    "part",
    "code",
    "parent_code",
    "name_vi",
    "description_vi",
    "max_points",
    "min_points_3_star",
    "min_points_4_star",
    "min_points_5_star",
    "knock_out_notes",
    "notes",
]
OPTION_HEADERS = [
    "part",
    "criterion_code",
    "position",
    "text_vi",
    "points",
    "star_marker",
    "points_blank_in_source",
]
SET_KEYS = ["set_code", "name_vi", "name_en", "total_points", "disqualification_vi"]
MAX_ROWS = 5000


def criteria_set_to_xlsx(data: dict[str, Any]) -> bytes:
    """`data` is the export shape (evaluation.selectors.criteria_set_export)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "set"
    sheet.append(["key", "value"])
    for key in SET_KEYS:
        value = data.get(key, "")
        sheet.append([key, "\n".join(value) if isinstance(value, list) else value])
    criteria = book.create_sheet("criteria")
    criteria.append(CRITERIA_HEADERS)
    options = book.create_sheet("options")
    options.append(OPTION_HEADERS)

    def walk(node: dict[str, Any], part: str, parent: str) -> None:
        mins = node.get("min_points_for_star") or {}
        criteria.append(
            [
                part,
                node["code"],
                parent,
                node.get("name_vi", ""),
                node.get("description_vi", ""),
                node["max_points"],
                mins.get("3"),
                mins.get("4"),
                mins.get("5"),
                "\n".join(node.get("elimination_notes_vi") or []),
                "\n".join(node.get("notes_vi") or []),
            ]
        )
        for position, option in enumerate(node.get("options") or []):
            options.append(
                [
                    part,
                    node["code"],
                    position,
                    option["text_vi"],
                    option["points"],
                    option.get("star_marker"),
                    "x" if option.get("points_blank_in_source") else None,
                ]
            )
        for child in node.get("children") or []:
            walk(child, part, node["code"])

    for part in data["parts"]:
        for node in part["criteria"]:
            walk(node, part["code"], "")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(book, name: str, headers: list[str]) -> list[dict[str, Any]]:
    if name not in book.sheetnames:
        raise ValidationError(_("The workbook has no sheet named “%(name)s”.") % {"name": name})
    rows = book[name].iter_rows(values_only=True)
    found = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [h for h in headers if h not in found]
    if missing:
        raise ValidationError(
            _("Sheet “%(name)s” lacks the columns: %(cols)s.") % {"name": name, "cols": ", ".join(missing)}
        )
    result = []
    for index, row in enumerate(rows, start=2):
        if index > MAX_ROWS:
            raise ValidationError(
                _("Sheet “%(name)s” has more than %(n)s rows.") % {"name": name, "n": MAX_ROWS}
            )
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        record = dict(zip(found, row, strict=False))
        record["_row"] = index
        result.append(record)
    return result


def _int(value: Any, *, sheet: str, row: int, column: str, required: bool = True) -> int | None:
    if value is None or str(value).strip() == "":
        if required:
            raise ValidationError(
                _("Sheet “%(sheet)s”, row %(row)s: %(col)s is empty.")
                % {"sheet": sheet, "row": row, "col": column}
            )
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if number < 0 or number != int(number):
        raise ValidationError(
            _("Sheet “%(sheet)s”, row %(row)s: %(col)s must be a whole number, not “%(value)s”.")
            % {"sheet": sheet, "row": row, "col": column, "value": value}
        )
    return int(number)


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def criteria_set_from_xlsx(content: bytes) -> dict[str, Any]:
    """Parse a workbook into the JSON shape; the structure's sums are checked by the import service."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ValidationError(_("This file is not an Excel workbook (.xlsx).")) from exc
    meta = {
        str(r["key"]).strip(): r.get("value") for r in _rows(book, "set", ["key", "value"]) if r.get("key")
    }
    data: dict[str, Any] = {
        "set_code": str(meta.get("set_code") or "").strip(),
        "name_vi": str(meta.get("name_vi") or "").strip(),
        "name_en": str(meta.get("name_en") or "").strip(),
        "total_points": _int(meta.get("total_points") or 100, sheet="set", row=0, column="total_points"),
        "disqualification_vi": _lines(meta.get("disqualification_vi")),
    }
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    parts: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(book, "criteria", CRITERIA_HEADERS):
        part, code = str(row["part"] or "").strip(), str(row["code"] or "").strip()
        if not part or not code:
            raise ValidationError(
                _("Sheet “criteria”, row %(row)s: part and code are required.") % {"row": row["_row"]}
            )
        node: dict[str, Any] = {
            "code": code,
            "name_vi": str(row["name_vi"] or "").strip(),
            "max_points": _int(row["max_points"], sheet="criteria", row=row["_row"], column="max_points"),
        }
        if row.get("description_vi"):
            node["description_vi"] = str(row["description_vi"]).strip()
        mins = {
            star: _int(
                row[f"min_points_{star}_star"],
                sheet="criteria",
                row=row["_row"],
                column=f"min_points_{star}_star",
                required=False,
            )
            for star in ("3", "4", "5")
        }
        if any(v is not None for v in mins.values()):
            node["min_points_for_star"] = {k: v for k, v in mins.items() if v is not None}
        if _lines(row.get("knock_out_notes")):
            node["elimination_notes_vi"] = _lines(row["knock_out_notes"])
        if _lines(row.get("notes")):
            node["notes_vi"] = _lines(row["notes"])
        if (part, code) in nodes:
            raise ValidationError(
                _("Sheet “criteria”, row %(row)s: %(part)s.%(code)s appears twice.")
                % {"row": row["_row"], "part": part, "code": code}
            )
        nodes[(part, code)] = node
        parent = str(row["parent_code"] or "").strip()
        if parent:
            if (part, parent) not in nodes:
                raise ValidationError(
                    _("Sheet “criteria”, row %(row)s: parent %(parent)s must come before it.")
                    % {"row": row["_row"], "parent": parent}
                )
            nodes[(part, parent)].setdefault("children", []).append(node)
        else:
            parts.setdefault(part, []).append(node)
    for row in _rows(book, "options", OPTION_HEADERS):
        key = (str(row["part"] or "").strip(), str(row["criterion_code"] or "").strip())
        if key not in nodes:
            raise ValidationError(
                _("Sheet “options”, row %(row)s: no criterion %(part)s.%(code)s.")
                % {"row": row["_row"], "part": key[0], "code": key[1]}
            )
        option: dict[str, Any] = {
            "text_vi": str(row["text_vi"] or "").strip(),
            "points": _int(row["points"], sheet="options", row=row["_row"], column="points"),
        }
        marker = _int(
            row["star_marker"], sheet="options", row=row["_row"], column="star_marker", required=False
        )
        if marker is not None:
            option["star_marker"] = marker
        if str(row.get("points_blank_in_source") or "").strip():
            option["points_blank_in_source"] = True
        nodes[key].setdefault("options", []).append(option)
    data["parts"] = [
        {"code": code, "max_points": sum(n["max_points"] for n in roots), "criteria": roots}
        for code, roots in parts.items()
    ]
    return data
