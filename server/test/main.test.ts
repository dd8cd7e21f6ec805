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
});
