/**
 * The build that npm start, npm run agent and the other commands run (scripts/build.mjs,
 * launched by scripts/run.mjs): bundled, the server must still find its migrations and
 * start pino's log-file worker, and the agent its lazily loaded parts (the offline model,
 * the OpenAI client); the launcher rebuilds when a source is newer than the build.
 * Other tests run the sources through tsx; this one runs what a user runs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { startOpenAiStub } from "../../test/helpers/openaiStub.js";
import { testDatabase, type TestDatabase } from "../../test/helpers/postgres.js";
import { connectClient } from "../../test/helpers/server.js";

let dist: string;
let database: TestDatabase;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node scripts/run.mjs NAME ARGS` on the test's build, to completion. */
async function command(name: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["scripts/run.mjs", name, ...args], {
    env: { ...process.env, OPENAI_API_KEY: "", MCP_TICKETS_DIST: dist, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ran: Ran = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (ran.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (ran.stderr += d.toString()));
  [ran.code] = (await once(child, "exit")) as [number | null];
  return ran;
}

/** The built server on a free port; resolves with its URL and a stop function. */
async function server(env: Record<string, string>) {
  const child = spawn(process.execPath, ["scripts/run.mjs", "server"], {
    env: { ...process.env, MCP_TICKETS_DIST: dist, PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = once(child, "exit");
  for (let waited = 0; !out.includes('"url"'); waited += 50) {
    if (child.exitCode !== null || waited > 30_000) throw new Error(`no server: ${err}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = (JSON.parse(out.split("\n").find((l) => l.includes('"url"'))!) as { url: string })
    .url;
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      assert.equal(((await exited) as [number])[0], 0, err);
    },
  };
}

before(async () => {
  // Inside the project, so that the packages kept out of the bundle (pino) resolve.
  const cache = join("node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  dist = resolve(await mkdtemp(join(cache, "mcp-tickets-build-")));
  const built = spawn(process.execPath, ["scripts/build.mjs", "--outdir", dist], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  built.stderr.on("data", (d: Buffer) => (err += d.toString()));
  assert.equal(((await once(built, "exit")) as [number])[0], 0, err);
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
  await rm(dist, { recursive: true, force: true });
});

test("the built server answers MCP, writes LOG_FILE, and applies its migrations", async () => {
  const logFile = join(dist, "logs", "server.log");
  const memory = await server({ LOG_FILE: logFile });
  try {
    const { client } = await connectClient(memory.url);
    const result = await client.callTool({ name: "search_tickets", arguments: { status: "open" } });
    assert.match((result.content as { text: string }[])[0]!.text, /tickets? match/);
    await client.close();
  } finally {
    await memory.stop();
  }
  assert.match(await readFile(join(dist, "logs", "server.1.log"), "utf8"), /listening on/);

  // A schema no one has migrated: the built server must find dist/migrations/*.sql.
  const schema = `build_${process.pid}`;
  const postgres = await server({
    TICKETS_STORE: "postgres",
    DATABASE_URL: database.url,
    DATABASE_SCHEMA: schema,
  });
  try {
    const ready = await fetch(new URL("/readyz", postgres.url));
    assert.deepEqual(await ready.json(), { status: "ready", tickets: 0 });
  } finally {
    await postgres.stop();
  }
  const migrated = await database.store([]);
  const { rows } = await migrated.pool.query(
    `SELECT count(*)::int AS n FROM ${schema}.schema_migrations`,
  );
  // Every migration the sources have was found in dist/migrations and applied.
  const shipped = readdirSync("server/src/sources/migrations").filter((f) => f.endsWith(".sql"));
  assert.deepEqual(rows, [{ n: shipped.length }]);
  await migrated.pool.query(`DROP SCHEMA ${schema} CASCADE`);
});

test("the built agent: --help, an offline answer, and the OpenAI model when a key is set", async () => {
  const help = await command("agent", ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: npm run agent/);

  const tickets = await server({});
  const stub = await startOpenAiStub([
    { toolCalls: [{ name: "search_tickets", args: { status: "open", priority: "critical" } }] },
    { text: "Two critical open tickets." },
  ]);
  try {
    const env = { MCP_SERVER_URL: tickets.url };
    const offline = await command("agent", ["--json", "open critical security tickets"], env);
    assert.equal(offline.code, 0, offline.stderr);
    const answer = JSON.parse(offline.stdout) as { offline: boolean; answer: string };
    assert.equal(answer.offline, true);
    assert.match(answer.answer, /TKT-\d{4}/);

    const openai = await command("agent", ["open critical tickets"], {
      ...env,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: stub.baseURL,
    });
    assert.equal(openai.code, 0, openai.stderr);
    assert.equal(openai.stdout.trim(), "Two critical open tickets.");
    assert.equal(stub.requests.length, 2);
  } finally {
    await stub.close();
    await tickets.stop();
  }
});

test("the launcher rebuilds when a source is newer than the build, and only then", async () => {
  const stamp = join(dist, "build.json");
  const build = JSON.parse(await readFile(stamp, "utf8")) as { started: number };
  const fresh = await command("agent", ["--help"]);
  assert.equal(fresh.stderr, "");

  // As if every source had been edited after the build started.
  await writeFile(stamp, JSON.stringify({ ...build, started: 0 }));
  const stale = await command("agent", ["--help"]);
  assert.equal(stale.code, 0);
  assert.match(stale.stderr, /^\[build\] \S+ changed since the last build: rebuilding dist/);
  assert.match(stale.stdout, /^Usage: npm run agent/);
  const rebuilt = JSON.parse(await readFile(stamp, "utf8")) as { started: number };
  assert.ok(rebuilt.started > 0);
  assert.equal((await command("agent", ["--help"])).stderr, "");
});
