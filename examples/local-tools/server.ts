/**
 * A local MCP server over stdio, the kind a client starts as a subprocess (the seed's
 * `"local-tools": {"transport": "stdio", "command": ..., "args": [...]}`). Two tools:
 * `export_tickets_csv` writes rows to a CSV file in one folder the user names, and
 * `current_time` tells the time in an IANA time zone.
 *
 * It runs on the MCP TypeScript SDK v2: `serveStdio(factory)` owns the stdio transport
 * and decides the protocol era from the connection's first message: a 2026-07-28
 * client (`server/discover`) and a 2025-era one (`initialize`, what LangChain's MCP
 * adapters send) are both served, each by one instance from the same factory.
 *
 * On stdio, stdout belongs to the protocol: every log line goes to stderr.
 *
 *   node --import tsx examples/local-tools/server.ts [--export-dir DIR]
 *   export folder: --export-dir, else $LOCAL_TOOLS_EXPORT_DIR, else ./exports
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { McpServer, type CallToolResult } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";
import { timeIn, ZONE_EXAMPLES } from "./clock.js";
import { LocalToolError, MAX_ROWS, exportCsv, type Row } from "./csvExport.js";

export interface LocalToolsOptions {
  /** Absolute path of the only folder files are written to. */
  exportDir: string;
  now?: () => Date;
  log?: (line: string) => void;
}

/** A LocalToolError is the caller's to fix: it goes back as an isError result. */
async function run(body: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof LocalToolError)) throw error;
    return { content: [{ type: "text", text: error.message }], isError: true };
  }
}

const row = z.record(z.string(), z.unknown());

export function createLocalToolsServer(options: LocalToolsOptions): McpServer {
  const { exportDir } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const server = new McpServer(
    { name: "local-tools", title: "Local tools", version: "1.0.0" },
    {
      instructions:
        `export_tickets_csv writes CSV files into ${exportDir} and nowhere else; pass it the ` +
        "rows (or a whole search_tickets result) and a file name, and tell the user the " +
        "path it returns. current_time gives the local time in an IANA time zone " +
        "(Asia/Tokyo for Tokyo).",
    },
  );

  server.registerTool(
    "export_tickets_csv",
    {
      title: "Export rows to a CSV file",
      description:
        `Writes rows (e.g. tickets found with search_tickets) to a CSV file in the export ` +
        `folder ${exportDir} and returns its path. Pass the rows as objects with their ` +
        "fields (ticket_id, title, status, priority, ...), or a whole search_tickets result " +
        "as search_result. Paths leading outside the folder are refused; an existing file " +
        "is only replaced with overwrite: true.",
      inputSchema: z.object({
        rows: z
          .array(row)
          .max(MAX_ROWS)
          .optional()
          .describe("The rows, one object per line; keys become the columns."),
        search_result: z
          .object({ tickets: z.array(row) })
          .loose()
          .optional()
          .describe("Instead of rows: a search_tickets result; its tickets are written."),
        file_name: z
          .string()
          .min(1)
          .max(200)
          .describe('File name inside the export folder, e.g. "open-critical.csv".'),
        columns: z
          .array(z.string())
          .optional()
          .describe("Columns to write, in order (default: every field)."),
        overwrite: z.boolean().default(false).describe("Replace the file if it exists."),
      }),
      outputSchema: z.object({
        path: z.string(),
        file_name: z.string(),
        rows: z.number(),
        columns: z.array(z.string()),
        bytes: z.number(),
      }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: true, // overwrite: true replaces a file
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    ({ rows, search_result, file_name, columns, overwrite }) =>
      run(async () => {
        if ((rows === undefined) === (search_result === undefined)) {
          throw new LocalToolError(
            "Pass exactly one of rows (an array of objects) or search_result (a search_tickets result).",
          );
        }
        const data: Row[] = rows ?? search_result?.tickets ?? [];
        const result = await exportCsv({
          folder: exportDir,
          fileName: file_name,
          rows: data,
          columns,
          overwrite,
        });
        log(`export_tickets_csv rows=${result.rows} file=${result.file_name}`);
        const text = `Wrote ${result.rows} row${result.rows === 1 ? "" : "s"} (${result.columns.length} columns) to ${result.path}`;
        return { content: [{ type: "text", text }], structuredContent: { ...result } };
      }),
  );

  server.registerTool(
    "current_time",
    {
      title: "Current date and time in a time zone",
      description:
        "The current local date, time, weekday and UTC offset in an IANA time zone " +
        `(${ZONE_EXAMPLES.join(", ")}). For a city, pass its zone: Tokyo is Asia/Tokyo.`,
      inputSchema: z.object({
        time_zone: z.string().min(1).max(64).describe("IANA time zone, e.g. Europe/Moscow"),
      }),
      outputSchema: z.object({
        time_zone: z.string(),
        iso: z.string(),
        date: z.string(),
        time: z.string(),
        weekday: z.string(),
        utc_offset: z.string(),
        utc: z.string(),
      }),
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: false, // the answer changes every second
        openWorldHint: false,
      },
    },
    ({ time_zone }) =>
      run(() => {
        const t = timeIn(time_zone, now());
        log(`current_time time_zone=${t.time_zone}`);
        const text = `${t.time_zone}: ${t.date} ${t.time} (${t.weekday}), UTC${t.utc_offset}`;
        return { content: [{ type: "text", text }], structuredContent: { ...t } };
      }),
  );
  return server;
}

/** The export folder: --export-dir DIR, else LOCAL_TOOLS_EXPORT_DIR, else ./exports. */
export function exportDirFrom(argv: string[], env: NodeJS.ProcessEnv): string {
  const at = argv.findIndex((a) => a === "--export-dir" || a.startsWith("--export-dir="));
  const given =
    at < 0
      ? undefined
      : argv[at]!.includes("=")
        ? argv[at]!.slice("--export-dir=".length)
        : argv[at + 1];
  if (at >= 0 && !given)
    throw new Error("--export-dir needs a folder, e.g. --export-dir ./exports");
  return path.resolve(given ?? env.LOCAL_TOOLS_EXPORT_DIR ?? "exports");
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[local-tools] ${line}\n`);
  const exportDir = exportDirFrom(process.argv.slice(2), process.env);
  // One instance per connection (and one for a modern client's discovery probe), built
  // by the same factory whichever era the client speaks.
  const handle = serveStdio(() => createLocalToolsServer({ exportDir, log }), {
    onerror: (error) => log(`error: ${error.message}`),
  });
  log(`serving over stdio; CSV exports go to ${exportDir}`);
  // The client closes stdin (or sends a signal) when it is done with us.
  const stop = () => void handle.close().then(() => process.exit(0));
  process.stdin.once("end", stop);
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `[local-tools] ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
