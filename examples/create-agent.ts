/**
 * The ticket agent on LangChain v1's `createAgent` (package `langchain`), the successor
 * of `createReactAgent` from `@langchain/langgraph/prebuilt` that agent/src/agent.ts
 * uses (as the seed's `create_react_agent` did). Same servers, tools and system prompt.
 *
 *   npx tsx examples/create-agent.ts ["question"]     (npm start first)
 *
 * Servers: agent/servers.json, the seed's format (MCP_SERVERS_CONFIG for another file,
 * MCP_SERVER_URL to point "tickets-http" elsewhere). Model: ChatOpenAI when
 * OPENAI_API_KEY is set (OPENAI_MODEL, default gpt-4o-mini; OPENAI_BASE_URL for an
 * OpenAI-compatible server), else the project's offline rule-based model, which needs no
 * key and no network.
 *
 * What changed from createReactAgent: `llm` is now `model` (an instance, or a string
 * such as "openai:gpt-4o-mini"), `prompt` is now `systemPrompt`, and extra behaviour
 * comes as `middleware`. Invoking it and the `messages` state are the same.
 *
 * It asks the seed's first question (or the one given), prints the tool calls and the
 * answer, and checks them: tools were called and succeeded, the answer names only
 * tickets they returned, and for the seed's question search_tickets got the seed's
 * filters. It exits 1 when not.
 *
 * agent/src/mcpClient.ts wraps this same client for the CLI (the model then reads each
 * result's compact text once, and list-or-value arguments keep their types); this
 * example keeps the adapters' defaults to stay short. It ends its session on the way out
 * (`endSessions`: the transport's `terminateSession()`, an HTTP DELETE).
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { MultiServerMCPClient } from "@langchain/mcp-adapters";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent } from "langchain";
import { SYSTEM_PROMPT, messageText } from "../agent/src/agent.js";
import { loadServersConfig } from "../agent/src/config.js";
import { endSessions } from "../agent/src/mcpClient.js";
import { DEFAULT_OPENAI_MODEL } from "../agent/src/models.js";
import { OfflineChatModel, offlineBanner } from "../agent/src/offline/index.js";

const SEED_QUESTION = "Найди все критические тикеты по безопасности со статусом open";
/** The search_tickets arguments the seed's README shows for that question. */
const SEED_FILTERS = { status: "open", priority: "critical", category: "security" };

function chooseModel(): { model: BaseChatModel; name: string } {
  const key = process.env.OPENAI_API_KEY?.trim();
  if (!key) return { model: new OfflineChatModel(), name: "offline (rule-based)" };
  const name = process.env.OPENAI_MODEL?.trim() || DEFAULT_OPENAI_MODEL;
  const baseURL = process.env.OPENAI_BASE_URL?.trim();
  const model = new ChatOpenAI({
    model: name,
    apiKey: key,
    temperature: 0,
    ...(baseURL ? { configuration: { baseURL } } : {}),
  });
  return { model, name };
}

async function main(question: string): Promise<void> {
  // The seed's config file; the loader turns its "streamable_http" into the JS adapters'
  // "http" (they reject the seed's spelling) and applies MCP_SERVER_URL.
  const { file, servers } = loadServersConfig();
  const client = new MultiServerMCPClient({ mcpServers: servers, onConnectionError: "throw" });
  try {
    const tools = await client.getTools();
    const { model, name } = chooseModel();
    if (name.startsWith("offline")) console.log(`${offlineBanner(Object.keys(servers))}\n`);
    console.log(`Servers from ${file}: ${Object.keys(servers).join(", ")}; model: ${name}`);
    console.log(`Tools: ${tools.map((t) => t.name).join(", ")}\n`);

    const agent = createAgent({ model, tools, systemPrompt: SYSTEM_PROMPT });
    const { messages } = await agent.invoke(
      { messages: [{ role: "user", content: question }] },
      { recursionLimit: 12 },
    );

    const calls = messages.filter(AIMessage.isInstance).flatMap((m) => m.tool_calls ?? []);
    const results = messages.filter(ToolMessage.isInstance);
    const answer = messageText(messages.at(-1)!).trim();
    console.log(`Question: ${question}`);
    for (const call of calls) console.log(`Tool call: ${call.name} ${JSON.stringify(call.args)}`);
    console.log(`\n${answer}\n`);

    // Self-check: the agent called tools, every call succeeded, and the answer names
    // only tickets the tools returned (never invented ones), at least one when they
    // returned any. For the seed's question: search_tickets with the seed's filters.
    if (calls.length === 0) throw new Error("the agent answered without calling a tool");
    for (const call of calls) {
      const result = results.find((r) => r.tool_call_id === call.id);
      if (!result || result.status === "error") {
        throw new Error(`${call.name} failed: ${result ? messageText(result) : "no result"}`);
      }
    }
    const returned = new Set(results.flatMap((r) => messageText(r).match(/TKT-\d+/g) ?? []));
    const answered = answer.match(/TKT-\d+/g) ?? [];
    const invented = answered.filter((id) => !returned.has(id));
    if (invented.length > 0) {
      throw new Error(`the answer names tickets the tools did not return: ${invented.join(", ")}`);
    }
    if (returned.size > 0 && answered.length === 0) {
      throw new Error(`the answer names none of the tickets found (${[...returned].join(", ")})`);
    }
    if (question === SEED_QUESTION) {
      const seedSearch = calls.some(
        (c) =>
          c.name.endsWith("search_tickets") &&
          Object.entries(SEED_FILTERS).every(([k, v]) => c.args[k] === v),
      );
      if (!seedSearch)
        throw new Error(`no search_tickets call with ${JSON.stringify(SEED_FILTERS)}`);
    }
    console.log(
      `OK: createAgent called ${calls.map((c) => c.name).join(", ")} and answered from the results.`,
    );
  } finally {
    // The adapters' close() sends no DELETE: end each HTTP session first, so the
    // server does not keep it open until it expires.
    await endSessions(client, Object.keys(servers));
    await client.close();
  }
}

main(process.argv.slice(2).join(" ").trim() || SEED_QUESTION).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`create-agent: ${message}`);
  if (/ECONNREFUSED|fetch failed|Failed to connect/i.test(message)) {
    console.error("Is the ticket server running? Start it with: npm start");
  }
  process.exitCode = 1;
});
