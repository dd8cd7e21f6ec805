/**
 * Every tool's schema (name, title, description, input and output schema, annotations)
 * as clients see it in tools/list, compared with the committed snapshot in
 * __toolsnaps__/. A schema change must show up in review: after an intended change run
 * `npm run test:snapshots:update` and commit the files. A missing snapshot fails.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { pino } from "pino";
import { buildMcpServer } from "../src/mcp/buildServer.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "__toolsnaps__");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

test("tool schemas match their snapshots", async () => {
  const server = buildMcpServer({
    store: new MemoryTicketStore([]),
    logger: pino({ level: "silent" }),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "snapshots", version: "1.0.0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  await client.close();

  if (UPDATE) mkdirSync(DIR, { recursive: true });
  const names = new Set<string>();
  for (const tool of tools) {
    const file = path.join(DIR, `${tool.name}.snap.json`);
    names.add(path.basename(file));
    const actual = `${JSON.stringify(tool, null, 2)}\n`;
    if (UPDATE) writeFileSync(file, actual);
    assert.ok(existsSync(file), `missing snapshot ${file}: run npm run test:snapshots:update`);
    assert.equal(
      actual,
      readFileSync(file, "utf8"),
      `${tool.name} schema changed: review, then update`,
    );
  }
  const stale = readdirSync(DIR).filter((f) => f.endsWith(".snap.json") && !names.has(f));
  assert.deepEqual(stale, [], "snapshots of tools that no longer exist");
});
