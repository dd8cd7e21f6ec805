/**
 * MCP Apps registration, over real HTTP: both tools name their ui:// view in
 * _meta.ui.resourceUri; reading it gives one self-contained HTML file (MIME
 * text/html;profile=mcp-app, CSP metadata with no remote domain, nothing loaded from
 * anywhere); the text content is untouched; the committed build matches the sources; the
 * Docker image's file list carries the views to where the server looks for them.
 * The views' behaviour in a browser: test/apps/views.test.ts (npm run test:apps).
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { RESOURCE_MIME_TYPE } from "@modelcontextprotocol/ext-apps/server";
import { buildView, distFile, VIEWS, type ViewTool } from "../../apps/build.js";
import type { viewHtml } from "../src/mcp/apps/index.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { connectClient, startTestServer, type TestServer } from "../../test/helpers/server.js";
import { ticket } from "../../test/helpers/tickets.js";

let server: TestServer;
let client: Client;
before(async () => {
  server = await startTestServer(new MemoryTicketStore([ticket(), ticket({ status: "closed" })]));
  ({ client } = await connectClient(server.url));
});
after(async () => {
  await client.close();
  await server.close();
});

const TOOLS: ViewTool[] = ["search_tickets", "ticket_stats"];

test("search_tickets and ticket_stats name their ui:// view; get_ticket has none", async () => {
  const { tools } = await client.listTools();
  for (const name of TOOLS) {
    const tool = tools.find((t) => t.name === name)!;
    const uri = (tool._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
    assert.match(uri ?? "", /^ui:\/\/mcp-tickets\/.+\.html$/, `${name} _meta.ui.resourceUri`);
    assert.equal(tool.annotations?.readOnlyHint, true, `${name} keeps its annotations`);
  }
  assert.equal(tools.find((t) => t.name === "get_ticket")?._meta?.ui, undefined);
  const uris = tools.map((t) => (t._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri);
  assert.equal(new Set(uris.filter(Boolean)).size, 2, "one view per tool");
});

test("each ui:// resource is listed and reads as self-contained HTML with a closed CSP", async () => {
  const { tools } = await client.listTools();
  const { resources } = await client.listResources();
  for (const name of TOOLS) {
    const uri = (tools.find((t) => t.name === name)!._meta!.ui as { resourceUri: string })
      .resourceUri;
    const listed = resources.find((r) => r.uri === uri);
    assert.ok(listed, `${uri} in resources/list`);
    assert.equal(listed.mimeType, RESOURCE_MIME_TYPE);

    const { contents } = await client.readResource({ uri });
    assert.equal(contents.length, 1);
    const content = contents[0]!;
    assert.equal(content.mimeType, "text/html;profile=mcp-app");
    const csp = (content._meta?.ui as { csp?: Record<string, string[]> } | undefined)?.csp;
    assert.deepEqual(csp, { connectDomains: [], resourceDomains: [], frameDomains: [] });
    const html = "text" in content ? content.text : "";
    assert.match(html, /^<!doctype html>/);
    assert.ok(html.length < 512 * 1024, `${name} view is ${html.length} bytes`);
    // Self-contained: no external script, style, image or frame, nothing fetched at run time.
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|<img[^>]+src=["']?http|<iframe/i);
    assert.doesNotMatch(
      html,
      /\bimport\(|https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(js|css|mjs)/i,
    );
    assert.match(html, /http-equiv="Content-Security-Policy" content="default-src 'none';/);
  }
});

test("the text content is unchanged by the view (what the model reads)", async () => {
  const result = await client.callTool({ name: "search_tickets", arguments: { status: "open" } });
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  assert.doesNotMatch(text, /ui:\/\/|<html/i);
  assert.equal((result.structuredContent as { total: number }).total, 1);
});

test("the committed apps/dist files are the build of today's sources", async () => {
  for (const tool of Object.keys(VIEWS) as ViewTool[]) {
    assert.equal(
      readFileSync(distFile(tool), "utf8") === (await buildView(tool)),
      true,
      `apps/dist/${tool}.html is stale: run npm run build:apps and commit it`,
    );
  }
});

test("the Docker image holds the built views where its server looks for them", async () => {
  // No Docker engine here: lay out the image's /app from the Dockerfile's COPY lines (the
  // build context as Dockerfile.dockerignore admits it), then ask that copy of the server
  // for each view, as resources/read does.
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const dockerfile = readFileSync(path.join(root, "deploy/docker/Dockerfile"), "utf8");
  const admitted = readFileSync(path.join(root, "deploy/docker/Dockerfile.dockerignore"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("!"))
    .map((line) => line.slice(1).replace(/\/\*\*$/, ""));
  const image = mkdtempSync(path.join(tmpdir(), "mcp-tickets-image-"));
  try {
    for (const line of dockerfile.split("\n")) {
      const copy = /^COPY\s+(?!--from)(.+)$/.exec(line.trim());
      if (!copy) continue;
      const args = copy[1]!.split(/\s+/);
      const dest = args.pop()!;
      for (const src of args) {
        assert.ok(admitted.includes(src), `${src} is copied but Dockerfile.dockerignore omits it`);
        const target = dest.endsWith("/")
          ? path.join(image, dest, path.basename(src))
          : path.join(image, dest);
        cpSync(path.join(root, src), target, { recursive: true });
      }
    }
    // The deps stage's node_modules (the same packages, production only).
    symlinkSync(path.join(root, "node_modules"), path.join(image, "node_modules"), "dir");
    const inImage = (await import(
      pathToFileURL(path.join(image, "server/src/mcp/apps/index.ts")).href
    )) as { viewHtml: typeof viewHtml };
    for (const tool of TOOLS)
      assert.equal(
        inImage.viewHtml(tool),
        readFileSync(distFile(tool), "utf8"),
        `the image's server reads ${tool}.html`,
      );
  } finally {
    rmSync(image, { recursive: true, force: true });
  }
});
