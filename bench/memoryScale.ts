/**
 * The in-memory store at a million tickets, against the targets of issue 14: first start
 * (no snapshot), restart with the file unchanged (snapshot), RSS after start and peak RSS
 * as multiples of the file, reload peak vs steady, and a keyword page vs a three-filter
 * page (in the store, and p50 over HTTP through the real app). Each start runs in a fresh
 * process (bench/memoryStart.ts); the HTTP server is bench/httpServer.ts.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { load, type LoadResult } from "./httpLoad.js";
import type { ReloadResult, StartResult } from "./memoryStart.js";

export interface MemoryScaleResults {
  file: string;
  fileBytes: number;
  tickets: number;
  firstStart: StartResult;
  restart: StartResult;
  reload: ReloadResult;
  http?: { keyword: LoadResult; threeFilters: LoadResult };
}

interface Options {
  file: string;
  fileBytes: number;
  tickets: number;
  cache: string;
  log: (message: string) => void;
  /** Starts bench/httpServer.ts (stateless app) on FILE; resolves with its port. */
  startServer?: (
    file: string,
  ) => Promise<{ port: number; auth: Record<string, string>; stop: () => void }>;
  httpMs?: number;
}

async function child<T>(args: string[]): Promise<T> {
  const proc = spawn(process.execPath, ["--expose-gc", "--import", "tsx", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(proc, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${args.join(" ")} exited with ${code}`);
  return JSON.parse(out) as T;
}

export async function memoryScaleBench(options: Options): Promise<MemoryScaleResults> {
  const { file, fileBytes, tickets, cache, log } = options;
  const snapshots = join(cache, "snapshots");
  await rm(snapshots, { recursive: true, force: true });
  await mkdir(snapshots, { recursive: true });
  log(`memory scale: first start (no snapshot), ${file}`);
  const firstStart = await child<StartResult>(["bench/memoryStart.ts", "start", file, snapshots]);
  log("memory scale: restart with the file unchanged (snapshot)");
  const restart = await child<StartResult>(["bench/memoryStart.ts", "start", file, snapshots]);
  if (!restart.fromSnapshot) throw new Error("the restart did not use the snapshot");
  log("memory scale: reload");
  const reload = await child<ReloadResult>(["bench/memoryStart.ts", "reload", file, snapshots]);
  const results: MemoryScaleResults = { file, fileBytes, tickets, firstStart, restart, reload };
  if (options.startServer) {
    log("memory scale: keyword vs three-filter pages over HTTP");
    const server = await options.startServer(file);
    try {
      const call = (args: Record<string, unknown>) => ({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "search_tickets", arguments: args },
      });
      const run = (args: Record<string, unknown>) =>
        load({
          port: server.port,
          concurrency: 1,
          durationMs: options.httpMs ?? 3000,
          body: call(args),
          setup: () => Promise.resolve(server.auth),
        });
      await run({ keyword: "password" }); // warm-up
      results.http = {
        keyword: await run({ keyword: "password" }),
        threeFilters: await run({ status: "open", priority: "critical", category: "security" }),
      };
    } finally {
      server.stop();
    }
  }
  return results;
}

const x = (n: number) => `${n.toFixed(2)}×`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");

export function renderMemoryScale(r: MemoryScaleResults): string[] {
  const file = r.fileBytes / 1e6;
  const { firstStart: first, restart, reload } = r;
  const rows: string[][] = [
    ["first start (no snapshot)", s(first.ms), "≤ 10 s", verdict(first.ms <= 10_000)],
    ["restart, file unchanged (snapshot)", s(restart.ms), "≤ 3 s", verdict(restart.ms <= 3000)],
    [
      "RSS after first start / file",
      `${Math.round(first.rssMb)} MB = ${x(first.rssMb / file)}`,
      "≤ 1.2×",
      verdict(first.rssMb / file <= 1.2),
    ],
    [
      "peak RSS of first start / file",
      `${Math.round(first.peakMb)} MB = ${x(first.peakMb / file)}`,
      "≤ 1.2×",
      verdict(first.peakMb / file <= 1.2),
    ],
    [
      "RSS after restart / file (peak)",
      `${Math.round(restart.rssMb)} MB = ${x(restart.rssMb / file)} (peak ${x(restart.peakMb / file)})`,
      "≤ 1.2×",
      verdict(restart.peakMb / file <= 1.2),
    ],
    [
      "reload: peak / steady",
      `${Math.round(reload.peakMb)} / ${Math.round(reload.steadyMb)} MB = ${x(reload.peakMb / reload.steadyMb)} (${s(reload.reloadMs)})`,
      "≤ 1.3×",
      verdict(reload.peakMb / reload.steadyMb <= 1.3),
    ],
  ];
  const pages = restart.pages;
  if (pages) {
    const ratio = pages.keyword.p50 / pages.threeFilters.p50;
    rows.push([
      'keyword ("password") vs three-filter page, p50 in the store',
      `${pages.keyword.p50.toFixed(2)} vs ${pages.threeFilters.p50.toFixed(2)} ms = ${x(ratio)}`,
      "—",
      "(see HTTP)",
    ]);
  }
  if (r.http) {
    const k = r.http.keyword.latency.p50;
    const t = r.http.threeFilters.latency.p50;
    rows.push([
      'keyword ("password") vs three-filter page, p50 over HTTP',
      `${k.toFixed(2)} vs ${t.toFixed(2)} ms = ${x(k / t)}`,
      "≤ 1.5×",
      verdict(k / t <= 1.5),
    ]);
  }
  return [
    `## In memory at ${r.tickets.toLocaleString("en-US")} tickets (issue 14)`,
    "",
    `${file.toFixed(1)} MB .jsonl from our generator. Each start in a fresh process; RSS after a full GC, ` +
      "peak = the process's maxRSS (`process.resourceUsage()`).",
    "",
    "| | measured | target | |",
    "| --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
  ];
}
