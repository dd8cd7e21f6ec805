/**
 * Excel workbooks (.xls BIFF8 and .xlsx) through SheetJS. Workbooks are read and written
 * whole (SheetJS has no row streaming), which the row limits of both formats keep bounded.
 *
 * Known SheetJS limits, measured with 0.20.3: a CRLF inside an .xlsx cell reads back as
 * LF (Excel's own in-cell line break); the .xls writer needs ~16 KB per cell and finds
 * shared strings by linear search, so large .xls files are slow (65,535 rows: ~5 min,
 * ~11 GB) and its reader is slow on them too. Use .xlsx, .csv or .jsonl for big sets.
 */
import * as XLSX from "xlsx";
import { TICKET_FIELDS, formatIsoDate, type Ticket } from "../tickets/ticket.js";
import { UniqueIds, mapColumns, toTicket, type RawTicket } from "./rows.js";
import { TicketFileError } from "./ticketFileError.js";

export const SHEET_NAME = "tickets";

/** Column widths in characters, so the sheet is readable when opened in Excel. */
const COLUMN_WIDTHS = [12, 10, 48, 80, 12, 10, 15, 21, 21, 15];

/** Serial number of 1970-01-01 in Excel's 1900 date system; the 1904 system is 1462 days on. */
const EXCEL_UNIX_EPOCH = 25569;
const EXCEL_1904_OFFSET = 1462;
/** 9999-12-31, the last date Excel can show. */
const EXCEL_MAX_SERIAL = 2958465;

/**
 * The longest text SheetJS can put in a .xls cell. It stores strings as UTF-16 in the
 * shared string table and splits that table only between strings, so one string longer
 * than a BIFF record (8,224 bytes: 3 header bytes + 2 per UTF-16 unit) makes its writer
 * loop forever. (Without the shared string table it silently cuts text at 255.)
 */
export const MAX_XLS_TEXT = 4110;

export function workbookBytes(
  tickets: readonly Ticket[],
  bookType: "biff8" | "xlsx",
  file: string,
): Buffer {
  if (bookType === "biff8") refuseOverlongText(tickets, file);
  const rows: string[][] = [[...TICKET_FIELDS]];
  for (const ticket of tickets) rows.push(TICKET_FIELDS.map((field) => ticket[field]));
  const sheet = XLSX.utils.aoa_to_sheet(rows, { dense: true });
  sheet["!cols"] = COLUMN_WIDTHS.map((wch) => ({ wch }));
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, SHEET_NAME);
  // SheetJS writes no timestamps unless asked (zip entries are dated 1980), so the same
  // tickets always give the same bytes.
  return XLSX.write(book, { bookType, type: "buffer", compression: true, bookSST: true }) as Buffer;
}

function refuseOverlongText(tickets: readonly Ticket[], file: string): void {
  tickets.forEach((ticket, index) => {
    for (const field of TICKET_FIELDS) {
      const length = ticket[field].length;
      if (length <= MAX_XLS_TEXT) continue;
      throw new TicketFileError(
        "text_too_long",
        file,
        `${file}, row ${index + 1}, field "${field}": ${length.toLocaleString("en-US")} characters do not fit in a .xls cell (at most ${MAX_XLS_TEXT.toLocaleString("en-US")}); use .xlsx, .csv or .jsonl`,
        { row: index + 1, field, value: ticket[field] },
      );
    }
  });
}

/**
 * Tickets from the "tickets" sheet, or the first sheet when there is none. The header is
 * the first non-empty row; fully blank rows are skipped but still counted, so row numbers
 * in errors match what Excel shows minus the header.
 */
export function readWorkbookTickets(bytes: Buffer, file: string, format: "xls" | "xlsx"): Ticket[] {
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, { type: "buffer", dense: true, cellNF: true, cellText: false });
  } catch (error) {
    throw new TicketFileError(
      "unreadable",
      file,
      `${file}: not a readable .${format} workbook (${(error as Error).message})`,
    );
  }
  const sheetName = book.SheetNames.includes(SHEET_NAME) ? SHEET_NAME : book.SheetNames[0];
  const sheet = sheetName === undefined ? undefined : book.Sheets[sheetName];
  const grid: (XLSX.CellObject | undefined)[][] = (sheet?.["!data"] ?? []).map((row) => row ?? []);
  const date1904 = Boolean(book.Workbook?.WBProps?.date1904);

  const headerIndex = grid.findIndex((row) => row.some((cell) => cellText(cell, date1904, false)));
  if (headerIndex === -1) {
    throw new TicketFileError("empty", file, emptyMessage(file, sheetName));
  }
  const columns = mapColumns(
    grid[headerIndex]!.map((cell) => cellText(cell, date1904, false)),
    file,
  );
  const tickets: Ticket[] = [];
  const ids = new UniqueIds(file, "row");
  for (let r = headerIndex + 1; r < grid.length; r++) {
    const cells = grid[r]!;
    const raw: RawTicket = {};
    let blank = true;
    TICKET_FIELDS.forEach((field, i) => {
      const text = cellText(cells[columns[i]!], date1904, field.endsWith("_date"));
      if (text !== "") blank = false;
      raw[field] = text;
    });
    if (blank) continue;
    const position = { row: r - headerIndex };
    const ticket = toTicket(raw, file, position);
    ids.add(ticket, position);
    tickets.push(ticket);
  }
  if (tickets.length === 0) {
    throw new TicketFileError(
      "empty",
      file,
      `${file}: no tickets (sheet "${sheetName}" has a header row but no data rows)`,
    );
  }
  return tickets;
}

function emptyMessage(file: string, sheetName: string | undefined): string {
  const where =
    sheetName === undefined ? "the workbook has no sheets" : `sheet "${sheetName}" is empty`;
  return `${file}: ${where} (expected a header row naming ${TICKET_FIELDS.join(", ")}, then one ticket per row)`;
}

/**
 * A cell as trimmed text. Dates become ISO 8601 UTC: real date cells anywhere, and plain
 * numbers in date columns (an Excel date whose cell lost its date format). Numbers in
 * other columns keep their digits, so user_id 123 reads as "123".
 */
function cellText(
  cell: XLSX.CellObject | undefined,
  date1904: boolean,
  dateColumn: boolean,
): string {
  if (cell === undefined || cell.v === undefined || cell.v === null) return "";
  const { v } = cell;
  if (v instanceof Date) return formatIsoDate(v.getTime());
  if (typeof v === "number") {
    const looksLikeDate = dateColumn || (typeof cell.z === "string" && XLSX.SSF.is_date(cell.z));
    if (looksLikeDate && v > 0 && v <= EXCEL_MAX_SERIAL) {
      const days = v - EXCEL_UNIX_EPOCH + (date1904 ? EXCEL_1904_OFFSET : 0);
      // Rounded to the second: serials are binary fractions of a day.
      return formatIsoDate(Math.round(days * 86400) * 1000);
    }
    return String(v);
  }
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (cell.t === "e") return cell.w ?? "#ERROR";
  return String(v).trim();
}
