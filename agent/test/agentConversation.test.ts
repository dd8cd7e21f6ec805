/**
 * The whole agent against the real server, with the offline model: createReactAgent,
 * MultiServerMCPClient over Streamable HTTP, the real ticket server and data. Every
 * example prompt (one question, or a conversation carried as the CLI carries it) sends
 * its filters; the answers own up to typos, unmapped words and empty date ranges; and a
 * conversation piped into `npm run agent -- --json` prints one JSON object per question.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { BaseMessage } from "@langchain/core/messages";
import { HISTORY_TURNS, ask, buildAgent, conversationOf, type Agent } from "../src/agent.js";
import { connectServers, type ConnectedServers, type ToolCallRecord } from "../src/mcpClient.js";
import { OfflineChatModel } from "../src/offline/index.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";
import { runNode } from "./support/process.js";
import { loadPrompts, mismatch, questionsOf } from "./support/prompts.js";

let srv: TestServer;
let servers: ConnectedServers;
let agent: Agent;
let calls: ToolCallRecord[] = [];

before(async () => {
  // Many conversations in a row from one address: the server's rate limit is not what
  // this file tests (600 a minute would start refusing them).
  srv = await startTestServer(await loadMemoryStore("data/requests.xls"), {
    RATE_LIMIT_PER_MINUTE: "0",
  });
  servers = await connectServers(
    { "tickets-http": { transport: "http", url: srv.url } },
    { onToolEnd: (r) => calls.push(r) },
  );
  agent = buildAgent(new OfflineChatModel(), servers.tools);
});
after(async () => {
  await servers.close();
  await srv.close();
});

/** Asks the questions in order, as the REPL does; the calls and answer of the last. */
async function conversation(...questions: string[]) {
  let history: BaseMessage[] = [];
  let answer = "";
  for (const question of questions) {
    calls = [];
    const result = await ask(agent, question, history, { onStep: (m) => servers.settle(m) });
    history = conversationOf(result.messages);
    answer = result.answer;
  }
  return { calls, answer };
}

describe("example prompts: the first search or count carries exactly the expected filters", () => {
  for (const p of loadPrompts()) {
    const questions = questionsOf(p);
    test(`${p.id}: ${questions.join(" → ")}`, async () => {
      const { calls: made, answer } = await conversation(...questions);
      const first = made.find((c) => c.tool === "search_tickets" || c.tool === "ticket_stats");
      assert.ok(first, `no search or count: ${answer}`);
      assert.ok(first.ok, answer);
      const problem = mismatch(first.args, p.expect);
      assert.equal(problem, undefined, problem);
    });
  }
});

describe("honest answers", () => {
  test("typos: the answer says how it read them, and finds the tickets (EN, RU)", async () => {
    const en = await conversation("Show crtical securty tickets");
    assert.deepEqual(en.calls[0]!.args, { priority: "critical", category: "security" });
    assert.match(en.answer, /^\(Read 'crtical' as 'critical', 'securty' as 'security'\.\)/);
    assert.match(en.answer, /Found \d+ tickets? \(priority: critical, category: security\)/);
    const ru = await conversation("Найди критические тикеты по безопастности");
    assert.deepEqual(ru.calls[0]!.args, { priority: "critical", category: "security" });
    assert.match(ru.answer, /«безопастности» → «безопасности»/);
  });

  test("an unmapped filter word is named: searched without it (EN, RU)", async () => {
    const en = await conversation("Show open blorp tickets");
    assert.deepEqual(en.calls[0]!.args, { status: "open" });
    assert.match(
      en.answer,
      /I didn't recognise 'blorp' as a status, priority or category; searched without it\./,
    );
    const ru = await conversation("Покажи открытые тикеты со статусом фуфло");
    assert.match(ru.answer, /Не распознал «фуфло» как статус; искал без этого условия\./);
  });

  test("a date filter that finds nothing: the answer says which dates the data covers", async () => {
    const en = await conversation("Which tickets were created before 2024-01-01?");
    assert.deepEqual(en.calls[0]!.args, { created_before: "2024-01-01" });
    assert.equal(en.calls.length, 3, "the search, then the oldest and the newest ticket");
    assert.match(en.answer, /^No tickets found/);
    assert.match(en.answer, /created from 2025-\d\d-\d\d to 2025-\d\d-\d\d, outside the period/);
    const ru = await conversation("Тикеты, созданные в 2023 году");
    assert.match(ru.answer, /В данных тикеты созданы с 2025-\d\d-\d\d по 2025-\d\d-\d\d/);
    const inside = await conversation("critical tickets created in March 2025 by user999");
    assert.doesNotMatch(inside.answer, /created from/, "no note when the period is in range");
  });

  test("'how many are not closed' counts open, in progress and pending with ticket_stats", async () => {
    const { calls: made, answer } = await conversation("How many tickets are not closed?");
    assert.equal(made[0]!.tool, "ticket_stats");
    assert.deepEqual(made[0]!.args.status, ["open", "in_progress", "pending"]);
    const total = Number(/^(\d+) tickets/.exec(answer)?.[1]);
    const all = await conversation("how many tickets by status?");
    const count = (s: string) => Number(new RegExp(`- ${s}: (\\d+)`).exec(all.answer)?.[1]);
    assert.equal(total, count("open") + count("in progress") + count("pending"));
  });
});

test("a conversation piped into the REPL with --json: one JSON object per question", async () => {
  const questions = [
    "tickets of user110",
    "а какие из них закрыты?",
    "Show open tickets",
    "only the billing ones",
    "and the pending ones?",
    "how many of them?",
  ];
  const r = await runNode(
    "agent/src/cli.ts",
    ["--json"],
    { MCP_SERVER_URL: srv.url },
    `${questions.join("\n")}\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "", "--json keeps stderr quiet");
  const lines = r.stdout.trim().split("\n");
  const records = lines.map(
    (l) =>
      JSON.parse(l) as {
        question: string;
        answer: string;
        model: string;
        tool_calls: { tool: string; arguments: Record<string, unknown> }[];
      },
  );
  assert.deepEqual(
    records.map((o) => o.question),
    questions,
  );
  assert.ok(records.every((o) => o.model === "offline (rule-based)" && o.answer !== ""));
  assert.deepEqual(
    records.map((o) => [o.tool_calls[0]!.tool, o.tool_calls[0]!.arguments]),
    [
      ["search_tickets", { user_id: "user110" }],
      ["search_tickets", { user_id: "user110", status: "closed" }],
      ["search_tickets", { status: "open" }],
      ["search_tickets", { status: "open", category: "billing" }],
      ["search_tickets", { status: "pending", category: "billing" }],
      ["ticket_stats", { group_by: "priority", status: "pending", category: "billing" }],
    ],
  );
  assert.match(
    records[1]!.answer,
    /^Найдено тикетов: \d+ \(пользователь: user110, статус: закрыт\)/,
  );
});

describe("exclusions with more than one value, and through a preposition", () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      "Покажи все тикеты, кроме закрытых и отклонённых",
      { status: ["open", "in_progress", "pending"], limit: 100 },
    ],
    [
      "tickets that are neither closed nor rejected",
      { status: ["open", "in_progress", "pending"] },
    ],
    ["Show me tickets excluding low and medium priority", { priority: ["critical", "high"] }],
    [
      "tickets not in billing",
      { category: ["authentication", "feature", "technical", "security"] },
    ],
    [
      "Все тикеты, кроме тех что по безопасности",
      { category: ["authentication", "billing", "feature", "technical"], limit: 100 },
    ],
  ];
  for (const [q, args] of cases) {
    test(q, async () => {
      const { calls: made, answer } = await conversation(q);
      assert.deepEqual(made[0]!.args, args);
      assert.match(answer, /^(?:Found|Найдено тикетов:) \d+/);
    });
  }
});

describe("follow-ups through the whole agent: no cue word needed, and no window to fall out of", () => {
  test("twelve follow-ups later, 'а закрытые?' still means user110's", async () => {
    const statuses = ["а закрытые?", "а открытые?", "а в работе?", "а в ожидании?"];
    const questions = ["tickets of user110", ...statuses, ...statuses, ...statuses, "а закрытые?"];
    assert.ok(questions.length > HISTORY_TURNS, "longer than the history window");
    const { calls: made, answer } = await conversation(...questions);
    assert.deepEqual(made[0]!.args, { user_id: "user110", status: "closed" });
    assert.match(answer, /^Найдено тикетов: \d+ \(пользователь: user110, статус: закрыт\)/);
  });

  const cases: [string[], Record<string, unknown>][] = [
    [["тикеты по оплате", "покажи закрытые"], { status: "closed", category: "billing" }],
    [
      ["critical tickets", "which ones are assigned to security_team?"],
      { priority: "critical", assigned_to: "security_team" },
    ],
    [
      ["open security tickets", "sort them by priority"],
      { status: "open", category: "security", sort: "priority" },
    ],
    [["unresolved tickets", "show 50"], { status: ["open", "in_progress", "pending"], limit: 50 }],
    [
      ["unresolved tickets", "show more"],
      { status: ["open", "in_progress", "pending"], limit: 50 },
    ],
  ];
  for (const [questions, args] of cases) {
    test(questions.join(" → "), async () => {
      const { calls: made } = await conversation(...questions);
      assert.deepEqual(made[0]!.args, args);
    });
  }
});

describe("conditions it cannot send are named in the answer", () => {
  test("'critical or pending': two searches, and the answer says why (EN, RU)", async () => {
    const en = await conversation("critical or pending tickets");
    assert.deepEqual(
      en.calls.map((c) => c.args),
      [{ priority: "critical" }, { status: "pending" }],
    );
    assert.match(en.answer, /^One search cannot ask for 'critical or pending'/);
    assert.match(en.answer, /Found \d+ tickets? \(priority: critical\)/);
    assert.match(en.answer, /Found \d+ tickets? \(status: pending\)/);
    const ru = await conversation("критические или ожидающие тикеты");
    assert.equal(ru.calls.length, 2);
    assert.match(ru.answer, /^Одним поиском нельзя найти «критические или ожидающие»/);
  });

  test("a negated assignee is named: searched without it", async () => {
    const { calls: made, answer } = await conversation("open tickets not assigned to dev_team");
    assert.deepEqual(made[0]!.args, { status: "open" });
    assert.match(answer, /cannot exclude an assignee \('not assigned to dev_team'\)/);
  });

  test("'tickets that are purple', 'opne': named, with a suggestion for the short one", async () => {
    const purple = await conversation("tickets that are purple");
    assert.match(purple.answer, /I didn't recognise 'purple' as a status, priority or category/);
    const opne = await conversation("securty tickets that are opne");
    assert.deepEqual(opne.calls[0]!.args, { category: "security" });
    assert.match(opne.answer, /I didn't recognise 'opne' .*did you mean 'open'\?/);
  });
});

describe("relative dates and years through the whole agent (the data is all 2025)", () => {
  test("'на прошлой неделе' / 'last week': the previous calendar week, then the data's range", async () => {
    for (const q of [
      "какие тикеты созданы на прошлой неделе?",
      "Which tickets were created last week?",
    ]) {
      const { calls: made, answer } = await conversation(q);
      const args = made[0]!.args;
      assert.deepEqual(Object.keys(args).sort(), ["created_after", "created_before"], q);
      const days =
        (Date.parse(String(args.created_before)) - Date.parse(String(args.created_after))) /
        86_400_000;
      assert.equal(days, 7, q);
      assert.equal(new Date(String(args.created_after)).getUTCDay(), 1, "a Monday");
      if (Date.parse(String(args.created_after)) > Date.parse("2025-12-27")) {
        assert.match(answer, /(?:created from|созданы с) 2025-\d\d-\d\d/, q);
      }
    }
  });

  test("'tickets from 2024' is the year 2024, and the answer says where the data lies", async () => {
    const { calls: made, answer } = await conversation("tickets from 2024");
    assert.deepEqual(made[0]!.args, { created_after: "2024-01-01", created_before: "2025-01-01" });
    assert.match(answer, /^No tickets found/);
    assert.match(answer, /created from 2025-\d\d-\d\d to 2025-\d\d-\d\d, outside the period/);
  });

  test("'who has the most open tickets?' counts open tickets by assignee (EN, RU)", async () => {
    for (const q of ["who has the most open tickets?", "у кого больше всего открытых тикетов"]) {
      const { calls: made } = await conversation(q);
      assert.equal(made[0]!.tool, "ticket_stats", q);
      assert.deepEqual(made[0]!.args, { group_by: "assigned_to", status: "open" }, q);
    }
  });

  test("a count leaves out the rows its own filter excluded ('not closed': no 'closed: 0')", async () => {
    const { answer } = await conversation("How many tickets are not closed?");
    assert.doesNotMatch(answer, /closed: 0|rejected: 0/);
    assert.match(answer, /- open: \d+/);
  });
});
