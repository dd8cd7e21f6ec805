/**
 * The multi-server run end to end, as `npm run demo:multi` does it: the real ticket
 * server and weather server on free loopback ports, the local-tools server as a stdio
 * subprocess, examples/multi-server/servers.json translated by the agent's config
 * loader, and the offline model in createReactAgent. Checks which server each tool came
 * from, that every question used the servers it needs, the combined answers, and the
 * CSV file on disk. Then the same run with ChatOpenAI against a local OpenAI-compatible
 * stub, as with a real key.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startOpenAiStub } from "../../test/helpers/openaiStub.js";
import { loadServersConfig } from "../src/config.js";
import { selectModel } from "../src/models.js";
import { OfflineChatModel } from "../src/offline/index.js";
import {
  CONFIG_FILE,
  QUESTIONS,
  runMultiServerDemo,
  type DemoResult,
} from "../../examples/multi-server/demo.js";

const EXTRA = [
  {
    question: "Show open critical tickets and export them to CSV, and the weather in Berlin",
    servers: ["local-tools", "tickets-http", "weather"],
  },
  { question: "Сколько сейчас времени в Нью-Йорке?", servers: ["local-tools"] },
];

let folder: string;
let result: DemoResult;
const printed: string[] = [];

before(async () => {
  folder = await realpath(await mkdtemp(path.join(tmpdir(), "multi-demo-test-")));
  result = await runMultiServerDemo({
    defaultPorts: false,
    exportDir: folder,
    model: { model: new OfflineChatModel(), name: "offline (rule-based)", offline: true },
    questions: [...QUESTIONS, ...EXTRA],
    print: (line) => printed.push(line),
  });
});
after(() => rm(folder, { recursive: true, force: true }));

test("servers.json is in the seed's format and translates for the JS adapters", () => {
  const { servers } = loadServersConfig({ path: CONFIG_FILE, env: {} });
  assert.deepEqual(servers["tickets-http"], {
    transport: "http",
    url: "http://localhost:8000/mcp",
  });
  assert.deepEqual(servers.weather, { transport: "http", url: "http://localhost:9000/mcp" });
  assert.equal(servers["local-tools"]?.transport, "stdio");
});

test("every tool is known by the server it came from", () => {
  assert.deepEqual(Object.fromEntries(result.toolServers), {
    search_tickets: "tickets-http",
    get_ticket: "tickets-http",
    ticket_stats: "tickets-http",
    get_current_weather: "weather",
    get_forecast: "weather",
    export_tickets_csv: "local-tools",
    current_time: "local-tools",
  });
  assert.ok(printed.some((l) => /^Tools: tickets-http → search_tickets/.test(l)));
});

test("every question used exactly the servers it needs, and no call failed", () => {
  assert.deepEqual(result.problems, []);
  assert.equal(result.openSessions, 0, "the agent ended its session on the ticket server");
  assert.ok(printed.includes("\nSessions left open on the ticket server: 0"), printed.join("\n"));
  assert.equal(result.runs.length, QUESTIONS.length + EXTRA.length);
  for (const run of result.runs) {
    const used = [...new Set(run.calls.map((c) => c.server))].sort();
    assert.deepEqual(used, [...run.expected].sort(), run.question);
  }
});

test("two servers for one question: tickets and weather, one answer in Russian", () => {
  const run = result.runs[0]!;
  assert.deepEqual(run.calls.map((c) => `${c.server}/${c.tool}`).sort(), [
    "tickets-http/search_tickets",
    "weather/get_current_weather",
  ]);
  assert.match(run.answer, /^Найдено тикетов: \d+ \(статус: открыт, приоритет: критический\)\./);
  assert.match(run.answer, /\n- TKT-\d{4} — /);
  assert.match(run.answer, /\n\nПогода — Москва \(Moscow\), \d{4}-\d{2}-\d{2}: −?\d/);
  assert.match(run.answer, /демо-данные/);
  // The run prints the server of every call.
  assert.ok(
    printed.some((l) => l.startsWith('   weather → get_current_weather {"city":"Москве"}')),
  );
  assert.ok(printed.some((l) => l.startsWith('   tickets-http → search_tickets {"status":"open"')));
});

test("forecast in English; the current time in Russian", () => {
  assert.match(result.runs[1]!.answer, /^3-day forecast for London \(Лондон\):\n- /);
  assert.match(
    result.runs[3]!.answer,
    /^Сейчас \d{2}:\d{2}, \p{L}+, \d{4}-\d{2}-\d{2} — Токио \(Asia\/Tokyo\), UTC\+09:00\.$/u,
  );
  assert.match(result.runs[5]!.answer, /— Нью-Йорк \(America\/New_York\), UTC-0[45]:00\.$/);
});

test("export: the search's rows reach the CSV file through the stdio server", async () => {
  const run = result.runs[2]!;
  assert.deepEqual(
    run.calls.map((c) => `${c.server}/${c.tool}`),
    ["tickets-http/search_tickets", "local-tools/export_tickets_csv"],
  );
  const exported = run.exported!;
  assert.equal(path.dirname(exported.path), folder);
  assert.equal(exported.lines, exported.rows + 1);
  const csv = await readFile(exported.path, "utf8");
  assert.match(csv, /^\uFEFFticket_id,user_id,title,description,status,priority,category,/);
  assert.equal(csv.match(/,open,critical,/g)?.length, exported.rows);
  assert.match(
    run.answer,
    new RegExp(`^Exported ${exported.rows} tickets? \\(status: open, priority: critical\\): TKT-`),
  );
});

test("three servers for one question: search, then export and weather", () => {
  const run = result.runs[4]!;
  assert.deepEqual(
    run.calls.map((c) => `${c.server}/${c.tool}`),
    [
      "tickets-http/search_tickets",
      "weather/get_current_weather",
      "local-tools/export_tickets_csv",
    ],
  );
  assert.match(run.answer, /^Found \d+ tickets? \(status: open, priority: critical\)/);
  assert.match(run.answer, /\n\nWeather in Berlin \(Берлин\) on /);
  assert.match(run.answer, /\n\nExported \d+ tickets? /);
});

test("with a real model's client (ChatOpenAI against a local stub): parallel calls to two servers, then an export", async () => {
  const stub = await startOpenAiStub([
    {
      toolCalls: [
        { name: "search_tickets", args: { status: "open", priority: "critical" } },
        { name: "get_current_weather", args: { city: "Moscow" } },
      ],
    },
    {
      toolCalls: [
        {
          name: "export_tickets_csv",
          args: { rows: [{ ticket_id: "TKT-0006", status: "open" }], file_name: "stub.csv" },
        },
      ],
    },
    (req) => ({
      text: `Done: ${req.messages.filter((m) => m.role === "tool").length} tool results.`,
    }),
  ]);
  try {
    const question = "Open critical tickets and the weather in Moscow; export the tickets to CSV";
    const run = await runMultiServerDemo({
      defaultPorts: false,
      exportDir: folder,
      model: await selectModel({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: stub.baseURL }),
      questions: [{ question, servers: ["local-tools", "tickets-http", "weather"] }],
      print: () => undefined,
    });
    assert.deepEqual(run.problems, []);
    assert.equal(run.runs[0]!.answer, "Done: 3 tool results.");
    const first = stub.requests[0]!;
    assert.equal(first.tools?.length, 7, "every server's tools are offered");
    assert.match(String(first.messages[0]!.content), /Other tools come from other servers/);
    const exportTool = first.tools!.find((t) => t.function.name === "export_tickets_csv")!;
    assert.equal(
      (exportTool.function.parameters.properties as Record<string, { type?: string }>).rows?.type,
      "array",
    );
    assert.equal(
      await readFile(path.join(folder, "stub.csv"), "utf8"),
      "\uFEFFticket_id,status\r\nTKT-0006,open\r\n",
    );
  } finally {
    await stub.close();
  }
});
