/**
 * The offline model inside a real `createReactAgent`, with real LangChain tools shaped
 * like the MCP adapters' (text content + `mcp_structured_content` artifact) that record
 * their arguments and return canned tickets. Checks the calls, the answer's language,
 * the wording for no results, errors and questions it does not understand, and that it
 * only ever calls tools it was given.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { tool, type StructuredToolInterface } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { z } from "zod";
import { OfflineChatModel, offlineBanner } from "../src/offline/index.js";

interface Ticket {
  ticket_id: string;
  user_id: string;
  title: string;
  description: string;
  status: string;
  priority: string;
  category: string;
  created_date: string;
  updated_date: string;
  assigned_to: string;
}

const t = (id: string, fields: Partial<Ticket>): Ticket => ({
  ticket_id: id,
  user_id: "user123",
  title: `Title of ${id}`,
  description: `Description of ${id}`,
  status: "open",
  priority: "high",
  category: "billing",
  created_date: "2025-03-01T10:00:00Z",
  updated_date: "2025-03-02T10:00:00Z",
  assigned_to: "billing_team",
  ...fields,
});

// prettier-ignore
const TICKETS: Ticket[] = [
  t("TKT-0002", { title: "Suspicious login attempts", status: "open", priority: "critical", category: "security", user_id: "user110", assigned_to: "security_team" }),
  t("TKT-0003", { title: "Payment failed but my card was charged", status: "open", priority: "high", category: "billing" }),
  t("TKT-0007", { title: "Dashboard widgets overlap", status: "in_progress", priority: "low", category: "technical", assigned_to: "support_agent3" }),
];

type Call = { name: string; args: Record<string, unknown> };
type Result = { text: string; data: Record<string, unknown> } | Error;
type Handler = (args: Record<string, unknown>) => Result;

const filterSchema = {
  user_id: z.string().optional(),
  status: z.union([z.string(), z.array(z.string())]).optional(),
  priority: z.union([z.string(), z.array(z.string())]).optional(),
  category: z.union([z.string(), z.array(z.string())]).optional(),
  keyword: z.string().optional(),
  assigned_to: z.string().optional(),
  created_after: z.string().optional(),
  created_before: z.string().optional(),
  updated_after: z.string().optional(),
  updated_before: z.string().optional(),
};

const SCHEMAS = {
  search_tickets: z.object({
    ...filterSchema,
    sort: z.string().optional(),
    limit: z.number().optional(),
    cursor: z.string().optional(),
  }),
  get_ticket: z.object({ ticket_id: z.string() }),
  ticket_stats: z.object({ ...filterSchema, group_by: z.string() }),
};
type ToolName = keyof typeof SCHEMAS;

/** A tool like the MCP adapters build: [text, [{ type: "mcp_structured_content", data }]]. */
function fakeTool(name: ToolName, calls: Call[], handler: Handler): StructuredToolInterface {
  return tool(
    (args: Record<string, unknown>) => {
      calls.push({ name, args });
      const result = handler(args);
      if (result instanceof Error) throw result;
      return [result.text, [{ type: "mcp_structured_content", data: result.data }]];
    },
    {
      name,
      description: `fake ${name}`,
      schema: SCHEMAS[name],
      responseFormat: "content_and_artifact",
    },
  ) as unknown as StructuredToolInterface;
}

const searchResult = (tickets: Ticket[], extra: Record<string, unknown> = {}): Result => ({
  text: `${tickets.length} tickets: ${tickets.map((x) => x.ticket_id).join(", ")}`,
  data: { total: tickets.length, tickets, filters: {}, ...extra },
});

const DEFAULT_HANDLERS: Record<ToolName, Handler> = {
  search_tickets: () => searchResult(TICKETS.slice(0, 2)),
  get_ticket: (args) => {
    const ticket = TICKETS.find((x) => x.ticket_id === args.ticket_id);
    return ticket
      ? { text: `${ticket.ticket_id}: ${ticket.title}`, data: { ticket } }
      : new Error(`Ticket ${String(args.ticket_id)} not found`);
  },
  ticket_stats: (args) => ({
    text: "stats",
    data: {
      total: 3,
      group_by: args.group_by,
      groups: [
        { value: "open", count: 2 },
        { value: "in_progress", count: 1 },
      ],
      filters: {},
    },
  }),
};

async function ask(
  question: string,
  options: { tools?: ToolName[]; handlers?: Partial<Record<ToolName, Handler>> } = {},
): Promise<{ answer: string; calls: Call[]; messages: BaseMessage[] }> {
  const calls: Call[] = [];
  const names = options.tools ?? (Object.keys(SCHEMAS) as ToolName[]);
  const tools = names.map((n) => fakeTool(n, calls, options.handlers?.[n] ?? DEFAULT_HANDLERS[n]));
  const agent = createReactAgent({ llm: new OfflineChatModel(), tools });
  const state = await agent.invoke({ messages: [new HumanMessage(question)] });
  const last = state.messages[state.messages.length - 1]!;
  assert.equal(last.getType(), "ai");
  return { answer: String(last.content), calls, messages: state.messages };
}

const CYRILLIC = /[А-Яа-яЁё]/;

describe("OfflineChatModel in createReactAgent", () => {
  test("English search: exact filters, English answer listing the tickets", async () => {
    const { answer, calls } = await ask("Find all critical security tickets with status open");
    assert.deepEqual(calls, [
      {
        name: "search_tickets",
        args: { status: "open", priority: "critical", category: "security", limit: 100 },
      },
    ]);
    assert.match(
      answer,
      /^Found 2 tickets \(status: open, priority: critical, category: security\)/,
    );
    assert.match(
      answer,
      /TKT-0002 — Suspicious login attempts \[open, critical, security\] — user user110, assigned to security_team/,
    );
    assert.match(answer, /TKT-0003/);
    assert.doesNotMatch(answer, CYRILLIC);
  });

  test("Russian search: Russian answer with translated labels", async () => {
    const { answer, calls } = await ask(
      "Покажи высокоприоритетные проблемы с оплатой, которые еще открыты",
    );
    assert.deepEqual(calls[0]?.args, { status: "open", priority: "high", category: "billing" });
    assert.match(
      answer,
      /^Найдено тикетов: 2 \(статус: открыт, приоритет: высокий, категория: оплата\)/,
    );
    assert.match(
      answer,
      /TKT-0002 — Suspicious login attempts \[открыт, критический, безопасность\] — пользователь user110, исполнитель security_team/,
    );
    assert.doesNotMatch(answer, /\[open|critical\]/);
  });

  test("more pages are mentioned when next_cursor is set", async () => {
    const { answer } = await ask("show open tickets", {
      handlers: {
        search_tickets: () => searchResult(TICKETS.slice(0, 2), { total: 12, next_cursor: "abc" }),
      },
    });
    assert.match(answer, /Found 12 tickets/);
    assert.match(answer, /Showing the first 2/);
    assert.match(answer, /More results are available/);
  });

  test("zero results: says nothing was found, with the filters (EN and RU)", async () => {
    const empty = { search_tickets: () => searchResult([]) };
    const en = await ask("rejected technical tickets", { handlers: empty });
    assert.equal(en.answer, "No tickets found matching status: rejected, category: technical.");
    const ru = await ask("Покажи отклонённые технические тикеты", { handlers: empty });
    assert.equal(
      ru.answer,
      "Тикеты не найдены по фильтрам: статус: отклонён, категория: техническая.",
    );
  });

  test("a tool error is reported with its text (EN and RU)", async () => {
    const failing = { search_tickets: () => new Error("status: must be one of open, closed") };
    const en = await ask("Show me medium priority tickets", { handlers: failing });
    assert.match(
      en.answer,
      /The request failed: the tool search_tickets returned an error: "status: must be one of open, closed"/,
    );
    const ru = await ask("Покажи тикет TKT-0099");
    assert.match(ru.answer, /инструмент get_ticket вернул ошибку: «Ticket TKT-0099 not found»/);
  });

  test("get_ticket: the ticket's fields, in Russian", async () => {
    const { answer, calls } = await ask("Покажи тикет TKT-0007");
    assert.deepEqual(calls, [{ name: "get_ticket", args: { ticket_id: "TKT-0007" } }]);
    assert.match(answer, /^TKT-0007 — Dashboard widgets overlap/);
    assert.match(answer, /Статус: в работе/);
    assert.match(answer, /Приоритет: низкий/);
    assert.match(answer, /Исполнитель: support_agent3/);
  });

  test("several ticket ids: one call each, unique call ids", async () => {
    const { calls, messages } = await ask("Compare TKT-0002 and TKT-0003");
    assert.deepEqual(calls.map((c) => c.args.ticket_id).sort(), ["TKT-0002", "TKT-0003"]);
    const ids = messages
      .flatMap((m) => (m instanceof AIMessage ? (m.tool_calls ?? []) : []))
      .map((c) => c.id);
    assert.equal(new Set(ids).size, 2);
  });

  test("ticket_stats: the counts", async () => {
    const { answer, calls } = await ask("How many tickets are there by status?");
    assert.deepEqual(calls, [{ name: "ticket_stats", args: { group_by: "status" } }]);
    assert.equal(answer, "3 tickets. By status:\n- open: 2\n- in progress: 1");
    const ru = await ask("Сколько тикетов по статусам?");
    assert.equal(ru.answer, "Всего тикетов: 3. По статусам:\n- открыт: 2\n- в работе: 1");
  });

  test("a question it does not understand: says so, with examples, no tool call", async () => {
    const en = await ask("What's the weather in Paris?");
    assert.equal(en.calls.length, 0);
    assert.match(en.answer, /^I did not understand the question/);
    assert.match(en.answer, /- Show ticket TKT-0007/);
    const ru = await ask("Расскажи анекдот");
    assert.equal(ru.calls.length, 0);
    assert.match(ru.answer, /^Я не понял вопрос/);
    assert.match(ru.answer, /- Покажи тикеты пользователя user123/);
  });

  test("never calls a tool that is not bound", async () => {
    const onlyGet = await ask("Find all tickets of user user123", { tools: ["get_ticket"] });
    assert.equal(onlyGet.calls.length, 0);
    assert.match(onlyGet.answer, /search_tickets\) is not available/);
    const onlySearch = await ask("show ticket TKT-0002", { tools: ["search_tickets"] });
    assert.equal(onlySearch.calls.length, 0);
    assert.match(onlySearch.answer, /get_ticket\) is not available/);
    const none = await ask("Покажи открытые тикеты", { tools: [] });
    assert.match(none.answer, /search_tickets\) сейчас недоступен/);
  });

  test("counting without ticket_stats: search_tickets with limit 100, counted locally", async () => {
    const { answer, calls } = await ask("How many tickets by category?", {
      tools: ["search_tickets"],
    });
    assert.deepEqual(calls, [{ name: "search_tickets", args: { limit: 100 } }]);
    assert.equal(answer, "2 tickets. By category:\n- security: 1\n- billing: 1");
  });

  test("stream() through the agent ends with the same answer", async () => {
    const calls: Call[] = [];
    const agent = createReactAgent({
      llm: new OfflineChatModel(),
      tools: [fakeTool("search_tickets", calls, DEFAULT_HANDLERS.search_tickets)],
    });
    const input = { messages: [new HumanMessage("Show me medium priority tickets")] };
    let last: BaseMessage | undefined;
    for await (const chunk of await agent.stream(input, { streamMode: "values" })) {
      last = chunk.messages[chunk.messages.length - 1];
    }
    assert.match(String(last?.content), /^Found 2 tickets \(priority: medium\)/);
    let streamed = "";
    for await (const [message] of await agent.stream(input, { streamMode: "messages" })) {
      if (message.getType() === "ai") streamed += String(message.content);
    }
    assert.match(streamed, /Found 2 tickets/);
    assert.deepEqual(calls[0]?.args, { priority: "medium" });
  });
});

describe("OfflineChatModel on its own", () => {
  test("bindTools returns a model limited to those tools; unbound means no calls", async () => {
    const bare = new OfflineChatModel();
    const reply = await bare.invoke([new HumanMessage("open tickets")]);
    assert.equal(reply.tool_calls?.length ?? 0, 0);
    const bound = bare.bindTools([
      { type: "function", function: { name: "search_tickets", parameters: {} } },
    ]);
    assert.deepEqual(bound.toolNames, ["search_tickets"]);
    const call = await bound.invoke([new HumanMessage("open tickets")]);
    assert.deepEqual(call.tool_calls?.[0]?.args, { status: "open" });
  });

  test("tool names with a server prefix are called by their bound name", async () => {
    const model = new OfflineChatModel().bindTools([{ name: "tickets-http__search_tickets" }]);
    const call = await model.invoke([new HumanMessage("open tickets")]);
    assert.equal(call.tool_calls?.[0]?.name, "tickets-http__search_tickets");
  });

  test("reads structured data beside the text block (adapter shape) or JSON text", () => {
    const model = new OfflineChatModel({ toolNames: ["search_tickets"] });
    const question = new HumanMessage("open tickets");
    const ai = new AIMessage({
      content: "",
      tool_calls: [{ id: "c1", name: "search_tickets", args: { status: "open" } }],
    });
    const data = { total: 1, tickets: [TICKETS[0]], filters: {} };
    const block = new ToolMessage({
      tool_call_id: "c1",
      content: [{ type: "text", text: "1 ticket", structuredContent: data }],
    });
    assert.match(
      String(model.respond([question, ai, block]).content),
      /^Found 1 ticket \(status: open\)\.\n- TKT-0002/,
    );
    const json = new ToolMessage({ tool_call_id: "c1", content: JSON.stringify(data) });
    assert.match(String(model.respond([question, ai, json]).content), /TKT-0002/);
    const plain = new ToolMessage({ tool_call_id: "c1", content: "1 ticket: TKT-0002 (open)" });
    assert.equal(
      model.respond([question, ai, plain]).content,
      "Result of search_tickets:\n1 ticket: TKT-0002 (open)",
    );
  });

  test("answers the latest question of a conversation", () => {
    const model = new OfflineChatModel({ toolNames: ["search_tickets", "get_ticket"] });
    const history = [
      new HumanMessage("open tickets"),
      new AIMessage({
        content: "",
        tool_calls: [{ id: "c1", name: "search_tickets", args: { status: "open" } }],
      }),
      new ToolMessage({ tool_call_id: "c1", content: "0 tickets" }),
      new AIMessage("No tickets found."),
      new HumanMessage("ticket TKT-0003"),
    ];
    const next = model.respond(history);
    assert.equal(next.tool_calls?.[0]?.name, "get_ticket");
  });

  test("the banner is one line: offline, the configured servers only, how to use a real model", () => {
    const en = offlineBanner(["tickets-http"]);
    assert.match(en, /^Offline mode: .*\(servers: tickets-http\)\. .*OPENAI_API_KEY/);
    assert.doesNotMatch(en, /\n|weather|time|CSV/i);
    assert.match(offlineBanner(["tickets-http", "weather"]), /servers: tickets-http, weather/);
    assert.match(
      offlineBanner(["tickets-http"], "ru"),
      /^Офлайн-режим: .*tickets-http.*OPENAI_API_KEY/,
    );
  });
});
