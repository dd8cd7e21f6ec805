/**
 * Running it for real: data reload from a changing file, refusing to listen beyond
 * loopback without authentication, log files.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { pino } from "pino";
import { generateTickets } from "../../data/generator.js";
import { writeTicketsFile } from "../src/sources/spreadsheet.js";
import { loadMemoryStore } from "../src/sources/loadStore.js";
import { ReloadingStore } from "../src/sources/reloadingStore.js";

const dir = mkdtempSync(path.join(tmpdir(), "mcp-ops-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a changed file is reloaded; a broken one keeps the last good data and logs why", async () => {
  const file = path.join(dir, "tickets.jsonl");
  await writeTicketsFile(file, generateTickets({ count: 20 }));
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const store = new ReloadingStore(
    await loadMemoryStore(file),
    file,
    loadMemoryStore,
    logger,
  ).watch(50);
  try {
    assert.equal((await store.info()).count, 20);
    await writeTicketsFile(file, generateTickets({ count: 30 }));
    for (let i = 0; i < 100 && (await store.info()).count !== 30; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal((await store.info()).count, 30);

    writeFileSync(
      file,
      readFileSync(file, "utf8") + '{"ticket_id": "TKT-9999", "status": "opne"}\n',
    );
    for (
      let i = 0;
      i < 100 && !lines.some((l) => l.msg === "reload failed; still serving the last good data");
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const failure = lines.find((l) => l.msg === "reload failed; still serving the last good data");
    assert.ok(failure, "the failed reload is logged");
    assert.match(String(failure.reason), /line 31/);
    assert.equal((await store.info()).count, 30, "the last good data stays in service");
  } finally {
    store.stop();
  }
});

test("a file rewritten slowly in place is served only whole; an atomic mv is taken at once", async () => {
  const file = path.join(dir, "slow.jsonl");
  await writeTicketsFile(file, generateTickets({ count: 10 }));
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const store = new ReloadingStore(await loadMemoryStore(file), file, loadMemoryStore, logger, {
    settleMs: 1500,
  }).watch(100);
  const seen = new Set<number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      seen.add((await store.info()).count);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    // The new content, written as a slow writer would: in four chunks that each end on
    // a line boundary (so every prefix is a valid file), 700 ms apart.
    const full = path.join(dir, "full.jsonl");
    await writeTicketsFile(full, generateTickets({ count: 4000 }));
    const rows = readFileSync(full, "utf8").split(/(?<=\n)/);
    const chunk = Math.ceil(rows.length / 4);
    writeFileSync(file, "");
    for (let i = 0; i < rows.length; i += chunk) {
      appendFileSync(file, rows.slice(i, i + chunk).join(""));
      await new Promise((r) => setTimeout(r, 700));
    }
    for (let i = 0; i < 100 && (await store.info()).count !== 4000; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await store.info()).count, 4000);
    assert.deepEqual(
      [...seen].filter((count) => count !== 10 && count !== 4000),
      [],
      "no partial file was served",
    );
    assert.equal(lines.filter((l) => l.msg === "tickets reloaded").length, 1);

    // Written beside it and renamed over it: complete by construction, no settling.
    const next = path.join(dir, "next.jsonl");
    await writeTicketsFile(next, generateTickets({ count: 25 }));
    const moved = Date.now();
    renameSync(next, file);
    while ((await store.info()).count !== 25 && Date.now() - moved < 5000) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal((await store.info()).count, 25);
    assert.ok(Date.now() - moved < 1500, `picked up after ${Date.now() - moved} ms`);
  } finally {
    sampling = false;
    await sampler;
    store.stop();
  }
});

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return once(child, "exit").then(([code]) => ({ code: code as number | null, stderr }));
}

test("listening beyond loopback without authentication refuses to start, naming the fix", async () => {
  const r = await runMain({ HOST: "0.0.0.0", PORT: "0" });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /Refusing to listen on 0\.0\.0\.0 without authentication.*AUTH_TOKENS_FILE.*ALLOW_UNAUTHENTICATED_REMOTE=true/,
  );
});

test("LOG_FILE gets the log lines (JSON), and a bad tokens file stops start-up with one line", async () => {
  const logFile = path.join(dir, "logs", "server.log");
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    env: { ...process.env, PORT: "0", LOG_FILE: logFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 200 && !out.includes("listening on"); i++)
    await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGTERM");
  assert.equal((await once(child, "exit"))[0], 0);
  const files = readdirSync(path.dirname(logFile));
  assert.ok(files.length >= 1, "a log file was written");
  const content = files
    .map((f) => readFileSync(path.join(path.dirname(logFile), f), "utf8"))
    .join("");
  assert.match(content, /"msg":"mcp-tickets [\d.]+ listening on http:\/\/127\.0\.0\.1:\d+\/mcp"/);

  const tokens = path.join(dir, "tokens.json");
  writeFileSync(
    tokens,
    JSON.stringify({ tokens: [{ name: "x", role: "customer", sha256: "a".repeat(64) }] }),
  );
  const bad = await runMain({ PORT: "0", AUTH_TOKENS_FILE: tokens });
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr.trim(),
    /tokens\.json: tokens\.0\.user_id a customer token needs "user_id"/,
  );
  assert.equal(bad.stderr.trim().split("\n").length, 1);
});

test("token:new prints a token whose hash is the entry's, and names a missing flag", async () => {
  const { hashToken } = await import("../src/auth/staticTokens.js");
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [
        "--import",
        "tsx",
        "server/src/cli/tokenNew.ts",
        ...args,
      ]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  const ok = await run(["--name", "acme", "--role", "customer", "--user-id", "user123"]);
  assert.equal(ok.code, 0, ok.stderr);
  const token = /^\s+(mcpt_\S+)$/m.exec(ok.stdout)?.[1];
  const entry = JSON.parse(/^\s+(\{.*\})$/m.exec(ok.stdout)?.[1] ?? "{}") as Record<string, string>;
  assert.ok(token);
  assert.deepEqual(entry, {
    name: "acme",
    role: "customer",
    user_id: "user123",
    sha256: hashToken(token),
  });
  const missing = await run(["--role", "customer", "--name", "x"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--user-id is required for --role customer/);
});
