/**
 * Writing rows (e.g. tickets from search_tickets) to a CSV file inside one export
 * folder, and nowhere else. No MCP here: server.ts turns these functions into tools.
 *
 * Safety: the file name is resolved inside the folder; "..", absolute paths and
 * symbolic links that lead outside are refused, and an existing file is only replaced
 * when the caller says `overwrite`.
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, realpath } from "node:fs/promises";
import path from "node:path";

export const MAX_ROWS = 10_000;

/** A caller's mistake, with a message that says what to fix (becomes an isError result). */
export class LocalToolError extends Error {
  override readonly name = "LocalToolError";
}

export type Row = Record<string, unknown>;

/** Column names in first-seen order over all rows. */
export function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (=, +, -, @
 * at the start) gets a leading apostrophe: exported tickets hold user-written text.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text: a header line, then one line per row, CRLF line ends. It starts with a
 * UTF-8 byte order mark so Excel reads Cyrillic text correctly.
 */
export function toCsv(rows: Row[], columns: string[]): string {
  const lines = [columns, ...rows.map((row) => columns.map((c) => row[c]))].map((cells) =>
    cells.map(csvField).join(","),
  );
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** The absolute path `fileName` names inside `folder`, or a LocalToolError saying why not. */
export async function resolveInside(folder: string, fileName: string): Promise<string> {
  const name = fileName.trim();
  const fix = `Give a file name inside the export folder ${folder}, e.g. "open-tickets.csv".`;
  if (name === "" || name.includes("\0")) {
    throw new LocalToolError(`file_name ${JSON.stringify(fileName)} is not a file name. ${fix}`);
  }
  if (path.isAbsolute(name) || /^[a-zA-Z]:[\\/]/.test(name)) {
    throw new LocalToolError(`file_name "${name}" is an absolute path. ${fix}`);
  }
  const withExtension = /\.csv$/i.test(name) ? name : `${name}.csv`;
  await mkdir(folder, { recursive: true });
  const root = await realpath(folder);
  const target = path.resolve(root, withExtension);
  const outside = (p: string) => {
    const rel = path.relative(root, p);
    return rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  if (outside(target) || target === root) {
    throw new LocalToolError(`file_name "${name}" leads outside the export folder. ${fix}`);
  }
  // A sub-folder may be a symbolic link to elsewhere: check where the deepest existing
  // one really is before creating anything below it.
  let ancestor = path.dirname(target);
  while (!(await lstat(ancestor).catch(() => undefined))) ancestor = path.dirname(ancestor);
  if (outside(await realpath(ancestor))) {
    throw new LocalToolError(`file_name "${name}" leads outside the export folder. ${fix}`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new LocalToolError(
      `file_name "${name}" is a symbolic link; links are not followed. ${fix}`,
    );
  }
  return target;
}

export interface ExportRequest {
  folder: string;
  fileName: string;
  rows: Row[];
  /** Which columns, in which order (default: every key, in first-seen order). */
  columns?: string[] | undefined;
  overwrite?: boolean | undefined;
}

export interface ExportResult {
  path: string;
  file_name: string;
  rows: number;
  columns: string[];
  bytes: number;
}

export async function exportCsv(request: ExportRequest): Promise<ExportResult> {
  const { rows } = request;
  if (rows.length === 0) {
    throw new LocalToolError(
      "rows is empty: nothing to export. Search first and pass the tickets you found.",
    );
  }
  if (rows.length > MAX_ROWS) {
    throw new LocalToolError(`rows has ${rows.length} rows; at most ${MAX_ROWS} per file.`);
  }
  const available = columnsOf(rows);
  const columns = request.columns?.length ? request.columns : available;
  const unknown = columns.filter((c) => !available.includes(c));
  if (unknown.length > 0) {
    throw new LocalToolError(
      `columns: ${unknown.map((c) => `"${c}"`).join(", ")} not in the rows. Available: ${available.join(", ")}.`,
    );
  }
  const target = await resolveInside(request.folder, request.fileName);
  const csv = toCsv(rows, columns);
  // O_NOFOLLOW: a link planted between the check and the write is refused too.
  const flags =
    (request.overwrite ? constants.O_TRUNC : constants.O_EXCL) |
    constants.O_CREAT |
    constants.O_WRONLY |
    constants.O_NOFOLLOW;
  const file = await open(target, flags, 0o644).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") {
      throw new LocalToolError(
        `${path.basename(target)} already exists in ${request.folder}. Pass overwrite: true to replace it, or choose another file_name.`,
      );
    }
    throw error;
  });
  try {
    await file.writeFile(csv, "utf8");
  } finally {
    await file.close();
  }
  return {
    path: target,
    file_name: path.relative(await realpath(request.folder), target),
    rows: rows.length,
    columns,
    bytes: Buffer.byteLength(csv, "utf8"),
  };
}
