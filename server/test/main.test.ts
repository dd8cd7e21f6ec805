/**
 * The entry point as a user runs it: a real process, real signals, real stdio.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { once } from "node:events";
import { describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Client as ClientV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioClientTransportV2 } from "@modelcontextprotocol/client/stdio";
import { freePort } from "../../test/helpers/ports.js";
import { INITIALIZE } from "../../test/helpers/server.js";

const MAIN = "server/src/main.ts";

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on("data", (d: Buffer) => stdout.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, stdout, stderr, exited };
}

/** Waits for the "listening" log line and returns the URL it names. */
async function listening(r: Run): Promise<string> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    for (const line of r.stdout.join("").split("\n")) {
      if (line.includes('"url"')) return (JSON.parse(line) as { url: string }).url;
    }
    if (r.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start: ${r.stderr.join("")}`);
}

describe("npm start", () => {
  test("serves /mcp on PORT and exits 0 on SIGTERM after finishing a request in flight", async () => {
    const port = await freePort();
    const r = run([], { PORT: String(port) });
    const url = await listening(r);
    assert.equal(url, `http://127.0.0.1:${port}/mcp`);

    // Send half a request, signal, then the rest: the request must still be answered.
    const body = JSON.stringify(INITIALIZE);
    const req = http.request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "content-length": Buffer.byteLength(body),
      },
    });
    const response = once(req, "response");
    req.write(body.slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    r.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.end(body.slice(20));
    const [res] = (await response) as [http.IncomingMessage];
    assert.equal(res.statusCode, 200);
    res.resume();
    assert.equal(await r.exited, 0);
    assert.match(r.stdout.join(""), /stopped/);
  });

  test("SIGTERM under load: every request that reaches the server gets a whole answer, none is reset", async () => {
    const port = await freePort();
    const r = run([], { PORT: String(port), RATE_LIMIT_PER_MINUTE: "0" });
    const url = new URL(await listening(r));
    const outcomes = { ok: 0, unavailable: 0, unavailableModern: 0, refused: 0 };
    const failures: string[] = [];
    let sent = 0;
    let signalled = false;

    const MODERN = "2026-07-28";
    const envelope = {
      "io.modelcontextprotocol/protocolVersion": MODERN,
      "io.modelcontextprotocol/clientInfo": { name: "sigterm-test", version: "1" },
      "io.modelcontextprotocol/clientCapabilities": {},
    };
    const modernHeaders = {
      "mcp-protocol-version": MODERN,
      "mcp-method": "tools/call",
      "mcp-name": "search_tickets",
    };

    /**
     * One keep-alive client: its own socket, pausing `pauseMs` between calls; a 2025 one
     * in its own session, a 2026-07-28 one stateless with the per-request envelope.
     */
    const worker = async (pauseMs: number, era: "2025" | "2026") => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const post = (body: unknown, session?: string) =>
        new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
          (resolve, reject) => {
            const data = JSON.stringify(body);
            const req = http.request(url, {
              method: "POST",
              agent,
              headers: {
                "content-type": "application/json",
                accept: "application/json, text/event-stream",
                "content-length": Buffer.byteLength(data),
                ...(era === "2026" ? modernHeaders : {}),
                ...(session
                  ? { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" }
                  : {}),
              },
            });
            req.on("error", reject);
            req.on("response", (res) => {
              let text = "";
              res.setEncoding("utf8");
              res.on("data", (chunk: string) => (text += chunk));
              res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
              res.on("error", reject);
            });
            req.end(data);
          },
        );
      try {
        let session: string | undefined;
        if (era === "2025") {
          const init = await post(INITIALIZE);
          session = String(init.headers["mcp-session-id"]);
          await post({ jsonrpc: "2.0", method: "notifications/initialized" }, session);
        }
        for (let id = 2; ; id++) {
          sent++;
          let res;
          try {
            res = await post(
              {
                jsonrpc: "2.0",
                id,
                method: "tools/call",
                params: {
                  name: "search_tickets",
                  arguments: { status: "open", limit: 5 },
                  ...(era === "2026" ? { _meta: envelope } : {}),
                },
              },
              session,
            );
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            // A new connection after the server stopped listening never reached it.
            if (code === "ECONNREFUSED" && signalled) {
              outcomes.refused++;
              return;
            }
            failures.push(`${code ?? ""} ${(error as Error).message}`);
            return;
          }
          if (res.status === 200 && res.text.includes('"result"')) outcomes.ok++;
          else if (res.status === 503 && signalled) {
            outcomes.unavailable++;
            if (era === "2026") outcomes.unavailableModern++;
            if (res.headers["retry-after"] === undefined || res.headers.connection !== "close") {
              failures.push(
                `503 without Retry-After or Connection: close: ${JSON.stringify(res.headers)}`,
              );
            }
          } else failures.push(`${res.status} ${res.text.slice(0, 120)}`);
          if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
      } finally {
        agent.destroy();
      }
    };
    // Busy clients and ones that leave their socket idle between calls, where a reset
    // would hit a request already on its way.
    const workers = [
      ...[0, 0, 0, 5, 20, 60, 150].map((pause) => worker(pause, "2025")),
      ...[0, 20, 60].map((pause) => worker(pause, "2026")),
    ];
    while (sent < 400) await new Promise((resolve) => setTimeout(resolve, 20));
    signalled = true;
    r.child.kill("SIGTERM");
    await Promise.all(workers);
    assert.deepEqual(failures, [], `outcomes: ${JSON.stringify(outcomes)}`);
    assert.ok(outcomes.ok >= 400, JSON.stringify(outcomes));
    // Requests on sockets kept alive past SIGTERM were answered 503 (Retry-After,
    // Connection: close, checked above), in both eras, not reset or dropped.
    assert.ok(outcomes.unavailable > 0, JSON.stringify(outcomes));
    assert.ok(outcomes.unavailableModern > 0, JSON.stringify(outcomes));
    // Each client ends refused at connect: the server stopped listening, it reset nothing.
    assert.equal(outcomes.refused, workers.length, JSON.stringify(outcomes));
    assert.equal(await r.exited, 0);
  });

  test("a port in use is one line naming the port and the fix", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const r = run([], { PORT: String(port) });
      assert.equal(await r.exited, 1);
      const err = r.stderr.join("").trim();
      assert.equal(err.split("\n").length, 1, err);
      assert.match(err, new RegExp(`Port ${port} .*already in use.*PORT=${port + 1} npm start`));
    } finally {
      blocker.close();
    }
  });

  test("bad configuration lists every bad variable", async () => {
    const r = run([], { PORT: "eighty", MCP_STATELESS: "maybe" });
    assert.equal(await r.exited, 1);
    const err = r.stderr.join("");
    assert.match(err, /PORT="eighty"/);
    assert.match(err, /MCP_STATELESS="maybe"/);
    assert.doesNotMatch(err, /\n\s+at /);
  });

  test("a missing tickets file says how to create it", async () => {
    const r = run([], { TICKETS_FILE: "data/nope.xls" });
    assert.equal(await r.exited, 1);
    assert.match(r.stderr.join(""), /data\/nope\.xls.*npm run data:generate/s);
  });

  test("--help describes the options and variables", async () => {
    const r = run(["--help"]);
    assert.equal(await r.exited, 0);
    assert.match(r.stdout.join(""), /--stdio[\s\S]*TICKETS_FILE/);
  });
});

describe("npm run start:stdio", () => {
  test("serves the same tools over stdio, logging only to stderr", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--import", "tsx", MAIN, "--stdio"],
      env: { ...(process.env as Record<string, string>), LOG_LEVEL: "info" },
      stderr: "pipe",
    });
    const stderr: string[] = [];
    transport.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ["search_tickets", "get_ticket", "ticket_stats"],
      );
      const result = await client.callTool({
        name: "search_tickets",
        arguments: { user_id: "user123" },
      });
      assert.ok((result.structuredContent as { total: number }).total >= 1);
      // Every stdout line was protocol (the client would have failed otherwise); logs went to stderr.
      for (
        let waited = 0;
        waited < 5000 && !/tools\/call search_tickets/.test(stderr.join(""));
        waited += 50
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(stderr.join(""), /tools\/call search_tickets/);
    } finally {
      await client.close();
    }
  });

  test("speaks 2026-07-28 over stdio too, with malformed params answered -32602", async () => {
    const transport = new StdioClientTransportV2({
      command: process.execPath,
      args: ["--import", "tsx", MAIN, "--stdio"],
      env: { ...(process.env as Record<string, string>), LOG_LEVEL: "warn" },
      stderr: "pipe",
    });
    const client = new ClientV2(
      { name: "stdio-modern", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(transport);
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
      const result = await client.callTool({
        name: "search_tickets",
        arguments: { status: "open", priority: "critical", category: "security" },
      });
      assert.equal((result.structuredContent as { total: number }).total, 1);
      await assert.rejects(
        client.readResource({ uri: "ticket://%ZZ" }),
        /Invalid resource URI "ticket:\/\/%ZZ": the ticket id is not valid percent-encoding/,
      );
    } finally {
      await client.close();
    }
  });
});
