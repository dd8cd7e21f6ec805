/**
 * The whole loop over real HTTP: agent -> ChatOpenAI -> local OpenAI-compatible stub
 * (tool call, then the final answer) -> MultiServerMCPClient -> the real MCP server ->
 * answer. Asserts what the model was given: the tool schema and the tool result text.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ToolMessage } from "@langchain/core/messages";
import { ask, buildAgent } from "../src/agent.js";
import { parseServersConfig } from "../src/config.js";
import { connectServers, type ConnectedServers, type ToolCallRecord } from "../src/mcpClient.js";
import { selectModel } from "../src/models.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startOpenAiStub, type OpenAiStub } from "../../test/helpers/openaiStub.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";

let srv: TestServer;
let stub: OpenAiStub;
let servers: ConnectedServers;
const calls: ToolCallRecord[] = [];

before(async () => {
  srv = await startTestServer(await loadMemoryStore("data/requests.xls"));
  stub = await startOpenAiStub([
    {
      toolCalls: [
        {
          name: "search_tickets",
          args: { status: "open", priority: "critical", category: "security" },
        },
      ],
    },
    (req) => {
      const tool = req.messages.find((m) => m.role === "tool");
      const total = /^(\d+) tickets? match/.exec(String(tool?.content))?.[1] ?? "?";
      return { text: `Найдено открытых критических тикетов по безопасности: ${total}.` };
    },
  ]);
  servers = await connectServers(
    parseServersConfig({ "tickets-http": { transport: "streamable_http", url: srv.url } }, "test"),
    { onToolEnd: (r) => calls.push(r) },
  );
});
after(async () => {
  await servers.close();
  await stub.close();
  await srv.close();
});

test("agent -> ChatOpenAI -> stub -> MCP server -> answer", async () => {
  const { model, offline } = await selectModel({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: stub.baseURL,
  });
  assert.equal(offline, false);
  const agent = buildAgent(model, servers.tools);
  const result = await ask(agent, "Найди все критические тикеты по безопасности со статусом open");

  // The model was offered our tools with their real schemas.
  const first = stub.requests[0]!;
  assert.equal(first.model, "gpt-4o-mini");
  const offered = first.tools?.map((t) => t.function.name);
  assert.deepEqual(offered, ["search_tickets", "get_ticket", "ticket_stats"]);
  const params = first.tools![0]!.function.parameters as { properties: Record<string, unknown> };
  // status keeps its type (string or list) and lists its values in the description.
  const status = params.properties.status as { anyOf: { type: string }[]; description: string };
  assert.deepEqual(
    status.anyOf.map((s) => s.type),
    ["string", "array"],
  );
  assert.match(status.description, /open, in_progress, pending, closed, rejected/);
  assert.match(String(first.messages[0]?.content), /exact enum values/);

  // The second request carries the tool result: the compact text, once, no JSON copy.
  const toolMsg = stub.requests[1]!.messages.find((m) => m.role === "tool")!;
  const content = String(toolMsg.content);
  assert.match(content, /^\d+ tickets? match(?:es)? \(open critical security\)/);
  assert.ok(!content.includes("structuredContent"), "structured copy leaked to the model");
  assert.ok(!content.includes('"ticket_id"'), "JSON leaked to the model");

  // The structured data stayed on the ToolMessage as its artifact.
  const tm = result.messages.find((m) => ToolMessage.isInstance(m)) as ToolMessage;
  const artifact = tm.artifact as { type: string; data: { total: number } }[];
  assert.equal(artifact[0]?.type, "mcp_structured_content");
  const total = artifact[0]!.data.total;
  assert.ok(total >= 1);
  assert.equal(result.answer, `Найдено открытых критических тикетов по безопасности: ${total}.`);

  // The call was recorded for --json / --verbose.
  assert.equal(calls.length, 1);
  assert.deepEqual(
    { server: calls[0]!.server, tool: calls[0]!.tool, ok: calls[0]!.ok },
    { server: "tickets-http", tool: "search_tickets", ok: true },
  );
  assert.equal(calls[0]!.resultChars, content.length);
});

test("a tool error reaches the model as text it can act on", async () => {
  const errStub = await startOpenAiStub([
    { toolCalls: [{ name: "search_tickets", args: { status: "opened" } }] },
    { text: "done" },
  ]);
  try {
    const { model } = await selectModel({
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: errStub.baseURL,
    });
    const before = calls.length;
    await ask(buildAgent(model, servers.tools), "open tickets", [], {
      onStep: (messages) => servers.settle(messages),
    });
    const toolMsg = errStub.requests[1]!.messages.find((m) => m.role === "tool")!;
    assert.match(
      String(toolMsg.content),
      /Invalid status "opened": must be one of open, in_progress/,
    );
    assert.equal(calls.length, before + 1);
    assert.equal(calls.at(-1)!.ok, false);
  } finally {
    await errStub.close();
  }
});
