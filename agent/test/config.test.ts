import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { AgentConfigError, loadServersConfig, parseServersConfig } from "../src/config.js";
import { restoreUnionProperties } from "../src/mcpClient.js";

const dir = mkdtempSync(path.join(tmpdir(), "agent-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

function fails(json: unknown, ...mentions: RegExp[]): void {
  assert.throws(
    () => parseServersConfig(json, "servers.json"),
    (err: unknown) => {
      assert.ok(err instanceof AgentConfigError);
      for (const m of mentions) assert.match(err.message, m);
      return true;
    },
  );
}

describe("transport spellings", () => {
  for (const spelling of ["streamable_http", "streamable-http", "http"]) {
    test(`"${spelling}" becomes the adapters' "http"`, () => {
      const servers = parseServersConfig(
        { "tickets-http": { transport: spelling, url: "http://localhost:8000/mcp" } },
        "servers.json",
      );
      assert.deepEqual(servers["tickets-http"], {
        transport: "http",
        url: "http://localhost:8000/mcp",
      });
    });
  }

  test('"sse" stays sse; headers pass through', () => {
    const servers = parseServersConfig(
      {
        old: {
          transport: "sse",
          url: "https://x.example/sse",
          headers: { Authorization: "Bearer t" },
        },
      },
      "f",
    );
    assert.deepEqual(servers.old, {
      transport: "sse",
      url: "https://x.example/sse",
      headers: { Authorization: "Bearer t" },
    });
  });

  test("stdio entries keep command, args and env; transport may be implied", () => {
    const servers = parseServersConfig(
      {
        mcpServers: {
          "local-tools": { command: "node", args: ["tools.js"], env: { TZ: "UTC" } },
          other: { transport: "stdio", command: "python", args: ["/path/to/local_server.py"] },
        },
      },
      "f",
    );
    assert.deepEqual(servers["local-tools"], {
      transport: "stdio",
      command: "node",
      args: ["tools.js"],
      env: { TZ: "UTC" },
    });
    assert.deepEqual(servers.other, {
      transport: "stdio",
      command: "python",
      args: ["/path/to/local_server.py"],
    });
  });
});

describe("errors name the entry, the bad value and the fix", () => {
  test("unknown transport lists the accepted ones", () => {
    fails(
      { weather: { transport: "websocket", url: "http://localhost:9000/mcp" } },
      /server "weather"/,
      /"websocket"/,
      /streamable_http, streamable-http, streamableHttp, http, sse, stdio/,
    );
  });
  test("missing url or command", () => {
    fails({ t: { transport: "streamable_http" } }, /server "t"/, /needs "url"/);
    fails({ t: { transport: "stdio" } }, /server "t"/, /needs "command"/);
    fails({ t: {} }, /neither "url" nor "command"/);
  });
  test("bad url, bad shapes, empty config", () => {
    fails({ t: { url: "ftp://x" } }, /"url" must be an http/);
    fails({ t: { command: "node", args: "x.js" } }, /"args"/);
    fails([], /expected a JSON object/);
    fails({}, /no servers configured/);
  });
  test("files: missing, invalid JSON", () => {
    assert.throws(
      () => loadServersConfig({ path: path.join(dir, "nope.json"), env: {} }),
      /nope\.json: file not found.*--config/,
    );
    assert.throws(
      () => loadServersConfig({ path: file("bad.json", '{"a": 1,}'), env: {} }),
      /bad\.json: not valid JSON/,
    );
  });
});

describe("loading", () => {
  test("the path comes from the flag, else MCP_SERVERS_CONFIG; MCP_SERVER_URL overrides tickets-http", () => {
    const p = file(
      "s.json",
      JSON.stringify({
        "tickets-http": { transport: "streamable_http", url: "http://localhost:8000/mcp" },
      }),
    );
    const fromEnv = loadServersConfig({
      env: { MCP_SERVERS_CONFIG: p, MCP_SERVER_URL: "http://127.0.0.1:9999/mcp" },
    });
    assert.equal(fromEnv.file, p);
    assert.deepEqual(fromEnv.servers["tickets-http"], {
      transport: "http",
      url: "http://127.0.0.1:9999/mcp",
    });
    assert.throws(
      () => loadServersConfig({ path: p, env: { MCP_SERVER_URL: "localhost:8000" } }),
      /MCP_SERVER_URL="localhost:8000" is not an http/,
    );
    // A .env copied from .env.example has `MCP_SERVERS_CONFIG=`: empty means unset.
    assert.equal(loadServersConfig({ env: { MCP_SERVERS_CONFIG: "" } }).file, "agent/servers.json");
  });

  test("the shipped agent/servers.json is the seed's format", () => {
    const { servers } = loadServersConfig({ path: "agent/servers.json", env: {} });
    assert.deepEqual(servers, {
      "tickets-http": { transport: "http", url: "http://localhost:8000/mcp" },
    });
  });
});

test("union properties emptied by the adapters get their types back, without enums", () => {
  const simplified = {
    properties: { status: { description: "Status" }, limit: { type: "integer" } },
  };
  restoreUnionProperties(
    simplified as never,
    {
      properties: {
        status: {
          anyOf: [
            { type: "string", enum: ["open"] },
            { type: "array", items: { type: "string", enum: ["open"] } },
          ],
        },
      },
    } as never,
  );
  assert.deepEqual(simplified.properties.status, {
    description: "Status",
    anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
  });
  assert.deepEqual(simplified.properties.limit, { type: "integer" });
});
