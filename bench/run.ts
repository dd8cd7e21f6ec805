/**
 * `npm run bench [-- --quick | --cold | --memory]`: measures cold starts, both ticket stores and the
 * HTTP path, and writes a report leading with ratios to bench/results/latest.md and
 * latest.json (--quick: quick.md and quick.json: 50 and 100k tickets, shorter runs;
 * --cold: only the cold starts, to cold-start.md and .json, no PostgreSQL needed).
 *
 * - cold starts of npm start, an agent question and --help, as typed (coldStart.ts);
 * - search latency per query kind for 50, 100k and 1M tickets, in memory and in
 *   PostgreSQL, each store in a fresh process (start-up time and memory are its own);
 * - tools/call over Streamable HTTP per era and mode (2025 sessions, 2025 stateless,
 *   2026-07-28), each as the full app beside the bare SDK v2 transport for that mode,
 *   at several concurrencies, and a bare node:http server sending the same bytes (the
 *   ceiling); `--http-only` runs this part alone (http.md / http-quick.md);
 * - what the model reads for the seed's three questions, beside pretty-printed JSON.
 *
 * Generated ticket files and the PostgreSQL data sets are kept between runs (files in
 * the OS temp dir, data in the database mcp_tickets_bench, one schema per size), so only
 * the first run pays for generating and importing a million tickets.
 * PostgreSQL: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) must
 * be allowed to create the database.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import http from "node:http";
import { generateTickets } from "../data/generator.js";
import { loadMemoryStore } from "../server/src/sources/loadStore.js";
import { withClient } from "../server/src/sources/postgresStore.js";
import { writeTicketsFile } from "../server/src/sources/spreadsheet.js";
import {
  load,
  modernHeaders,
  modernRequest,
  openSession,
  post,
  type LoadResult,
} from "./httpLoad.js";
import { measureColdStarts, renderColdStarts } from "./coldStart.js";
import { memoryScaleBench, renderMemoryScale } from "./memoryScale.js";
import { measureModelRead } from "./modelRead.js";
import {
  httpHeadline,
  renderHttp,
  renderMarkdown,
  type BenchResults,
  type Kind,
  type PostgresSize,
} from "./report.js";
import type { WorkerResult } from "./searchWorker.js";

const quick = process.argv.includes("--quick");
const memoryOnly = process.argv.includes("--memory");
const coldOnly = process.argv.includes("--cold");
const SIZES = quick ? [50, 100_000] : [50, 100_000, 1_000_000];
const CONCURRENCY = quick ? [1, 8] : [1, 8, 32];
const HTTP_MS = quick ? 1000 : 3000;
const CACHE = join(tmpdir(), "mcp-tickets-bench");
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DB = "mcp_tickets_bench";
const BENCH_URL = ADMIN_URL.replace(/\/[^/]*$/, `/${BENCH_DB}`);
const SAMPLE = "data/requests.xls";

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

/** Runs a node child (TypeScript via tsx) to completion; returns its stdout. */
async function node(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${args.join(" ")} exited with ${code}`);
  return out;
}

async function ticketFile(size: number): Promise<{ file: string; bytes: number }> {
  const file = join(CACHE, `tickets-${size}.jsonl`);
  const existing = await stat(file).catch(() => undefined);
  if (existing) return { file, bytes: existing.size };
  log(`generating ${label(size)} tickets -> ${file}`);
  const { bytes } = await writeTicketsFile(file, generateTickets({ count: size }));
  return { file, bytes };
}

/** The size's schema, imported with `npm run db:import` unless a previous run did it. */
async function postgresData(size: number, file: string): Promise<Omit<PostgresSize, "worker">> {
  const schema = `bench_${size}`;
  const loaded = await withClient(BENCH_URL, async (c) => {
    const { rows } = await c
      .query<{ count: number; ms: number; at: Date }>(
        `SELECT (SELECT count(*)::int FROM ${schema}.tickets) AS count, ms, at FROM ${schema}.bench_import`,
      )
      .catch(() => ({ rows: [] }));
    return rows[0]?.count === size ? rows[0] : undefined;
  });
  let importMs = loaded?.ms;
  let importedAt = loaded?.at.toISOString();
  if (!loaded) {
    log(`importing ${label(size)} tickets into ${BENCH_DB} (schema ${schema})`);
    await withClient(BENCH_URL, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    const started = performance.now();
    await node(["server/src/cli/dbImport.ts", file], {
      DATABASE_URL: BENCH_URL,
      DATABASE_SCHEMA: schema,
    });
    importMs = performance.now() - started;
    importedAt = new Date().toISOString();
    await withClient(BENCH_URL, async (c) => {
      await c.query(`CREATE TABLE ${schema}.bench_import (ms float8, at timestamptz)`);
      await c.query(`INSERT INTO ${schema}.bench_import VALUES ($1, now())`, [importMs]);
    });
  }
  const sizes = await withClient(BENCH_URL, async (c) => {
    const { rows } = await c.query<{ table: string; indexes: string }>(
      `SELECT pg_table_size('${schema}.tickets') AS table, pg_indexes_size('${schema}.tickets') AS indexes`,
    );
    return { tableMb: Number(rows[0]!.table) / 1e6, indexesMb: Number(rows[0]!.indexes) / 1e6 };
  });
  return { schema, importMs: importMs!, importedAt: importedAt!, reused: !!loaded, ...sizes };
}

async function searchBench(): Promise<BenchResults["search"]> {
  const out: BenchResults["search"] = [];
  await withClient(ADMIN_URL, async (c) => {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [BENCH_DB]);
    if (rowCount === 0) await c.query(`CREATE DATABASE ${BENCH_DB}`);
  });
  for (const size of SIZES) {
    const { file, bytes } = await ticketFile(size);
    log(`memory store, ${label(size)} tickets`);
    const memory = JSON.parse(
      await node(["bench/searchWorker.ts", "memory", file]),
    ) as WorkerResult;
    const data = await postgresData(size, file);
    log(`postgres store, ${label(size)} tickets`);
    const worker = JSON.parse(
      await node(["bench/searchWorker.ts", "postgres", BENCH_URL, data.schema]),
    ) as WorkerResult;
    out.push({ size, fileBytes: bytes, memory, postgres: { ...data, worker } });
  }
  return out;
}

/** Starts bench/httpServer.ts; resolves with its port and a stop function. */
async function startServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/httpServer.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  for await (const chunk of child.stdout) {
    out += (chunk as Buffer).toString();
    if (out.includes("\n")) break;
  }
  const { port } = JSON.parse(out) as { port: number };
  return { port, stop: () => child.kill("SIGTERM") };
}

/**
 * tools/call throughput under SDK v1 (1.32), before the move to v2: "MCP stateful" in
 * bench/results/latest.md of 2026-11-26 (Node 20, this machine), at 1 / 8 / 32 clients.
 */
const BEFORE_V1 = {
  source: "bench/results/latest.md, 2026-11-26, SDK v1 1.32, MCP stateful",
  perSecond: { 1: 648, 8: 1011, 32: 1196 } as Record<number, number>,
};

/** The JSON-RPC result in an SSE (or JSON) answer to request `id`. */
function resultOf(body: string, id: number): unknown {
  const messages = body.trimStart().startsWith("{")
    ? [body]
    : body
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5));
  for (const m of messages) {
    const message = JSON.parse(m) as { id?: number; result?: unknown };
    if (message.id === id && message.result !== undefined) return message.result;
  }
  throw new Error(`no result for request ${id} in ${body.slice(0, 200)}`);
}

async function httpBench(): Promise<BenchResults["http"]> {
  const params = { name: "search_tickets", arguments: { status: "open", priority: "critical" } };
  const call = { jsonrpc: "2.0", id: 1, method: "tools/call", params };
  const modernCall = modernRequest(1, "tools/call", params);
  const token = `mcpt_${randomBytes(32).toString("base64url")}`;
  const auth = { authorization: `Bearer ${token}` };
  const logs = join(CACHE, "http-logs");
  await mkdir(logs, { recursive: true });
  const app = (mode: string) =>
    startServer([mode, SAMPLE, join(logs, `${mode}.log`)], { AUTH_TOKEN: token });
  const servers = { sessions: await app("stateful"), stateless: await app("stateless") };
  const agent = new http.Agent({ keepAlive: true });
  const sample = await post(agent, servers.stateless.port, call, auth);
  // The app answers 2026-07-28 on the same endpoint once the server speaks it; before
  // that it asks for a session, and the 2026 rows say so instead of failing the run.
  const probe = await post(agent, servers.sessions.port, modernRequest(0, "server/discover", {}), {
    ...auth,
    ...modernHeaders("server/discover", {}),
  });
  agent.destroy();
  let modernApp: string | undefined;
  try {
    resultOf(probe.body, 0);
  } catch {
    modernApp = `n/a (server speaks 2025 only: server/discover answered ${probe.status} ${probe.body.slice(0, 100)})`;
  }
  const resultFile = join(CACHE, "result.json");
  await writeFile(resultFile, JSON.stringify(resultOf(sample.body, 1)));
  const bodyFile = join(CACHE, "reply.txt");
  await writeFile(bodyFile, sample.body);
  const floors = {
    sessions: await startServer(["v2-sessions", resultFile]),
    stateless: await startServer(["v2-stateless", resultFile]),
    modern: await startServer(["v2-modern", resultFile]),
  };
  const plain = await startServer(["plain", bodyFile, String(sample.headers["content-type"])]);
  const modernHeadersFor = () => Promise.resolve(modernHeaders("tools/call", params));
  type Setup = (a: http.Agent) => Promise<Record<string, string>>;
  const plan: {
    mode: string;
    era: string;
    kind: Kind;
    port: number;
    body: unknown;
    setup?: Setup;
  }[] = [
    { mode: "node:http (ceiling)", era: "-", kind: "ceiling", port: plain.port, body: call },
    {
      mode: "app, 2025 sessions",
      era: "2025 sessions",
      kind: "app",
      port: servers.sessions.port,
      body: call,
      setup: (a) => openSession(a, servers.sessions.port, auth),
    },
    {
      mode: "SDK v2 transport, 2025 sessions",
      era: "2025 sessions",
      kind: "floor",
      port: floors.sessions.port,
      body: call,
      setup: (a) => openSession(a, floors.sessions.port),
    },
    {
      mode: "app, 2025 stateless",
      era: "2025 stateless",
      kind: "app",
      port: servers.stateless.port,
      body: call,
      setup: () => Promise.resolve(auth),
    },
    {
      mode: "SDK v2 transport, 2025 stateless",
      era: "2025 stateless",
      kind: "floor",
      port: floors.stateless.port,
      body: call,
    },
    {
      mode: "app, 2026-07-28",
      era: "2026-07-28",
      kind: "app",
      port: servers.sessions.port,
      body: modernCall,
      setup: async () => ({ ...auth, ...(await modernHeadersFor()) }),
    },
    {
      mode: "SDK v2 createMcpHandler, 2026-07-28",
      era: "2026-07-28",
      kind: "floor",
      port: floors.modern.port,
      body: modernCall,
      setup: modernHeadersFor,
    },
  ];
  const runs: BenchResults["http"]["runs"] = [];
  try {
    for (const { mode, era, kind, port, body, setup } of plan) {
      if (mode === "app, 2026-07-28" && modernApp) {
        log(`HTTP ${mode}: ${modernApp}`);
        runs.push({ mode, era, kind, results: [], unavailable: modernApp });
        continue;
      }
      const results: LoadResult[] = [];
      for (const concurrency of CONCURRENCY) {
        log(`HTTP ${mode}, concurrency ${concurrency}`);
        results.push(await load({ port, concurrency, durationMs: HTTP_MS, body, setup }));
      }
      runs.push({ mode, era, kind, results });
    }
  } finally {
    for (const server of [plain, ...Object.values(servers), ...Object.values(floors)]) {
      server.stop();
    }
  }
  return {
    replyBytes: Buffer.byteLength(sample.body),
    request: call.params,
    runs,
    before: BEFORE_V1,
  };
}

/** `--http-only`: the tools/call part alone (no PostgreSQL needed), to http[-quick].md. */
async function httpOnly(): Promise<void> {
  const started = performance.now();
  await mkdir(CACHE, { recursive: true });
  const loadBefore = loadavg()[0]!;
  const h = await httpBench();
  const name = quick ? "http-quick" : "http";
  const seconds = Math.round((performance.now() - started) / 1000);
  const md = [
    "# tools/call over Streamable HTTP (npm run bench -- --http-only)",
    "",
    `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpus().length} × ` +
      `${cpus()[0]?.model ?? "?"} · Node ${process.version} · ${seconds} s · load average ` +
      `${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end.`,
    "",
    ...httpHeadline(h).map((line) => `- ${line}`),
    "",
    renderHttp(h),
    "",
  ].join("\n");
  await mkdir("bench/results", { recursive: true });
  await writeFile(`bench/results/${name}.json`, `${JSON.stringify(h, null, 2)}\n`);
  await writeFile(`bench/results/${name}.md`, md);
  log(`wrote bench/results/${name}.md and .json in ${seconds} s`);
}

/** `--cold`: the cold starts alone (a minute or two; no PostgreSQL). */
async function coldStartsOnly(): Promise<void> {
  const when = new Date().toISOString();
  const loadBefore = loadavg()[0]!;
  const coldStart = await measureColdStarts({ log });
  const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`;
  const md = [
    "# Cold starts",
    "",
    `${when.slice(0, 16).replace("T", " ")} UTC · ${cpus().length} × ${cpus()[0]?.model ?? "?"} · ` +
      `Node ${process.version} · ${load}. Written by \`npm run bench -- --cold\`.`,
    "",
    ...renderColdStarts(coldStart),
  ].join("\n");
  await mkdir("bench/results", { recursive: true });
  await writeFile(
    "bench/results/cold-start.json",
    `${JSON.stringify({ when, coldStart }, null, 2)}\n`,
  );
  await writeFile("bench/results/cold-start.md", md);
  process.stdout.write(md);
  log("wrote bench/results/cold-start.md and .json");
}

/**
 * The in-memory rows of issue 14 (first start, restart from the snapshot, RSS and peak,
 * reload peak, keyword vs three-filter over HTTP) at 1M tickets (100k with --quick),
 * to bench/results/memory(-quick).md and .json. Part of the full run; alone: --memory.
 */
async function memoryScale(): Promise<void> {
  const size = quick ? 100_000 : 1_000_000;
  const { file, bytes } = await ticketFile(size);
  const token = `mcpt_${randomBytes(32).toString("base64url")}`;
  const logs = join(CACHE, "http-logs");
  await mkdir(logs, { recursive: true });
  const results = await memoryScaleBench({
    file,
    fileBytes: bytes,
    tickets: size,
    cache: CACHE,
    log,
    httpMs: HTTP_MS,
    startServer: async (path) => {
      const server = await startServer(["stateless", path, join(logs, "memory-scale.log")], {
        AUTH_TOKEN: token,
      });
      return { ...server, auth: { authorization: `Bearer ${token}` } };
    },
  });
  const when = new Date().toISOString();
  const md = [
    "# In-memory store at scale",
    "",
    `${when.slice(0, 16).replace("T", " ")} UTC · ${cpus().length} × ${cpus()[0]?.model ?? "?"} · ` +
      `Node ${process.version} · load average ${loadavg()[0]!.toFixed(1)} at the end. ` +
      `Written by \`npm run bench -- --memory${quick ? " --quick" : ""}\`.`,
    "",
    ...renderMemoryScale(results),
  ].join("\n");
  const name = quick ? "memory-quick" : "memory";
  await mkdir("bench/results", { recursive: true });
  await writeFile(
    `bench/results/${name}.json`,
    `${JSON.stringify({ when, ...results }, null, 2)}\n`,
  );
  await writeFile(`bench/results/${name}.md`, md);
  process.stdout.write(md);
  log(`wrote bench/results/${name}.md and .json`);
}

async function main(): Promise<void> {
  if (process.argv.includes("--http-only")) return httpOnly();
  if (memoryOnly) {
    await mkdir(CACHE, { recursive: true });
    return memoryScale();
  }
  if (coldOnly) return coldStartsOnly();
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  await mkdir(CACHE, { recursive: true });
  // First, while nothing else of the bench is running or cached.
  const coldStart = await measureColdStarts({ log });
  const postgresVersion = await withClient(ADMIN_URL, async (c) =>
    String(
      (await c.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version,
    ),
  );
  const search = await searchBench();
  const httpResults = await httpBench();
  log("model read sizes");
  const modelRead = await measureModelRead(await loadMemoryStore(SAMPLE));
  const results: BenchResults = {
    when: new Date().toISOString(),
    quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "?",
      memoryGb: Math.round(totalmem() / 1e9),
      node: process.version,
      postgres: postgresVersion,
      loadAverage: [loadBefore, loadavg()[0]!],
    },
    seconds: 0,
    coldStart,
    search,
    http: httpResults,
    modelRead,
  };
  results.seconds = Math.round((performance.now() - started) / 1000);
  const name = quick ? "quick" : "latest";
  await mkdir("bench/results", { recursive: true });
  await writeFile(`bench/results/${name}.json`, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(`bench/results/${name}.md`, renderMarkdown(results));
  log(`wrote bench/results/${name}.md and .json in ${results.seconds} s`);
  await memoryScale();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
