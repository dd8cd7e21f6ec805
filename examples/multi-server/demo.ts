/**
 * `npm run demo:multi`: one agent, three MCP servers (the seed's "integration with
 * several servers"). It starts the ticket server and the weather example server (both
 * Streamable HTTP, in this process), loads examples/multi-server/servers.json through
 * the agent's config loader (the seed's format: "streamable_http", and "stdio" for the
 * local-tools server, which the client starts as a subprocess), and asks questions that
 * need different servers, one of them two at once. It prints which server each tool
 * came from and, with the offline model, checks that every question used the servers
 * it needs, that the CSV export is on disk and that the agent left no session open on the
 * ticket server; then exits 0.
 *
 * Ports: 8000 and 9000 as in servers.json; when one is busy, a free port instead (the
 * URL is rewritten in memory, and the run says so). With OPENAI_API_KEY set, the same
 * run uses the real model (the checks then only warn: a real model may choose otherwise).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ToolMessage } from "@langchain/core/messages";
import { pino } from "pino";
import { ask, buildAgent } from "../../agent/src/agent.js";
import { loadServersConfig, type ServersConfig } from "../../agent/src/config.js";
import { connectServers, type ToolCallRecord } from "../../agent/src/mcpClient.js";
import { selectModel, type ModelChoice } from "../../agent/src/models.js";
import { offlineBanner } from "../../agent/src/offline/index.js";
import { structuredOf } from "../../agent/src/offline/model.js";
import { loadConfig } from "../../server/src/config.js";
import { createApp } from "../../server/src/http/app.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startWeatherServer } from "../weather-server/server.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CONFIG_FILE = path.join(ROOT, "examples/multi-server/servers.json");

/** The questions, and the servers each one needs. */
export const QUESTIONS: { question: string; servers: string[] }[] = [
  {
    question: "Покажи открытые критические тикеты и погоду в Москве",
    servers: ["tickets-http", "weather"],
  },
  { question: "What's the weather forecast for London for 3 days?", servers: ["weather"] },
  { question: "Export open critical tickets to CSV", servers: ["tickets-http", "local-tools"] },
  { question: "Который час в Токио?", servers: ["local-tools"] },
];

export interface QuestionRun {
  question: string;
  expected: string[];
  answer: string;
  calls: ToolCallRecord[];
  /** The CSV the export wrote, when there was one. */
  exported?: { path: string; rows: number; lines: number };
}

export interface DemoOptions {
  /** Try servers.json's ports (8000, 9000) first; else always free ports. Default true. */
  defaultPorts?: boolean;
  model?: ModelChoice;
  /** Where CSV exports go; default: a temporary folder, removed afterwards. */
  exportDir?: string;
  print?: (line: string) => void;
  /** Default: QUESTIONS. */
  questions?: { question: string; servers: string[] }[];
}

export interface DemoResult {
  model: string;
  offline: boolean;
  toolServers: Map<string, string>;
  runs: QuestionRun[];
  /** What did not go as expected (empty: all good). */
  problems: string[];
  /** Sessions still open on the ticket server after the agent closed (should be 0). */
  openSessions: number;
}

/** Listens on `port`, or on a free port when it is taken; says which. */
async function listen(server: Server, port: number): Promise<{ port: number; moved: boolean }> {
  const attempt = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  try {
    await attempt(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || port === 0) throw error;
    await attempt(0);
  }
  const actual = (server.address() as AddressInfo).port;
  return { port: actual, moved: port !== 0 && actual !== port };
}

const portOf = (servers: ServersConfig, name: string) => {
  const conn = servers[name];
  return conn && conn.transport !== "stdio" ? Number(new URL(conn.url).port) : 0;
};

/** Arguments for printing: arrays of objects (CSV rows) as a count. */
function shortArgs(args: Record<string, unknown>): string {
  return JSON.stringify(args, (_key, value: unknown) =>
    Array.isArray(value) && value.some((v) => typeof v === "object")
      ? `[${value.length} rows]`
      : value,
  );
}

export async function runMultiServerDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const { servers } = loadServersConfig({ path: CONFIG_FILE, env: {} });
  const preferred = options.defaultPorts ?? true;
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    // The ticket server, exactly as `npm start` builds it.
    const config = loadConfig({ ...process.env, HOST: "127.0.0.1", PORT: "0" });
    const store = await loadMemoryStore(config.TICKETS_FILE);
    const tickets = createApp({ config, store, logger: pino({ level: "warn" }) });
    const ticketHttp = createServer(tickets.app);
    const ticketPort = await listen(ticketHttp, preferred ? portOf(servers, "tickets-http") : 0);
    cleanups.push(async () => {
      await tickets.close();
      ticketHttp.closeAllConnections();
      await new Promise<void>((resolve) => ticketHttp.close(() => resolve()));
    });

    const weatherPort = preferred ? portOf(servers, "weather") : 0;
    const weather = await startWeatherServer({ port: weatherPort }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      return startWeatherServer({ port: 0 });
    });
    cleanups.push(() => weather.close());

    // Point the config at what is running; the file itself is not changed.
    const moved: string[] = [];
    for (const [name, url, port, wanted] of [
      [
        "tickets-http",
        `http://127.0.0.1:${ticketPort.port}/mcp`,
        ticketPort.port,
        portOf(servers, "tickets-http"),
      ],
      ["weather", weather.url, weather.port, weatherPort],
    ] as const) {
      const conn = servers[name];
      if (conn && conn.transport !== "stdio") conn.url = url;
      if (preferred && port !== wanted)
        moved.push(`${name}: port ${wanted} is busy, using ${port}`);
    }
    let exportDir = options.exportDir ?? process.env.LOCAL_TOOLS_EXPORT_DIR;
    if (!exportDir) {
      const temp = await mkdtemp(path.join(tmpdir(), "mcp-multi-demo-"));
      cleanups.push(() => rm(temp, { recursive: true, force: true }));
      exportDir = temp;
    }
    const local = servers["local-tools"];
    if (local?.transport === "stdio") {
      local.env = { ...local.env, LOCAL_TOOLS_EXPORT_DIR: path.resolve(exportDir) };
      local.cwd ??= ROOT; // its args are relative to the repository root
    }

    const choice = options.model ?? (await selectModel());
    print(
      `Multi-server demo: ${path.relative(ROOT, CONFIG_FILE)} (${Object.keys(servers).length} servers)`,
    );
    for (const [name, conn] of Object.entries(servers)) {
      const where =
        conn.transport === "stdio"
          ? `stdio: ${[conn.command, ...conn.args].join(" ")} (a subprocess; CSV files go to ${exportDir})`
          : `${conn.url} (started by this demo)`;
      print(`  ${name.padEnd(13)} ${where}`);
    }
    for (const note of moved) print(`  note: ${note}; the URL was rewritten in memory`);
    if (choice.offline) print(`\n${offlineBanner(Object.keys(servers))}`);
    print(`Model: ${choice.name}`);

    const calls: ToolCallRecord[] = [];
    const connected = await connectServers(servers, { onToolEnd: (r) => calls.push(r) });
    cleanups.push(() => connected.close());
    const byServer = new Map<string, string[]>();
    for (const [tool, server] of connected.toolServers) {
      byServer.set(server, [...(byServer.get(server) ?? []), tool]);
    }
    print(`Tools: ${[...byServer].map(([s, t]) => `${s} → ${t.join(", ")}`).join("; ")}`);

    const agent = buildAgent(choice.model, connected.tools);
    const runs: QuestionRun[] = [];
    const problems: string[] = [];
    for (const [i, { question, servers: expected }] of (options.questions ?? QUESTIONS).entries()) {
      calls.length = 0;
      const { answer, messages } = await ask(agent, question, [], {
        onStep: (m) => connected.settle(m),
      });
      const run: QuestionRun = { question, expected, answer, calls: [...calls] };
      print(`\n── ${i + 1}. ${question}`);
      for (const c of run.calls) {
        print(
          `   ${c.server} → ${c.tool} ${shortArgs(c.args)} (${c.ms} ms${c.ok ? "" : ", failed"})`,
        );
      }
      print(answer);

      const used = [...new Set(run.calls.map((c) => c.server))].sort();
      if (used.join() !== [...expected].sort().join()) {
        problems.push(
          `"${question}": used ${used.join(", ") || "no server"}, expected ${expected.join(", ")}`,
        );
      }
      if (run.calls.some((c) => !c.ok)) problems.push(`"${question}": a tool call failed`);
      for (const m of messages) {
        if (!ToolMessage.isInstance(m) || m.name !== "export_tickets_csv") continue;
        const data = structuredOf(m, String(m.content));
        if (typeof data?.path !== "string") continue;
        const text = await readFile(data.path, "utf8");
        const lines = text.split("\r\n").filter((l) => l !== "").length;
        run.exported = { path: data.path, rows: Number(data.rows), lines };
        if (lines !== run.exported.rows + 1) {
          problems.push(
            `${data.path}: ${lines} lines, expected a header and ${run.exported.rows} rows`,
          );
        }
      }
      if (expected.includes("local-tools") && /export/i.test(question) && !run.exported) {
        problems.push(`"${question}": no CSV file was written`);
      }
      runs.push(run);
    }
    // The agent's close() ends its HTTP sessions (DELETE); the ticket server must have
    // none left. (The weather server is stateless; stdio has no sessions.)
    await connected.close();
    const openSessions = tickets.sessions.size;
    print(`\nSessions left open on the ticket server: ${openSessions}`);
    if (openSessions !== 0) problems.push(`${openSessions} ticket-server session(s) not ended`);
    return {
      model: choice.name,
      offline: choice.offline,
      toolServers: connected.toolServers,
      runs,
      problems,
      openSessions,
    };
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const result = await runMultiServerDemo();
  console.log("");
  if (result.problems.length === 0) {
    console.log("✓ Every question used the servers it needs; the CSV export was checked on disk.");
    return;
  }
  const lines = result.problems.map((p) => `  - ${p}`).join("\n");
  if (result.offline) {
    console.error(`✗ The demo did not go as expected:\n${lines}`);
    process.exitCode = 1;
  } else {
    console.log(`Note: the model (${result.model}) chose differently than expected:\n${lines}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`demo:multi failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
