/**
 * The offline model's weather and local-tools skills: what they read in Russian and
 * English questions, and how the model combines skills. One question can need several
 * servers: all first calls go out in one AI message (parallel tool calls); an export
 * follows the search it needs; the answer joins every part in the question's language.
 * Driven through `respond()` with the tool messages the MCP adapters produce.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  HumanMessage,
  ToolMessage,
  type AIMessage,
  type BaseMessage,
} from "@langchain/core/messages";
import {
  OfflineChatModel,
  defaultSkills,
  parseExportQuestion,
  parseTimeQuestion,
  parseWeatherQuestion,
} from "../src/offline/index.js";

const TICKET_TOOLS = ["search_tickets", "get_ticket", "ticket_stats"];
const WEATHER_TOOLS = ["get_current_weather", "get_forecast"];
const LOCAL_TOOLS = ["export_tickets_csv", "current_time"];
const ALL = [...TICKET_TOOLS, ...WEATHER_TOOLS, ...LOCAL_TOOLS];

const model = (tools: string[] = ALL) =>
  new OfflineChatModel().bindTools(tools.map((name) => ({ name })));

const TICKET = {
  ticket_id: "TKT-0006",
  user_id: "user110",
  title: "Suspicious login attempts on admin account",
  status: "open",
  priority: "critical",
  category: "security",
  assigned_to: "security_team",
};
const MOSCOW = {
  city: { name: "Moscow", name_ru: "Москва", country: "Russia" },
  date: "2025-01-15",
  temperature_c: -7.5,
  feels_like_c: -11.2,
  condition: "light_snow",
  humidity_pct: 80,
  wind_kph: 12,
  demo_data: true,
};

/** The tool message the adapters build: text, and the structured copy as the artifact. */
function result(call: { id?: string; name: string }, text: string, data?: object, error = false) {
  return new ToolMessage({
    tool_call_id: call.id!,
    name: call.name,
    content: text,
    ...(data ? { artifact: [{ type: "mcp_structured_content", data }] } : {}),
    ...(error ? { status: "error" as const } : {}),
  });
}

const callsOf = (m: AIMessage) => (m.tool_calls ?? []).map((c) => ({ name: c.name, args: c.args }));

describe("what the skills read", () => {
  test("weather questions, Russian and English", () => {
    const cases: [string, object | undefined][] = [
      ["Какая погода в Москве?", { kind: "current", places: ["Москве"] }],
      [
        "Покажи открытые критические тикеты и погоду в Москве",
        { kind: "current", places: ["Москве"] },
      ],
      ["open critical tickets and the weather in Moscow", { kind: "current", places: ["Moscow"] }],
      ["Moscow weather", { kind: "current", places: ["Moscow"] }],
      ["weather in new york", { kind: "current", places: ["new york"] }],
      [
        "What's the weather forecast for London for 3 days?",
        { kind: "forecast", places: ["London"], days: 3 },
      ],
      [
        "прогноз на 5 дней в Санкт-Петербурге",
        { kind: "forecast", places: ["Санкт-Петербурге"], days: 5 },
      ],
      ["Какая будет погода завтра в Казани?", { kind: "forecast", places: ["Казани"], days: 2 }],
      [
        "погода в Москве и Лондоне на неделю",
        { kind: "forecast", places: ["Москве", "Лондоне"], days: 7 },
      ],
      ["weather in New York and Tokyo", { kind: "current", places: ["New York", "Tokyo"] }],
      ["Покажи открытые тикеты", undefined],
    ];
    for (const [question, expected] of cases) {
      const parsed = parseWeatherQuestion(question);
      if (expected === undefined) {
        assert.equal(parsed, undefined, question);
        continue;
      }
      const { claim: _claim, ...rest } = parsed!;
      assert.deepEqual(rest, expected, question);
    }
  });

  test("a ticket date filter is not a forecast length", () => {
    const parsed = parseWeatherQuestion("Покажи тикеты за последние 3 дня и погоду в Берлине");
    assert.equal(parsed?.kind, "current");
    assert.deepEqual(parsed?.places, ["Берлине"]);
  });

  test("time and export questions", () => {
    const zones = (q: string) =>
      parseTimeQuestion(q)?.places.map((p) => p.zone?.zone ?? `?${p.text}`);
    assert.deepEqual(zones("Который час в Токио?"), ["Asia/Tokyo"]);
    assert.deepEqual(zones("What time is it in New York?"), ["America/New_York"]);
    assert.deepEqual(zones("Сколько сейчас времени в Нью-Йорке и в Москве?"), [
      "America/New_York",
      "Europe/Moscow",
    ]);
    assert.deepEqual(zones("current time in Europe/Lisbon"), ["Europe/Lisbon"]);
    assert.deepEqual(zones("time in Lisbon"), ["Europe/Lisbon"]);
    assert.deepEqual(zones("Который час в Урюпинске?"), ["?Урюпинске"]);
    assert.equal(parseTimeQuestion("Покажи открытые тикеты"), undefined);

    const exp = parseExportQuestion("Сохрани тикеты пользователя user123 в файл user123.csv");
    assert.equal(exp?.fileName, "user123.csv");
    assert.match(exp!.ticketText, /тикеты пользователя user123/);
    assert.equal(
      parseExportQuestion("Export open critical tickets to CSV")?.ticketText.trim(),
      "open critical tickets to",
    );
    assert.equal(parseExportQuestion("Show open tickets"), undefined);
  });
});

describe("the offline model with several servers' tools", () => {
  test("two intents → both calls in one AI message (parallel), each part read once", () => {
    for (const question of [
      "Покажи открытые критические тикеты и погоду в Москве",
      "Show open critical tickets and the weather in Moscow",
    ]) {
      const reply = model().respond([new HumanMessage(question)]);
      assert.deepEqual(callsOf(reply), [
        { name: "search_tickets", args: { status: "open", priority: "critical" } },
        {
          name: "get_current_weather",
          args: { city: /Москве/.test(question) ? "Москве" : "Moscow" },
        },
      ]);
      const ids = reply.tool_calls!.map((c) => c.id);
      assert.equal(new Set(ids).size, 2);
    }
  });

  test("the combined answer: tickets, then the weather with the demo-data note, in Russian", () => {
    const question = new HumanMessage("Покажи открытые критические тикеты и погоду в Москве");
    const ai = model().respond([question]);
    const [search, weather] = ai.tool_calls!;
    const messages: BaseMessage[] = [
      question,
      ai,
      result(search!, "1 ticket", { total: 1, tickets: [TICKET], filters: {} }),
      result(weather!, "Moscow …", MOSCOW),
    ];
    const answer = String(model().respond(messages).content);
    assert.equal(
      answer,
      "Найдено тикетов: 1 (статус: открыт, приоритет: критический).\n" +
        "- TKT-0006 — Suspicious login attempts on admin account [открыт, критический, безопасность] — пользователь user110, исполнитель security_team\n\n" +
        "Погода — Москва (Moscow), 2025-01-15: −7,5 °C, ощущается как −11,2 °C, небольшой снег, влажность 80%, ветер 12 км/ч.\n" +
        "(Это демо-данные примера weather-server, а не настоящая погода.)",
    );
  });

  test("forecast for several cities, and an unknown city's error passed on", () => {
    const question = new HumanMessage("weather forecast for London and Atlantis for 2 days");
    const ai = model().respond([question]);
    assert.deepEqual(callsOf(ai), [
      { name: "get_forecast", args: { city: "London", days: 2 } },
      { name: "get_forecast", args: { city: "Atlantis", days: 2 } },
    ]);
    const days = [
      {
        date: "2025-01-15",
        min_c: 3,
        max_c: 9,
        condition: "rain",
        precipitation_mm: 2.1,
        precipitation_chance_pct: 70,
      },
      {
        date: "2025-01-16",
        min_c: 1,
        max_c: 6,
        condition: "clear",
        precipitation_mm: 0,
        precipitation_chance_pct: 10,
      },
    ];
    const answer = String(
      model().respond([
        question,
        ai,
        result(ai.tool_calls![0]!, "…", {
          city: { name: "London", name_ru: "Лондон" },
          days,
          demo_data: true,
        }),
        result(
          ai.tool_calls![1]!,
          'Unknown city "Atlantis". This demo weather server only knows these cities: Moscow (Москва), …',
          undefined,
          true,
        ),
      ]).content,
    );
    assert.match(
      answer,
      /^2-day forecast for London \(Лондон\):\n- 2025-01-15: 3 to 9 °C, rain, 2\.1 mm of rain or snow \(70% chance\)\n- 2025-01-16: 1 to 6 °C, clear, dry \(10% chance\)/,
    );
    assert.match(
      answer,
      /The request failed: the tool get_forecast returned an error: "Unknown city "Atlantis"\. .*Moscow \(Москва\)/,
    );
    assert.match(answer, /\(Demo data from the example weather server, not real weather\.\)$/);
  });

  test("export: search first (up to 100), then export those rows, then the answer", () => {
    const question = new HumanMessage("Export open critical tickets to CSV");
    const first = model().respond([question]);
    assert.deepEqual(callsOf(first), [
      { name: "search_tickets", args: { status: "open", priority: "critical", limit: 100 } },
    ]);
    const found = result(first.tool_calls![0]!, "1 ticket", {
      total: 1,
      tickets: [TICKET],
      filters: {},
    });
    const second = model().respond([question, first, found]);
    assert.equal(second.tool_calls?.length, 1);
    const exportCall = second.tool_calls![0]!;
    assert.equal(exportCall.name, "export_tickets_csv");
    assert.deepEqual(exportCall.args.rows, [TICKET]);
    assert.match(
      String(exportCall.args.file_name),
      /^tickets-open-critical-\d{8}-\d{6}-\d{3}\.csv$/,
    );
    const written = result(exportCall, "Wrote 1 row", {
      path: "/tmp/x/t.csv",
      rows: 1,
      columns: [],
    });
    const done = model().respond([question, first, found, second, written]);
    assert.equal(done.tool_calls?.length ?? 0, 0, "no tool is called twice: the loop ends");
    assert.equal(
      done.content,
      "Exported 1 ticket (status: open, priority: critical): TKT-0006. File: /tmp/x/t.csv.",
    );
  });

  test("'export them': the ticket part searches, the export follows; nothing found → nothing exported", () => {
    const question = new HumanMessage("Покажи открытые критические тикеты и выгрузи их в CSV");
    const first = model().respond([question]);
    assert.deepEqual(callsOf(first), [
      { name: "search_tickets", args: { status: "open", priority: "critical" } },
    ]);
    const none = result(first.tool_calls![0]!, "0 tickets", { total: 0, tickets: [], filters: {} });
    const answer = model().respond([question, first, none]);
    assert.equal(answer.tool_calls?.length ?? 0, 0);
    assert.match(
      String(answer.content),
      /Тикеты не найдены .*\n\nВыгружать нечего: тикетов не найдено \(статус: открыт, приоритет: критический\)\./,
    );
    const alone = model().respond([new HumanMessage("Export them to CSV")]);
    assert.match(String(alone.content), /^Which tickets should I export\?/);
  });

  test("time in a city: the zone from the city name; the answer in the question's language", () => {
    const question = new HumanMessage("Который час в Токио?");
    const ai = model().respond([question]);
    assert.deepEqual(callsOf(ai), [{ name: "current_time", args: { time_zone: "Asia/Tokyo" } }]);
    const data = {
      time_zone: "Asia/Tokyo",
      date: "2025-01-15",
      time: "18:05:09",
      weekday: "Wednesday",
      utc_offset: "+09:00",
    };
    const answer = model().respond([question, ai, result(ai.tool_calls![0]!, "…", data)]);
    assert.equal(
      answer.content,
      "Сейчас 18:05, среда, 2025-01-15 — Токио (Asia/Tokyo), UTC+09:00.",
    );
    const unknown = model().respond([new HumanMessage("What time is it in Atlantis?")]);
    assert.match(
      String(unknown.content),
      /I don't know the time zone of "Atlantis": name it, e\.g\. Europe\/Moscow/,
    );
  });

  test("weather and local-tools skills join only when their tools are bound", () => {
    assert.deepEqual(
      defaultSkills(TICKET_TOOLS).map((s) => s.name),
      ["tickets"],
    );
    assert.deepEqual(
      defaultSkills(ALL).map((s) => s.name),
      ["tickets", "weather", "local-tools"],
    );
    assert.deepEqual(
      defaultSkills(["weather__get_forecast"]).map((s) => s.name),
      ["tickets", "weather"],
    );
    const ticketsOnly = model(TICKET_TOOLS).respond([
      new HumanMessage("What's the weather in Paris?"),
    ]);
    assert.equal(ticketsOnly.tool_calls?.length ?? 0, 0);
    assert.match(String(ticketsOnly.content), /^I did not understand the question/);
    const all = model().respond([new HumanMessage("Расскажи анекдот")]);
    assert.match(String(all.content), /- Какая погода в Москве\?\n- Прогноз погоды/);
    assert.match(String(all.content), /- Который час в Токио\?/);
  });

  test("a part whose server is missing is said in the answer; the other part is answered", () => {
    const question = new HumanMessage("Покажи открытые тикеты и погоду в Москве");
    const weatherOnly = model(WEATHER_TOOLS);
    const ai = weatherOnly.respond([question]);
    assert.deepEqual(callsOf(ai), [{ name: "get_current_weather", args: { city: "Москве" } }]);
    const answer = String(
      weatherOnly.respond([question, ai, result(ai.tool_calls![0]!, "…", MOSCOW)]).content,
    );
    assert.match(
      answer,
      /^Не могу ответить: нужный инструмент \(search_tickets\) сейчас недоступен/,
    );
    assert.match(answer, /Погода — Москва \(Moscow\)/);
    const noForecast = model(["get_current_weather"]).respond([
      new HumanMessage("weather forecast for Berlin"),
    ]);
    assert.match(String(noForecast.content), /the tool get_forecast is not available/);
  });
});
