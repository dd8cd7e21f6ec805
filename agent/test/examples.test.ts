/**
 * The examples are compiled documentation: each one runs here, as a user would run it,
 * against a real ticket server on a free loopback port, and must check its own result
 * and exit 0. The client configs are parsed, their URLs and paths checked, and their
 * stdio commands spawned exactly as configured (repo path substituted) and asked for
 * tools/list. Also: examples/README.md lists every example.
 *
 * The tests run concurrently (each spawns its own processes) to stay fast.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { accessSync, constants, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { legacyStatelessFallback } from "@modelcontextprotocol/server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { loadConfig } from "../../server/src/config.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startOpenAiStub, type OpenAiStub } from "../../test/helpers/openaiStub.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";
import { openSessions } from "./support/process.js";
import {
  createWeatherMcpServer,
  startWeatherServer,
} from "../../examples/weather-server/server.js";
import { SYSTEM_PROMPT } from "../src/agent.js";
import { parseServersConfig } from "../src/config.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXAMPLES = path.join(ROOT, "examples");
const CLIENTS = path.join(EXAMPLES, "clients");
/** The placeholder the Claude Desktop config uses for the clone's location. */
const REPO_PLACEHOLDER = "/absolute/path/to/mcp-tickets";
const TOOL_NAMES = ["get_ticket", "search_tickets", "ticket_stats"];
const SEED_FILTERS = { status: "open", priority: "critical", category: "security" };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed, with its children, after `timeoutMs`). */
function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a timeout also stops what it started (servers).
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function assertExit0(r: Run, what: string): void {
  assert.equal(
    r.code,
    0,
    `${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
  );
}

/** The environment for an example: no real model, no developer overrides. */
function exampleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...extra };
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "MCP_SERVERS_CONFIG"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

const tsx = (file: string) => ["--import", "tsx", file];

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

type StdioEntry = { command: string; args?: string[]; env?: Record<string, string> };

/**
 * Spawns a stdio server the way a client does (its own default environment plus the
 * entry's `env`, from a working directory outside the repo) and lists its tools.
 * NODE_OPTIONS carries the test's loopback guard.
 */
async function stdioTools(entry: StdioEntry): Promise<{ tools: string[]; found: number }> {
  // The guard's flag exactly as the guard put it in NODE_OPTIONS (it looks for it there,
  // and adds a bare --import=tsx, which cannot resolve outside the repo, when missing).
  const guard = (process.env.NODE_OPTIONS ?? "")
    .split(/\s+/)
    .find((o) => o.startsWith("--import=") && o.includes("network-guard"));
  assert.ok(guard, "run under the network guard (npm run test:unit)");
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args ?? [],
    env: {
      ...getDefaultEnvironment(),
      ...entry.env,
      // tsx by absolute URL (only needed when the guard is TypeScript itself).
      NODE_OPTIONS: guard.endsWith(".ts")
        ? `--import=${import.meta.resolve("tsx")} ${guard}`
        : guard,
    },
    cwd: tmpdir(),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: "examples-test", version: "1.0.0" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const result = (await client.callTool({
      name: "search_tickets",
      arguments: SEED_FILTERS,
    })) as CallToolResult;
    const found = (result.structuredContent as { total: number } | undefined)?.total ?? 0;
    return { tools: tools.map((t) => t.name).sort(), found };
  } catch (err) {
    throw new Error(`${entry.command} ${(entry.args ?? []).join(" ")}: ${String(err)}\n${stderr}`, {
      cause: err,
    });
  } finally {
    await client.close();
  }
}

/** Lists the tools of the server at `url` over Streamable HTTP. */
async function httpTools(url: string): Promise<string[]> {
  const client = new Client({ name: "examples-test", version: "1.0.0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return (await client.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await client.close();
  }
}

/**
 * A config's URL must be the server's default endpoint (http://localhost:PORT/mcp with
 * the default PORT); the test server listens elsewhere, so the URL's path is then tried
 * against it.
 */
function assertDefaultEndpoint(url: string, where: string): void {
  const parsed = new URL(url);
  assert.equal(parsed.protocol, "http:", `${where}: ${url}`);
  assert.equal(parsed.hostname, "localhost", `${where}: ${url}`);
  assert.equal(parsed.port, String(loadConfig({}).PORT), `${where}: not the default port`);
  assert.equal(parsed.pathname, "/mcp", `${where}: the endpoint is /mcp`);
}

function onTestServer(url: string): string {
  return new URL(new URL(url).pathname, srv.origin).href;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * A 2025-only server: the weather example's factory behind the SDK's stateless 2025
 * serving alone (what createMcpHandler does for 2025 clients), with no 2026-07-28 leg,
 * so server/discover finds nothing to answer it.
 */
async function start2025OnlyWeather(): Promise<{ url: string; close(): Promise<void> }> {
  const node = toNodeHandler({ fetch: legacyStatelessFallback(() => createWeatherMcpServer()) });
  const http = createHttpServer((req, res) => void node(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

let srv: TestServer;

before(async () => {
  srv = await startTestServer(await loadMemoryStore(path.join(ROOT, "data/requests.xls")));
});

after(async () => {
  await srv.close();
});

// Every test spawns processes and waits on them: all of them run at once.
describe("examples", { concurrency: true }, () => {
  describe("protocol-level examples", { concurrency: true }, () => {
    test("curl/mcp-session.sh: initialize, initialized, tools/list, tools/call, DELETE", async () => {
      const script = path.join(EXAMPLES, "curl/mcp-session.sh");
      // Once as it runs by default (jq when installed), once with JQ= (the jq-free path).
      const [withJq, withoutJq] = await Promise.all([
        run("bash", [script, srv.url]),
        run("bash", [script], { env: { ...process.env, JQ: "", MCP_SERVER_URL: srv.url } }),
      ]);
      for (const r of [withJq, withoutJq]) {
        assertExit0(r, "mcp-session.sh");
        for (const step of [
          "0. ",
          "1. initialize",
          "2. notifications/initialized",
          "3. tools/list",
        ]) {
          assert.match(r.stdout, new RegExp(`── ${step.replace(/[./]/g, "\\$&")}`));
        }
        assert.match(r.stdout, /< Mcp-Session-Id: [0-9a-f-]{36}/);
        assert.match(r.stdout, /Content-Type: text\/event-stream/);
        assert.match(r.stdout, /404, Content-Type: application\/json/);
        assert.match(r.stdout, /TKT-0006 Suspicious login attempts on admin account\|/);
        assert.match(r.stdout, /^OK: /m);
      }
    });

    test("sdk-client.ts: tools, search, paging to the end, ticket:// resource, completion", async () => {
      const r = await run(process.execPath, [...tsx("examples/sdk-client.ts"), srv.url], {
        env: exampleEnv(),
      });
      assertExit0(r, "sdk-client.ts");
      assert.match(r.stdout, /50 tickets in 3 pages, none twice, none missing/);
      assert.match(r.stdout, /resources\/read ticket:\/\/TKT-0006/);
      assert.match(r.stdout, /completion\/complete ticket_id "TKT-000": TKT-0001/);
      assert.match(r.stdout, /^OK: /m);
    });

    test("sdk-client-v2.ts on the v2 weather server: negotiates 2026-07-28 via server/discover", async () => {
      const weather = await startWeatherServer({ port: 0 });
      const r = await run(process.execPath, [...tsx("examples/sdk-client-v2.ts"), weather.url], {
        env: exampleEnv(),
      }).finally(() => weather.close());
      assertExit0(r, "sdk-client-v2.ts (weather, modern)");
      assert.match(r.stdout, /^1\. era modern, protocol 2026-07-28: server\/discover answered/m);
      assert.match(r.stdout, /page 1: 2 tools, cache 3600000 ms public/);
      assert.match(r.stdout, /get_forecast Москва, 3 days: Moscow, 3 days/);
      assert.match(r.stdout, /^OK: modern era, tools with all annotations, forecast and errors/m);
    });

    test("sdk-client-v2.ts on a 2025-only server: falls back to initialize", async () => {
      const legacy = await start2025OnlyWeather();
      const r = await run(process.execPath, [...tsx("examples/sdk-client-v2.ts"), legacy.url], {
        env: exampleEnv(),
      }).finally(() => legacy.close());
      assertExit0(r, "sdk-client-v2.ts (2025-only)");
      assert.match(
        r.stdout,
        /^1\. era legacy, protocol 2025-\d\d-\d\d: server\/discover unanswered, fell back to initialize/m,
      );
      assert.doesNotMatch(r.stdout, /cache \d+ ms/, "2025 results carry no cache hints");
      assert.match(r.stdout, /^OK: legacy era, tools with all annotations, forecast and errors/m);
    });

    test("sdk-client-v2.ts on the ticket server ($MCP_SERVER_URL): paging to the end, no session left", async () => {
      // A server of its own, so its open-session count is this example's alone. The
      // ticket server speaks 2026-07-28, so the auto-negotiating client picks it.
      const own = await startTestServer(
        await loadMemoryStore(path.join(ROOT, "data/requests.xls")),
      );
      const r = await run(process.execPath, tsx("examples/sdk-client-v2.ts"), {
        env: exampleEnv({ MCP_SERVER_URL: own.url }),
      }).finally(async () => {
        const open = await openSessions(own.origin);
        await own.close();
        assert.equal(open, 0, "sdk-client-v2.ts ended its session, if it had one");
      });
      assertExit0(r, "sdk-client-v2.ts (tickets)");
      assert.match(r.stdout, /^1\. era modern, protocol 2026-07-28/m);
      assert.match(
        r.stdout,
        /search_tickets \{"status":"open","priority":"critical","category":"security"\}: 1 found/,
      );
      assert.match(r.stdout, /50 tickets in 3 pages, none twice, none missing/);
      assert.match(r.stdout, /^OK: modern era, tools with all annotations, search and paging/m);
    });

    test("create-agent.ts with the offline model: createAgent calls search_tickets", async () => {
      // A server of its own, so its open-session count is this example's alone.
      const own = await startTestServer(
        await loadMemoryStore(path.join(ROOT, "data/requests.xls")),
      );
      const r = await run(process.execPath, tsx("examples/create-agent.ts"), {
        env: exampleEnv({ MCP_SERVER_URL: own.url }),
      }).finally(async () => {
        const open = await openSessions(own.origin);
        await own.close();
        assert.equal(open, 0, "create-agent.ts ended its session (DELETE)");
      });
      assertExit0(r, "create-agent.ts");
      assert.match(r.stdout, /model: offline/);
      assert.match(r.stdout, /Tool call: search_tickets \{"status":"open","priority":"critical"/);
      assert.match(r.stdout, /TKT-0006/);
      assert.match(r.stdout, /^OK: createAgent called search_tickets/m);
    });

    test("create-agent.ts with OPENAI_API_KEY: ChatOpenAI under createAgent (local stub)", async () => {
      let stub: OpenAiStub | undefined;
      try {
        stub = await startOpenAiStub([
          { toolCalls: [{ name: "search_tickets", args: SEED_FILTERS }] },
          (req) => {
            const tool = req.messages.find((m) => m.role === "tool");
            const ids = JSON.stringify(tool?.content).match(/TKT-\d+/g) ?? [];
            return { text: `Open critical security tickets: ${[...new Set(ids)].join(", ")}.` };
          },
        ]);
        const r = await run(process.execPath, tsx("examples/create-agent.ts"), {
          env: exampleEnv({
            MCP_SERVER_URL: srv.url,
            OPENAI_API_KEY: "test-key",
            OPENAI_BASE_URL: stub.baseURL,
          }),
        });
        assertExit0(r, "create-agent.ts (OpenAI)");
        assert.match(r.stdout, /Open critical security tickets: TKT-0006\./);
        const first = stub.requests[0]!;
        assert.equal(first.model, "gpt-4o-mini", "the default model when OPENAI_MODEL is unset");
        assert.equal(first.messages[0]?.role, "system");
        // createAgent sends the system prompt as content blocks: compare the text.
        assert.ok(
          JSON.stringify(first.messages[0]?.content).includes(
            JSON.stringify(SYSTEM_PROMPT).slice(1, -1),
          ),
          "the system prompt is agent.ts's SYSTEM_PROMPT",
        );
        assert.deepEqual(first.tools?.map((t) => t.function.name).sort(), TOOL_NAMES);
      } finally {
        await stub?.close();
      }
    });

    test("the examples fail loudly (exit 1) when the server is not there", async () => {
      const url = `http://127.0.0.1:${await closedPort()}/mcp`;
      const [curl, sdk, sdkV2] = await Promise.all([
        run("bash", [path.join(EXAMPLES, "curl/mcp-session.sh"), url]),
        run(process.execPath, [...tsx("examples/sdk-client.ts"), url], { env: exampleEnv() }),
        run(process.execPath, [...tsx("examples/sdk-client-v2.ts"), url], { env: exampleEnv() }),
      ]);
      assert.equal(curl.code, 1);
      assert.match(curl.stderr, /could not reach/);
      for (const r of [sdk, sdkV2]) {
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /Is the server running/);
      }
    });
  });

  describe("client setups", { concurrency: true }, () => {
    const configs = readdirSync(CLIENTS).filter((f) => f.endsWith(".json"));

    test("every config in examples/clients is valid JSON", () => {
      assert.ok(configs.length >= 5, `only ${configs.join(", ")}`);
      for (const file of configs) {
        assert.doesNotThrow(() => readJson(path.join(CLIENTS, file)), file);
      }
    });

    test("MCP Inspector CLI: tools/list and tools/call over HTTP and stdio", async () => {
      const r = await run("bash", [path.join(ROOT, "scripts/inspector-check.sh"), srv.url], {
        env: exampleEnv(),
      });
      assertExit0(r, "inspector-check.sh");
      assert.match(r.stdout, /inspector-check: 4 passed/);
      const inspector = readJson(path.join(CLIENTS, "inspector.json")) as {
        mcpServers: Record<string, { type: string; url?: string }>;
      };
      const http = inspector.mcpServers["tickets-http"]!;
      assert.equal(http.type, "streamable-http");
      assertDefaultEndpoint(http.url!, "inspector.json");
    });

    test("Claude Desktop (stdio): the configured command starts our server from anywhere", async () => {
      const text = readFileSync(path.join(CLIENTS, "claude_desktop_config.json"), "utf8");
      assert.ok(text.includes(REPO_PLACEHOLDER), "the config marks the clone's path");
      const root = ROOT.replace(/\/$/, "");
      const config = JSON.parse(text.replaceAll(REPO_PLACEHOLDER, root)) as {
        mcpServers: Record<string, StdioEntry>;
      };
      const entry = config.mcpServers.tickets!;
      assert.ok(path.isAbsolute(entry.command), "Claude Desktop does not start in the repo");
      accessSync(entry.command, constants.X_OK);
      for (const p of [...(entry.args ?? []), ...Object.values(entry.env ?? {})]) {
        if (p.startsWith("/")) assert.ok(statSync(p).isFile(), `${p} does not exist`);
      }
      assert.deepEqual(await stdioTools(entry), { tools: TOOL_NAMES, found: 1 });
    });

    test("Claude Desktop over HTTP through mcp-remote: the bridge's command and URL", async () => {
      // mcp-remote comes from the npm registry at first start (npx -y), which this
      // offline machine cannot reach: the bridge itself is not run here, only its shape
      // and the URL it is given.
      const config = readJson(path.join(CLIENTS, "claude_desktop_config.mcp-remote.json")) as {
        mcpServers: Record<string, StdioEntry>;
      };
      const entry = config.mcpServers["tickets-http"]!;
      assert.equal(entry.command, "npx");
      const args = entry.args ?? [];
      assert.ok(args.includes("mcp-remote"), args.join(" "));
      const url = args.find((a) => a.startsWith("http"))!;
      // mcp-remote refuses plain http except for localhost/127.0.0.1 without --allow-http.
      assertDefaultEndpoint(url, "mcp-remote");
      assert.deepEqual(await httpTools(onTestServer(url)), TOOL_NAMES);
    });

    test("VS Code (.vscode/mcp.json): the http server, and the stdio one from ${workspaceFolder}", async () => {
      const config = readJson(path.join(CLIENTS, "vscode-mcp.json")) as {
        servers: Record<string, { type: string; url?: string } & Partial<StdioEntry>>;
      };
      const http = config.servers.tickets!;
      assert.equal(http.type, "http");
      assertDefaultEndpoint(http.url!, "vscode-mcp.json");
      assert.deepEqual(await httpTools(onTestServer(http.url!)), TOOL_NAMES);

      const stdio = config.servers["tickets-stdio"]!;
      assert.equal(stdio.type, "stdio");
      const root = ROOT.replace(/\/$/, "");
      const expand = (s: string) => s.replaceAll("${workspaceFolder}", root);
      const entry: StdioEntry = {
        command: expand(stdio.command!),
        args: (stdio.args ?? []).map(expand),
        env: Object.fromEntries(Object.entries(stdio.env ?? {}).map(([k, v]) => [k, expand(v)])),
      };
      assert.deepEqual(await stdioTools(entry), { tools: TOOL_NAMES, found: 1 });
    });

    test("Cursor (mcp.json): the url answers MCP", async () => {
      const config = readJson(path.join(CLIENTS, "cursor-mcp.json")) as {
        mcpServers: Record<string, { url: string }>;
      };
      const url = config.mcpServers.tickets!.url;
      assertDefaultEndpoint(url, "cursor-mcp.json");
      assert.deepEqual(await httpTools(onTestServer(url)), TOOL_NAMES);
    });
  });

  describe("examples docs", () => {
    const readme = readFileSync(path.join(EXAMPLES, "README.md"), "utf8");

    test("examples/README.md's table lists every example", () => {
      // The first cell of each table row names its example, e.g. [`curl/`](curl/).
      const firstCells = readme
        .split("\n")
        .filter((line) => line.startsWith("|") && !/^\|\s*-/.test(line))
        .map((line) => line.split("|")[1] ?? "");
      const missing = readdirSync(EXAMPLES)
        .filter((name) => name !== "README.md")
        .map((name) => (statSync(path.join(EXAMPLES, name)).isDirectory() ? `${name}/` : name))
        .filter((name) => !firstCells.some((cell) => cell.includes(`\`${name}\``)));
      assert.deepEqual(missing, [], "add a row to examples/README.md for each");
    });

    test("every example file opens with a comment saying what it shows", () => {
      const files = readdirSync(EXAMPLES, { recursive: true, encoding: "utf8" }).filter((f) =>
        /\.(ts|sh)$/.test(f),
      );
      assert.ok(files.length >= 3);
      for (const file of files) {
        const head = readFileSync(path.join(EXAMPLES, file), "utf8").replace(/^#!.*\n/, "");
        assert.match(head, /^(\/\*\*|\/\/|#)/, `${file} does not open with a comment`);
      }
    });

    test("the root README's Multi-server config is examples/multi-server/servers.json", () => {
      const root = readFileSync(path.join(ROOT, "README.md"), "utf8");
      const section = root.split(/^## /m).find((s) => s.startsWith("Multi-server")) ?? "";
      const snippet = /```json\n([\s\S]*?)```/.exec(section)?.[1];
      assert.ok(snippet, "no JSON block in the Multi-server section");
      const shown = JSON.parse(snippet) as unknown;
      assert.deepEqual(shown, readJson(path.join(EXAMPLES, "multi-server/servers.json")));
      assert.doesNotThrow(() => parseServersConfig(shown, "README.md"));
    });

    test("the root README's Debugging section points at the curl example", () => {
      const root = readFileSync(path.join(ROOT, "README.md"), "utf8");
      const debugging = root.split(/^## /m).find((s) => s.startsWith("Debugging")) ?? "";
      assert.match(debugging, /examples\/curl\/mcp-session\.sh/);
    });
  });
});
