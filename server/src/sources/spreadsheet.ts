/**
 * The ticket file adapter: reads and writes tickets as .xls (Excel 97-2003), .xlsx, .csv
 * or .jsonl, chosen by the file extension (any case).
 *
 * Every row goes through TicketSchema, so what comes back is valid and normalised; any
 * problem is a TicketFileError naming the file, the row or line, the field, the bad value
 * and what is allowed. CSV and JSON lines are read and written as streams, so a million
 * tickets never exist as one string; workbooks go through SheetJS whole, within the row
 * limits of their formats.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { extname } from "node:path";
import { TICKET_FIELDS, type Ticket, type TicketField } from "../tickets/ticket.js";
import { CsvParser, CsvSyntaxError, formatCsvRecord, type CsvRecord } from "./csv.js";
import { UniqueIds, mapColumns, show, toTicket, type RawTicket } from "./rows.js";
import { TicketFileError, describePosition } from "./ticketFileError.js";
import { readWorkbookTickets, workbookBytes } from "./workbook.js";

export { TicketFileError, type TicketFileProblem } from "./ticketFileError.js";

export type TicketFileFormat = "xls" | "xlsx" | "csv" | "jsonl";
export const TICKET_FILE_FORMATS: readonly TicketFileFormat[] = ["xls", "xlsx", "csv", "jsonl"];

/** Data rows a workbook format can hold: its sheet row limit minus the header row. */
export const MAX_DATA_ROWS: Readonly<Record<TicketFileFormat, number>> = {
  xls: 65_535,
  xlsx: 1_048_575,
  csv: Number.POSITIVE_INFINITY,
  jsonl: Number.POSITIVE_INFINITY,
};

export interface WriteTicketsResult {
  count: number;
  bytes: number;
}

const SUPPORTED = TICKET_FILE_FORMATS.map((format) => `.${format}`).join(", ");
/** Text is flushed in pieces of about this size: few syscalls, bounded memory. */
const FLUSH_CHARS = 1 << 16;

/** The format for a path by its extension, or a TicketFileError listing the supported ones. */
export function ticketFileFormat(path: string): TicketFileFormat {
  const extension = extname(path).toLowerCase();
  const format = TICKET_FILE_FORMATS.find((f) => `.${f}` === extension);
  if (format) return format;
  throw new TicketFileError(
    "unsupported_format",
    path,
    `${path}: unsupported file type "${extension || "(no extension)"}" (supported: ${SUPPORTED})`,
  );
}

/** All tickets in the file, in file order. */
export async function readTicketsFile(path: string): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  for await (const batch of streamTicketsFile(path)) {
    for (const ticket of batch) tickets.push(ticket);
  }
  return tickets;
}

/**
 * The file's tickets in file order, a batch at a time (about a megabyte of the file per
 * batch), each validated and checked for a unique id like `readTicketsFile`'s. CSV and
 * JSON lines are streamed: memory holds one batch and the ids seen, not the file, so an
 * importer can write each batch before the next is read. Workbooks come whole.
 */
export async function* streamTicketsFile(path: string): AsyncGenerator<Ticket[]> {
  const format = ticketFileFormat(path);
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new TicketFileError("unreadable", path, `${path}: is a directory, not a ticket file`);
    }
    if (info.size === 0) throw new TicketFileError("empty", path, emptyFileMessage(path, format));
    if (format === "csv") yield* readCsv(path);
    else if (format === "jsonl") yield* readJsonLines(path);
    else yield readWorkbookTickets(await readFile(path), path, format);
  } catch (error) {
    throw asTicketFileError(error, path);
  }
}

/**
 * Writes the tickets (header row first; for .jsonl one object per line, keys in
 * TICKET_FIELDS order). The file appears complete or not at all: it is written beside
 * the target and renamed over it.
 */
export async function writeTicketsFile(
  path: string,
  tickets: Iterable<Ticket> | AsyncIterable<Ticket>,
): Promise<WriteTicketsResult> {
  const format = ticketFileFormat(path);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    let result: WriteTicketsResult;
    if (format === "csv" || format === "jsonl") {
      result = await writeText(temporary, format, tickets);
    } else {
      const all = await collect(tickets, path, format);
      const bytes = workbookBytes(all, format === "xls" ? "biff8" : "xlsx", path);
      await writeFile(temporary, bytes);
      result = { count: all.length, bytes: bytes.length };
    }
    await rename(temporary, path);
    return result;
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (error instanceof TicketFileError || typeof code !== "string") throw error;
    throw new TicketFileError(
      "unwritable",
      path,
      `${path}: cannot write (${(error as Error).message})`,
    );
  }
}

function emptyFileMessage(path: string, format: TicketFileFormat): string {
  const expected =
    format === "jsonl"
      ? `one JSON object per line with the keys ${TICKET_FIELDS.join(", ")}`
      : `a header row naming ${TICKET_FIELDS.join(", ")}, then one ticket per row`;
  return `${path}: the file is empty (expected ${expected})`;
}

function asTicketFileError(error: unknown, path: string): unknown {
  if (error instanceof TicketFileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") {
    return new TicketFileError(
      "not_found",
      path,
      `${path}: file not found. Create sample tickets with "npm run data:generate" (writes data/requests.xls) or "npm run data:generate -- --out ${path}"`,
    );
  }
  if (typeof code === "string") {
    return new TicketFileError("unreadable", path, `${path}: ${(error as Error).message}`);
  }
  return error;
}

async function* readCsv(path: string): AsyncGenerator<Ticket[]> {
  const parser = new CsvParser();
  const ids = new UniqueIds(path, "row");
  let tickets: Ticket[] = [];
  let count = 0;
  let columns: number[] | undefined;
  let headerRecord = 0;
  let recordNumber = 0;

  const take = (records: CsvRecord[]) => {
    for (const { fields, line } of records) {
      recordNumber++;
      const blank = fields.every((field) => field.trim() === "");
      if (columns === undefined) {
        // The header is the first record that is not blank.
        if (blank) continue;
        columns = mapColumns(fields, path);
        headerRecord = recordNumber;
        continue;
      }
      if (blank) continue;
      const raw: RawTicket = {};
      for (let i = 0; i < TICKET_FIELDS.length; i++) {
        raw[TICKET_FIELDS[i]!] = (fields[columns[i]!] ?? "").trim();
      }
      const position = { row: recordNumber - headerRecord, line };
      const ticket = toTicket(raw, path, position);
      ids.add(ticket, position);
      tickets.push(ticket);
      count++;
    }
  };
  try {
    for await (const chunk of createReadStream(path, {
      encoding: "utf8",
      highWaterMark: 1 << 20,
    })) {
      take(parser.push(chunk as string));
      if (tickets.length > 0) yield tickets;
      tickets = [];
    }
    take(parser.end());
    if (tickets.length > 0) yield tickets;
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new TicketFileError(
      "invalid_csv",
      path,
      `${describePosition(path, { line: error.line })}: ${error.message.replace(/^line \d+: /, "")}`,
      { line: error.line },
    );
  }
  if (columns === undefined)
    throw new TicketFileError("empty", path, emptyFileMessage(path, "csv"));
  if (count === 0) {
    throw new TicketFileError("empty", path, `${path}: no tickets (a header row but no data rows)`);
  }
}

async function* readJsonLines(path: string): AsyncGenerator<Ticket[]> {
  const ids = new UniqueIds(path, "line");
  let tickets: Ticket[] = [];
  let count = 0;
  let lineNumber = 0;
  let carry = "";

  const take = (line: string) => {
    lineNumber++;
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.trim() === "") return;
    const position = { row: lineNumber, line: lineNumber };
    const ticket = toTicket(parseJsonLine(line, path, position), path, position);
    ids.add(ticket, position);
    tickets.push(ticket);
    count++;
  };
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const lines = (carry + (chunk as string)).split("\n");
    carry = lines.pop()!;
    for (const line of lines) take(line);
    if (tickets.length > 0) yield tickets;
    tickets = [];
  }
  if (carry !== "") take(carry);
  if (tickets.length > 0) yield tickets;
  if (count === 0) {
    throw new TicketFileError("empty", path, emptyFileMessage(path, "jsonl"));
  }
}

function parseJsonLine(line: string, path: string, position: { row: number; line: number }) {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new TicketFileError(
      "invalid_json",
      path,
      `${describePosition(path, position)}: invalid JSON (${(error as Error).message})`,
      position,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : JSON.stringify(value);
    throw new TicketFileError(
      "invalid_json",
      path,
      `${describePosition(path, position)}: expected a JSON object with the keys ${TICKET_FIELDS.join(", ")}, got ${kind}`,
      { ...position, value },
    );
  }
  const object = value as Record<string, unknown>;
  const raw: RawTicket = {};
  for (const field of TICKET_FIELDS) raw[field] = jsonText(object[field], field, path, position);
  return raw;
}

/** JSON values as cell text: numbers and booleans as written, null as empty. */
function jsonText(value: unknown, field: TicketField, path: string, position: { row: number }) {
  if (value === undefined) return undefined;
  if (value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const kind = Array.isArray(value) ? "an array" : "an object";
  throw new TicketFileError(
    "invalid_value",
    path,
    `${describePosition(path, position)}, field "${field}": ${show(JSON.stringify(value))} is ${kind} (must be text)`,
    { ...position, field, value },
  );
}

async function collect(
  tickets: Iterable<Ticket> | AsyncIterable<Ticket>,
  path: string,
  format: TicketFileFormat,
): Promise<Ticket[]> {
  const limit = MAX_DATA_ROWS[format];
  const all: Ticket[] = [];
  for await (const ticket of tickets) {
    if (all.length === limit) {
      throw new TicketFileError(
        "too_many_rows",
        path,
        `${path}: more than ${limit.toLocaleString("en-US")} tickets do not fit in a .${format} file (its row limit); use .jsonl or .csv`,
      );
    }
    all.push(ticket);
  }
  return all;
}

function ticketLine(format: "csv" | "jsonl", ticket: Ticket): string {
  if (format === "csv") return formatCsvRecord(TICKET_FIELDS.map((field) => ticket[field]));
  // Spelled out so the key order is always TICKET_FIELDS', whatever the input's.
  const ordered: Record<TicketField, string> = {
    ticket_id: ticket.ticket_id,
    user_id: ticket.user_id,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    created_date: ticket.created_date,
    updated_date: ticket.updated_date,
    assigned_to: ticket.assigned_to,
  };
  return JSON.stringify(ordered) + "\n";
}

async function writeText(
  path: string,
  format: "csv" | "jsonl",
  tickets: Iterable<Ticket> | AsyncIterable<Ticket>,
): Promise<WriteTicketsResult> {
  const stream = createWriteStream(path);
  // Always listening: an unhandled stream error would crash the process.
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => {});
  const settled = (event: "drain" | "finish") => Promise.race([once(stream, event), failed]);
  let pending = format === "csv" ? formatCsvRecord(TICKET_FIELDS) : "";
  let count = 0;
  const add = (ticket: Ticket): Promise<unknown> | undefined => {
    pending += ticketLine(format, ticket);
    count++;
    if (pending.length < FLUSH_CHARS) return undefined;
    const drained = stream.write(pending);
    pending = "";
    return drained ? undefined : settled("drain");
  };
  try {
    if (Symbol.asyncIterator in tickets) {
      for await (const ticket of tickets) await add(ticket);
    } else {
      // A plain loop: for-await over a sync iterable costs a promise per ticket.
      for (const ticket of tickets) {
        const backpressure = add(ticket);
        if (backpressure) await backpressure;
      }
    }
    stream.end(pending);
    await settled("finish");
  } catch (error) {
    // Wait for the close: a source that fails before the file is even open would
    // otherwise have the open land after the caller removed the temporary file,
    // leaving an empty one behind.
    // (A stream that failed by itself may have closed already: then there is no wait.)
    if (!stream.closed) {
      const closed = once(stream, "close").catch(() => {});
      stream.destroy();
      await closed;
    }
    throw error;
  }
  return { count, bytes: stream.bytesWritten };
}
