/**
 * The local-tools example server (examples/local-tools) as a real stdio subprocess,
 * started the way servers.json starts it (node --import tsx …), driven by the SDK's
 * Client (v1, the 2025 revision, as LangChain's adapters speak it; and the v2 Client
 * negotiating 2026-07-28 over the same command): the CSV export (written in a temporary folder, quoted correctly, paths that
 * leave the folder refused, no silent overwrite), the time in a zone (and a clear error
 * for a bad zone), and logs on stderr only (stdout carries the protocol).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { Client as ClientV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioClientTransportV2 } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { exportDirFrom } from "../../examples/local-tools/server.js";
import { csvField } from "../../examples/local-tools/csvExport.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let folder: string;
let outside: string;
let client: Client;
let stderr = "";

before(async () => {
  // realpath: on macOS the temporary folder is behind a symbolic link (/tmp → /private/tmp).
  folder = await realpath(await mkdtemp(path.join(tmpdir(), "local-tools-test-")));
  outside = await realpath(await mkdtemp(path.join(tmpdir(), "local-tools-outside-")));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", "examples/local-tools/server.ts", "--export-dir", folder],
    cwd: ROOT,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  client = new Client({ name: "local-tools-test", version: "1.0.0" });
  await client.connect(transport);
});
after(async () => {
  await client.close();
  await rm(folder, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

const TICKETS = [
  { ticket_id: "TKT-0006", title: "Suspicious login", status: "open", priority: "critical" },
  { ticket_id: "TKT-0050", title: 'Invoice "old address", VAT', status: "open", priority: "high" },
];

describe("local-tools over stdio", () => {
  test("tools/list: both tools, hints set explicitly, output schemas", async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ["current_time", "export_tickets_csv"]);
    assert.deepEqual(byName.get("export_tickets_csv")?.annotations, {
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
    assert.equal(byName.get("current_time")?.annotations?.readOnlyHint, true);
    assert.match(byName.get("export_tickets_csv")?.description ?? "", new RegExp(folder));
    for (const tool of tools) assert.equal(tool.outputSchema?.type, "object");
  });

  test("export_tickets_csv writes a CSV inside the folder and returns path and count", async () => {
    const result = await call("export_tickets_csv", { rows: TICKETS, file_name: "open" });
    assert.equal(result.isError, undefined, textOf(result));
    const data = result.structuredContent as { path: string; rows: number; columns: string[] };
    assert.equal(data.path, path.join(folder, "open.csv"));
    assert.equal(data.rows, 2);
    assert.deepEqual(data.columns, ["ticket_id", "title", "status", "priority"]);
    assert.equal(textOf(result), `Wrote 2 rows (4 columns) to ${data.path}`);
    const csv = await readFile(data.path, "utf8");
    assert.equal(
      csv,
      "\uFEFFticket_id,title,status,priority\r\n" +
        "TKT-0006,Suspicious login,open,critical\r\n" +
        'TKT-0050,"Invoice ""old address"", VAT",open,high\r\n',
    );
  });

  test("a search_tickets result is accepted as is; columns pick and order fields", async () => {
    const result = await call("export_tickets_csv", {
      search_result: { total: 2, tickets: TICKETS, filters: { status: "open" } },
      file_name: "reports/ids.csv",
      columns: ["priority", "ticket_id"],
    });
    assert.equal(result.isError, undefined, textOf(result));
    const csv = await readFile(path.join(folder, "reports", "ids.csv"), "utf8");
    assert.equal(csv, "\uFEFFpriority,ticket_id\r\ncritical,TKT-0006\r\nhigh,TKT-0050\r\n");
    const unknown = await call("export_tickets_csv", {
      rows: TICKETS,
      file_name: "x.csv",
      columns: ["ticket_id", "colour"],
    });
    assert.equal(unknown.isError, true);
    assert.match(
      textOf(unknown),
      /columns: "colour" not in the rows\. Available: ticket_id, title/,
    );
  });

  test("paths that leave the export folder are refused, and nothing is written", async () => {
    await symlink(outside, path.join(folder, "link"));
    for (const file_name of [
      "../escape.csv",
      "a/../../escape.csv",
      "/etc/escape.csv",
      "link/x.csv",
    ]) {
      const result = await call("export_tickets_csv", { rows: TICKETS, file_name });
      assert.equal(result.isError, true, file_name);
      assert.match(
        textOf(result),
        new RegExp(
          `file_name "${file_name.replace(/[.*/]/g, "\\$&")}" (leads outside|is an absolute path)`,
        ),
      );
      assert.match(textOf(result), /e\.g\. "open-tickets\.csv"/);
    }
    assert.deepEqual(await readdir(outside), []);
    await writeFile(path.join(outside, "target.csv"), "keep");
    await symlink(path.join(outside, "target.csv"), path.join(folder, "planted.csv"));
    const planted = await call("export_tickets_csv", {
      rows: TICKETS,
      file_name: "planted.csv",
      overwrite: true,
    });
    assert.match(textOf(planted), /is a symbolic link/);
    assert.equal(await readFile(path.join(outside, "target.csv"), "utf8"), "keep");
  });

  test("an existing file is kept unless overwrite is true; rows are required", async () => {
    await call("export_tickets_csv", { rows: TICKETS, file_name: "twice.csv" });
    const again = await call("export_tickets_csv", { rows: TICKETS, file_name: "twice.csv" });
    assert.equal(again.isError, true);
    assert.match(textOf(again), /twice\.csv already exists .* Pass overwrite: true/);
    const replaced = await call("export_tickets_csv", {
      rows: TICKETS.slice(0, 1),
      file_name: "twice.csv",
      overwrite: true,
    });
    assert.equal((replaced.structuredContent as { rows: number }).rows, 1);
    const none = await call("export_tickets_csv", { file_name: "none.csv" });
    assert.match(textOf(none), /Pass exactly one of rows .* or search_result/);
    const empty = await call("export_tickets_csv", { rows: [], file_name: "empty.csv" });
    assert.match(textOf(empty), /rows is empty: nothing to export/);
  });

  test("current_time: local time and offset in an IANA zone, case-insensitive", async () => {
    const result = await call("current_time", { time_zone: "asia/tokyo" });
    const data = result.structuredContent as Record<string, string>;
    assert.equal(data.time_zone, "Asia/Tokyo");
    assert.equal(data.utc_offset, "+09:00");
    assert.match(data.iso!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    // The same instant: local time minus the offset is the UTC time.
    assert.equal(new Date(data.iso!).getTime(), Math.floor(Date.parse(data.utc!) / 1000) * 1000);
    assert.match(
      textOf(result),
      /^Asia\/Tokyo: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(\w+day\), UTC\+09:00$/,
    );
    const utc = await call("current_time", { time_zone: "UTC" });
    assert.equal((utc.structuredContent as Record<string, string>).utc_offset, "+00:00");
  });

  test("current_time: a bad zone is an error with a suggestion and examples", async () => {
    const city = await call("current_time", { time_zone: "Tokyo" });
    assert.equal(city.isError, true);
    assert.match(
      textOf(city),
      /^time_zone "Tokyo" is not an IANA time zone\. Did you mean Asia\/Tokyo\?/,
    );
    const junk = await call("current_time", { time_zone: "Mars/Olympus" });
    assert.match(textOf(junk), /Use Area\/City names such as Europe\/Moscow, Asia\/Tokyo/);
  });

  test("the same command serves the 2026-07-28 revision to a v2 client (server/discover)", async () => {
    const transport = new StdioClientTransportV2({
      command: process.execPath,
      args: ["--import", "tsx", "examples/local-tools/server.ts", "--export-dir", folder],
      cwd: ROOT,
      stderr: "pipe",
    });
    const modern = new ClientV2(
      { name: "local-tools-test-v2", version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    try {
      await modern.connect(transport);
      assert.equal(modern.getProtocolEra(), "modern");
      assert.equal(modern.getNegotiatedProtocolVersion(), "2026-07-28");
      assert.match(modern.getInstructions() ?? "", /export_tickets_csv writes CSV files into/);
      assert.deepEqual((await modern.listTools()).tools, (await client.listTools()).tools);
      const written = await modern.callTool({
        name: "export_tickets_csv",
        arguments: { rows: TICKETS, file_name: "modern.csv" },
      });
      assert.equal((written.structuredContent as { rows: number }).rows, 2);
      assert.match(await readFile(path.join(folder, "modern.csv"), "utf8"), /^\uFEFFticket_id,/);
      const escape = await modern.callTool({
        name: "export_tickets_csv",
        arguments: { rows: TICKETS, file_name: "../escape.csv" },
      });
      assert.equal(escape.isError, true);
      assert.match(textOf(escape as CallToolResult), /leads outside the export folder/);
      assert.ok(!(await readdir(path.dirname(folder))).includes("escape.csv"));
    } finally {
      await modern.close();
    }
  });

  test("logs go to stderr (stdout is the protocol's)", () => {
    assert.match(stderr, /\[local-tools\] serving over stdio; CSV exports go to /);
    assert.match(stderr, /\[local-tools\] export_tickets_csv rows=2 file=open\.csv/);
  });
});

describe("local-tools helpers", () => {
  test("the export folder: --export-dir, else LOCAL_TOOLS_EXPORT_DIR, else ./exports", () => {
    assert.equal(exportDirFrom(["--export-dir", "/tmp/a"], {}), "/tmp/a");
    assert.equal(exportDirFrom(["--export-dir=/tmp/b"], {}), "/tmp/b");
    assert.equal(exportDirFrom([], { LOCAL_TOOLS_EXPORT_DIR: "/tmp/c" }), "/tmp/c");
    assert.equal(exportDirFrom([], {}), path.resolve("exports"));
    assert.throws(() => exportDirFrom(["--export-dir"], {}), /--export-dir needs a folder/);
  });

  test("CSV fields: quoting, formulas defused, objects as JSON", () => {
    assert.equal(csvField("plain"), "plain");
    assert.equal(csvField('a "b", c'), '"a ""b"", c"');
    assert.equal(csvField("line\nbreak"), '"line\nbreak"');
    assert.equal(csvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    assert.equal(csvField(-5), "-5");
    assert.equal(csvField(null), "");
    assert.equal(csvField({ a: 1 }), '"{""a"":1}"');
  });
});
