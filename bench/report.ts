/**
 * The benchmark report: ratios first (this machine is shared and noisy; ratios measured
 * in the same run hold up better than milliseconds), then the tables behind them.
 */
import { renderColdStarts, type ColdStart } from "./coldStart.js";
import type { LoadResult } from "./httpLoad.js";
import type { ModelRead } from "./modelRead.js";
import type { WorkerResult } from "./searchWorker.js";

export interface PostgresSize {
  schema: string;
  importMs: number;
  importedAt: string;
  /** The data came from an earlier run's import. */
  reused: boolean;
  tableMb: number;
  indexesMb: number;
  worker: WorkerResult;
}

/** The full app, the bare SDK transport for the same mode, or plain node:http. */
export type Kind = "app" | "floor" | "ceiling";

export interface HttpResults {
  replyBytes: number;
  request: unknown;
  runs: {
    mode: string;
    /** "2025 sessions", "2025 stateless", "2026-07-28", or "-" for the ceiling. */
    era: string;
    kind: Kind;
    results: LoadResult[];
    /** Why there are no results (the server does not speak that era yet). */
    unavailable?: string;
  }[];
  /** The 2025-sessions figure before the move to SDK v2, requests/s by concurrency. */
  before: { source: string; perSecond: Record<number, number> };
}

export interface BenchResults {
  when: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    /** 1-minute load average at the start and the end. */
    loadAverage: [number, number];
  };
  seconds: number;
  coldStart: ColdStart[];
  search: { size: number; fileBytes: number; memory: WorkerResult; postgres: PostgresSize }[];
  http: HttpResults;
  modelRead: ModelRead[];
}

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (x: number) => (x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`);
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const pct = (x: number) => `${Math.round(x * 100)}%`;

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

function latencyOf(worker: WorkerResult, kind: string) {
  return worker.searches.find((s) => s.kind === kind)?.latency;
}

function headline(r: BenchResults): string[] {
  const out: string[] = [];
  const largest = r.search[r.search.length - 1]!;
  const n = label(largest.size);
  const mem = largest.memory;
  const filtered = ["one field", "three fields", "user_id"].map((k) => latencyOf(mem, k)!.p50);
  const keyword = ["keyword", "keyword + status", "keyword + filters"].map(
    (k) => latencyOf(mem, k)!.p50,
  );
  const worstFiltered = Math.max(...filtered);
  const worstKeyword = Math.max(...keyword);
  out.push(
    `**Memory, ${n} tickets:** a filtered first page takes at most ${ms(worstFiltered)} ms ` +
      `(p50; aim ~1 ms: ${worstFiltered <= 1.5 ? "met" : "not met"}), a keyword page at most ` +
      `${ms(worstKeyword)} ms (aim: a few ms: ${worstKeyword <= 5 ? "met" : "not met"}).`,
  );
  const rssRatio = (mem.memoryMb.rss * 1e6) / largest.fileBytes;
  const grown = mem.memoryMb.rss - mem.baselineMb.rss;
  out.push(
    `**Memory footprint, ${n}:** ${int(mem.memoryMb.rss)} MB RSS for a ${int(largest.fileBytes / 1e6)} MB ` +
      `file = ${rssRatio.toFixed(2)}× the raw data (aim: well under 3×), of which the tickets ` +
      `and indexes are ${int(grown)} MB (${((grown * 1e6) / largest.fileBytes).toFixed(2)}×); start-up ` +
      `${(mem.startupMs.total / 1000).toFixed(1)} s (streamed from the file and indexed, no snapshot).`,
  );
  out.push(
    `**Memory, ${n}: keyword ("password") vs three fields:** ` +
      `${ms(latencyOf(mem, "keyword")!.p50)} vs ${ms(latencyOf(mem, "three fields")!.p50)} ms p50 = ` +
      `${ratio(latencyOf(mem, "keyword")!.p50 / Math.max(latencyOf(mem, "three fields")!.p50, 0.001))} ` +
      `(target ≤ 1.5×; store calls, no HTTP).`,
  );
  const pgWorker = largest.postgres.worker;
  const slowest = pgWorker.searches
    .filter((s) => !s.kind.startsWith("stats"))
    .reduce((a, b) => (b.latency.p50 > a.latency.p50 ? b : a));
  out.push(
    `**PostgreSQL, ${n}:** every first page ${slowest.latency.p50 <= 20 ? "within" : "not within"} ` +
      `20 ms (p50; slowest: ${slowest.kind}, ${ms(slowest.latency.p50)} ms); import ` +
      `${(largest.postgres.importMs / 1000).toFixed(0)} s (target ≤ 40 s).`,
  );
  const kinds = mem.searches.map((s) => s.kind);
  const ratios = kinds
    .map((k) => latencyOf(pgWorker, k)!.p50 / Math.max(latencyOf(mem, k)!.p50, 0.001))
    .sort((a, b) => a - b);
  out.push(
    `**PostgreSQL vs memory, ${n}:** PostgreSQL's p50 is ${ratio(ratios[0]!)} to ` +
      `${ratio(ratios[ratios.length - 1]!)} memory's (median ${ratio(ratios[Math.floor(ratios.length / 2)]!)}), ` +
      `across ${kinds.length} query kinds; its slowest kind takes ` +
      `${ms(Math.max(...pgWorker.searches.map((s) => s.latency.p50)))} ms (p50). ` +
      `Its node process needs ${int(pgWorker.memoryMb.rss)} MB instead of ${int(mem.memoryMb.rss)} MB.`,
  );
  out.push(...httpHeadline(r.http));
  const text = r.modelRead.reduce((s, m) => s + m.text.bytes, 0);
  const json = r.modelRead.reduce((s, m) => s + m.prettyJson.bytes, 0);
  out.push(
    `**What the model reads:** the seed's three questions cost ${int(text)} bytes ` +
      `(~${int(text / 4)} tokens) as tool text vs ${int(json)} bytes as pretty JSON: ` +
      `${pct(text / json)} of it (target ≤ 33%).`,
  );
  return out;
}

/** App / bare transport of its mode, per concurrency; undefined when either is missing. */
function appShare(h: HttpResults, era: string): number[] | undefined {
  const app = h.runs.find((x) => x.era === era && x.kind === "app");
  const floor = h.runs.find((x) => x.era === era && x.kind === "floor");
  if (!app?.results.length || !floor?.results.length) return undefined;
  return app.results.map((x, i) => x.perSecond / floor.results[i]!.perSecond);
}

const APP_TARGET = 0.95;

export function httpHeadline(h: HttpResults): string[] {
  const range = (xs: number[]) =>
    xs.length === 1 ? ratio2(xs[0]!) : `${ratio2(Math.min(...xs))}–${ratio2(Math.max(...xs))}`;
  const eras = [...new Set(h.runs.filter((x) => x.kind === "app").map((x) => x.era))];
  const parts = eras.map((era) => {
    const share = appShare(h, era);
    const app = h.runs.find((x) => x.era === era && x.kind === "app")!;
    if (!share) return `${era}: ${app.unavailable ?? "n/a"}`;
    const met = Math.min(...share) >= APP_TARGET ? "met" : "not met";
    return `${era} ${range(share)} (${met})`;
  });
  const out = [
    `**The app against the bare SDK v2 transport of its mode** (auth, rate limit, metrics, ` +
      `logs on; aim ≥ ${APP_TARGET}× at every concurrency): ${parts.join("; ")}.`,
  ];
  const sessions = h.runs.find((x) => x.era === "2025 sessions" && x.kind === "app");
  if (sessions?.results.length) {
    const vs = sessions.results
      .filter((x) => h.before.perSecond[x.concurrency] !== undefined)
      .map(
        (x) =>
          `${int(x.perSecond)} vs ${int(h.before.perSecond[x.concurrency]!)} at ${x.concurrency} ` +
          `(${ratio2(x.perSecond / h.before.perSecond[x.concurrency]!)})`,
      );
    out.push(
      `**2025 sessions, now (SDK v2) vs before (v1):** ${vs.join(", ")} requests/s ` +
        `(before: ${h.before.source}; another day's load, so a rough comparison).`,
    );
  }
  return out;
}

const ratio2 = (x: number) => `${x.toFixed(2)}×`;

/** The tools/call section: one row per server and concurrency, ratios beside. */
export function renderHttp(h: HttpResults): string {
  const ceiling = h.runs.find((x) => x.kind === "ceiling")!.results;
  const floorOf = (era: string) => h.runs.find((x) => x.era === era && x.kind === "floor");
  const rows = h.runs.flatMap((run) => {
    if (run.unavailable) return [[run.mode, "—", run.unavailable, "", "", "", "", ""]];
    return run.results.map((x, i) => {
      const floor = run.kind === "app" ? floorOf(run.era)?.results[i] : undefined;
      const before =
        run.kind === "app" && run.era === "2025 sessions"
          ? h.before.perSecond[x.concurrency]
          : undefined;
      return [
        run.mode,
        String(x.concurrency),
        int(x.perSecond),
        ms(x.latency.p50),
        ms(x.latency.p99),
        floor ? ratio2(x.perSecond / floor.perSecond) : "",
        pct(x.perSecond / ceiling[i]!.perSecond) +
          (before ? ` · before (v1): ${int(before)}/s` : ""),
        String(x.errors),
      ];
    });
  });
  return [
    `\`search_tickets ${JSON.stringify((h.request as { arguments: unknown }).arguments)}\` on the ` +
      `50 sample tickets (so the store costs nothing and the HTTP path is what is measured); ` +
      `the answer is ${int(h.replyBytes)} bytes of SSE. Per era and mode: the full app ` +
      "(bearer token, rate limit, metrics, an info log line per request to a file), then the " +
      "bare SDK v2 transport for the same mode answering the same bytes from a no-op tool " +
      "(NodeStreamableHTTPServerTransport with and without sessions; createMcpHandler for " +
      "2026-07-28, driven as a v2 client does: the `_meta` envelope in every request and the " +
      "MCP-Protocol-Version, Mcp-Method and Mcp-Name headers). The ceiling is a bare node:http " +
      "server sending the app's bytes. Closed loop: each client sends its next request when " +
      "the answer is in; the load generator runs on the same cores.",
    "",
    table(
      [
        "server",
        "clients",
        "requests/s",
        "p50 ms",
        "p99 ms",
        "app / transport",
        "share of ceiling",
        "errors",
      ],
      rows,
    ),
  ].join("\n");
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const sizes = r.search.map((s) => label(s.size));
  const parts: string[] = [
    `# Benchmark results${r.quick ? " (quick)" : ""}`,
    "",
    `${r.when.slice(0, 16).replace("T", " ")} UTC · ${m.cpus} × ${m.cpuModel} · ${m.memoryGb} GB · ` +
      `Node ${m.node} · PostgreSQL ${m.postgres} · ${r.seconds} s in all · load average ` +
      `${m.loadAverage[0].toFixed(1)} at the start, ${m.loadAverage[1].toFixed(1)} at the end ` +
      "(other work shares this machine: compare ratios within the run, not absolute times " +
      "across runs). Written by `npm run bench`.",
    "",
    "## Headline",
    "",
    ...headline(r).map((line) => `- ${line}`),
    "",
    ...renderColdStarts(r.coldStart),
    "## Search latency",
    "",
    "One `search` call on the store (no HTTP), first page of 10, sorted by priority; " +
      "milliseconds, p50 / p99. Each store runs in a fresh process after its start-up.",
    "",
  ];
  const kinds = r.search[0]!.memory.searches.map((s) => s.kind);
  const cell = (w: WorkerResult, k: string) => {
    const l = latencyOf(w, k)!;
    return `${ms(l.p50)} / ${ms(l.p99)}`;
  };
  const last = r.search[r.search.length - 1]!;
  parts.push(
    table(
      [
        "query",
        ...sizes.map((s) => `memory ${s}`),
        ...sizes.map((s) => `PostgreSQL ${s}`),
        `PG / memory ${sizes[sizes.length - 1]} (p50)`,
      ],
      kinds.map((k) => [
        k,
        ...r.search.map((s) => cell(s.memory, k)),
        ...r.search.map((s) => cell(s.postgres.worker, k)),
        ratio(
          latencyOf(last.postgres.worker, k)!.p50 / Math.max(latencyOf(last.memory, k)!.p50, 0.001),
        ),
      ]),
    ),
    "",
    "Matches per query: " +
      r.search
        .map(
          (s) =>
            `${label(s.size)}: ${s.memory.searches.map((q) => `${q.kind} ${int(q.total)}`).join(", ")}`,
        )
        .join("; ") +
      ".",
    "",
    "## Start-up and memory",
    "",
    "RSS after a full GC once the store is open; growth = RSS minus the same process before " +
      "it opened the store (Node, tsx and the server's modules take the rest).",
    "",
    table(
      [
        "store",
        "tickets",
        "data",
        "start-up",
        "RSS (after GC)",
        "RSS / file",
        "RSS growth",
        "heap",
      ],
      r.search.flatMap((s) => [
        [
          "memory",
          int(s.size),
          s.fileBytes >= 1e6
            ? `${(s.fileBytes / 1e6).toFixed(1)} MB .jsonl`
            : `${Math.round(s.fileBytes / 1e3)} kB .jsonl`,
          `${(s.memory.startupMs.total / 1000).toFixed(2)} s`,
          `${int(s.memory.memoryMb.rss)} MB`,
          // Below a few MB the process itself (about 100 MB) is all there is to see.
          s.fileBytes >= 1e7 ? `${((s.memory.memoryMb.rss * 1e6) / s.fileBytes).toFixed(2)}×` : "—",
          `${int(s.memory.memoryMb.rss - s.memory.baselineMb.rss)} MB`,
          `${int(s.memory.memoryMb.heap)} MB`,
        ],
        [
          "PostgreSQL",
          int(s.size),
          `${int(s.postgres.tableMb)} MB table + ${int(s.postgres.indexesMb)} MB indexes`,
          `${(s.postgres.worker.startupMs.total / 1000).toFixed(2)} s to first answer; import ` +
            `${(s.postgres.importMs / 1000).toFixed(1)} s${s.postgres.reused ? ` (on ${s.postgres.importedAt.slice(0, 10)})` : ""}`,
          `${int(s.postgres.worker.memoryMb.rss)} MB`,
          "",
          `${int(s.postgres.worker.memoryMb.rss - s.postgres.worker.baselineMb.rss)} MB`,
          `${int(s.postgres.worker.memoryMb.heap)} MB`,
        ],
      ]),
    ),
    "",
    "## tools/call over Streamable HTTP",
    "",
    renderHttp(r.http),
    "",
    "## What the model reads",
    "",
    "The seed's three questions, with the arguments the agent gives `search_tickets`, on the " +
      "50 sample tickets: the tool's text (what LangChain hands the model) beside the same " +
      "tickets as pretty-printed JSON. Tokens ≈ characters / 4.",
    "",
    table(
      ["question", "arguments", "tickets", "text", "pretty JSON", "text / JSON"],
      r.modelRead.map((q) => [
        q.question,
        `\`${JSON.stringify(q.args)}\``,
        String(q.tickets),
        `${int(q.text.bytes)} B, ~${int(q.text.tokens)} tok`,
        `${int(q.prettyJson.bytes)} B, ~${int(q.prettyJson.tokens)} tok`,
        pct(q.text.bytes / q.prettyJson.bytes),
      ]),
    ),
    "",
  );
  return parts.join("\n");
}
