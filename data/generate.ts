/**
 * Writes deterministic sample tickets to a file; the format follows the extension.
 *
 *   npm run data:generate                      50 tickets -> data/requests.xls
 *   npm run data:generate -- --count 1000000 --out /tmp/tickets.jsonl --seed 7
 *
 * Exit codes: 0 written, 1 cannot write (e.g. too many rows for the format), 2 bad flags.
 */
import { mkdir } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  MAX_DATA_ROWS,
  TICKET_FILE_FORMATS,
  TicketFileError,
  writeTicketsFile,
  type TicketFileFormat,
} from "../server/src/sources/spreadsheet.js";
import { DEFAULT_COUNT, DEFAULT_SEED, generateTickets } from "./generator.js";

const DEFAULT_OUT = fileURLToPath(new URL("./requests.xls", import.meta.url));
const MAX_COUNT = 10_000_000;
const MAX_SEED = 0xffffffff;
/**
 * SheetJS's BIFF8 writer needs ~16 KB per cell and looks shared strings up linearly:
 * measured 8 s / 1.7 GB at 10,000 rows and 5 min / 11 GB at 65,535. Above this, warn.
 */
const SLOW_XLS_ROWS = 10_000;
const FLAGS = "--count, --out, --seed, --help";
const EXTENSIONS = TICKET_FILE_FORMATS.map((format) => `.${format}`).join(", ");

const HELP = `Usage: npm run data:generate -- [--count N] [--out FILE] [--seed S]

Writes N deterministic sample support tickets to FILE; the same seed gives the same file.

  --count N   how many tickets, 1 to ${MAX_COUNT.toLocaleString("en-US")} (default ${DEFAULT_COUNT})
  --out FILE  where to write; the extension picks the format (default data/requests.xls):
                .xls    Excel 97-2003, at most ${MAX_DATA_ROWS.xls.toLocaleString("en-US")} tickets
                .xlsx   Excel 2007+, at most ${MAX_DATA_ROWS.xlsx.toLocaleString("en-US")} tickets
                .csv    RFC 4180 CSV, streamed, no limit
                .jsonl  one JSON object per line, streamed, no limit
  --seed S    PRNG seed, 0 to ${MAX_SEED} (default ${DEFAULT_SEED})
  --help      show this help
`;

class UsageError extends Error {}

interface Options {
  count: number;
  out: string;
  seed: number;
  format: TicketFileFormat;
}

function parseArgs(args: readonly string[]): Options | "help" {
  let count = DEFAULT_COUNT;
  let out = DEFAULT_OUT;
  let seed = DEFAULT_SEED;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? splitOnce(arg) : [arg];
    if (flag !== "--count" && flag !== "--out" && flag !== "--seed") {
      throw new UsageError(
        arg.startsWith("-")
          ? `unknown flag ${flag} (allowed: ${FLAGS})`
          : `unexpected argument "${arg}" (allowed: ${FLAGS}; see --help)`,
      );
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new UsageError(`${flag} needs a value (see --help)`);
    }
    if (flag === "--count") count = wholeNumber(flag, value, 1, MAX_COUNT);
    else if (flag === "--seed") seed = wholeNumber(flag, value, 0, MAX_SEED);
    else out = value;
  }
  const format = TICKET_FILE_FORMATS.find((f) => out.toLowerCase().endsWith(`.${f}`));
  if (format === undefined) {
    throw new UsageError(`--out "${out}" has an unsupported extension (allowed: ${EXTENSIONS})`);
  }
  return { count, out, seed, format };
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.replaceAll("_", "")) ? Number(text.replaceAll("_", "")) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${flag} "${text}" is not allowed (must be a whole number from ${min} to ${max.toLocaleString("en-US")})`,
    );
  }
  return value;
}

function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith("..") ? path : fromHere;
}

async function main(args: readonly string[]): Promise<number> {
  let options: Options | "help";
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`data:generate: ${error.message}\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  const { count, seed, format } = options;
  const out = resolve(options.out);
  const limit = MAX_DATA_ROWS[format];
  if (count > limit) {
    process.stderr.write(
      `data:generate: ${count.toLocaleString("en-US")} tickets do not fit in ${shown(out)}: .${format} holds at most ${limit.toLocaleString("en-US")} data rows; use .jsonl or .csv (e.g. --out ${shown(out).replace(/\.[^.]+$/, ".jsonl")})\n`,
    );
    return 1;
  }
  if (format === "xls" && count > SLOW_XLS_ROWS) {
    process.stderr.write(
      `data:generate: note: .xls is slow and memory-hungry above ${SLOW_XLS_ROWS.toLocaleString("en-US")} rows (65,535 rows take ~5 min and ~11 GB); .xlsx, .csv and .jsonl are much faster\n`,
    );
  }
  const started = performance.now();
  try {
    await mkdir(dirname(out), { recursive: true });
    const { bytes } = await writeTicketsFile(out, generateTickets({ count, seed }));
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `Wrote ${count.toLocaleString("en-US")} tickets to ${shown(out)} (${bytes.toLocaleString("en-US")} bytes, ${ms} ms, seed ${seed})\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof TicketFileError) && !(error as NodeJS.ErrnoException).code) throw error;
    process.stderr.write(`data:generate: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
