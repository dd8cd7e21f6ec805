/**
 * The weather example server (examples/weather-server) over real Streamable HTTP on a
 * free loopback port, driven by the v1 SDK's Client (the 2025 revision, as LangChain's
 * adapters speak it) and by the v2 Client negotiating 2026-07-28: what a client sees in tools/list,
 * both tools (English and Russian names, Russian case forms), the demo-data notice,
 * errors that list the known cities, and determinism for a fixed date. Plus the domain
 * functions on their own.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransportV2,
} from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  startWeatherServer,
  type RunningWeatherServer,
} from "../../examples/weather-server/server.js";
import {
  CITIES,
  findCity,
  forecast,
  russianForms,
  weatherOn,
} from "../../examples/weather-server/weather.js";

/** A winter noon: Moscow is below freezing then, Sydney is in summer. */
const NOW = new Date("2025-01-15T09:00:00Z");

let server: RunningWeatherServer;
let client: Client;
let transport: StreamableHTTPClientTransport;
let modern: ClientV2;

before(async () => {
  server = await startWeatherServer({ port: 0, now: () => NOW });
  client = new Client({ name: "weather-test", version: "1.0.0" });
  transport = new StreamableHTTPClientTransport(new URL(server.url));
  await client.connect(transport);
  modern = new ClientV2(
    { name: "weather-test-v2", version: "1.0.0" },
    { versionNegotiation: { mode: "auto" } },
  );
  await modern.connect(new StreamableHTTPClientTransportV2(new URL(server.url)));
});
after(async () => {
  await client.close();
  await modern.close();
  await server.close();
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe("weather server over Streamable HTTP", () => {
  test("tools/list: both tools with titles, all four annotations and an output schema", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["get_current_weather", "get_forecast"]);
    for (const tool of tools) {
      assert.match(tool.title ?? "", /demo data/i);
      assert.match(tool.description ?? "", /DEMO DATA/);
      assert.deepEqual(tool.annotations, {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      });
      assert.equal(tool.outputSchema?.type, "object");
      assert.ok(tool.outputSchema?.properties?.demo_data, `${tool.name} declares demo_data`);
      assert.deepEqual(tool.inputSchema.required, ["city"]);
    }
  });

  test("get_current_weather: Russian case form, structured result, compact demo text", async () => {
    const result = await call("get_current_weather", { city: "Москве" });
    assert.equal(result.isError, undefined);
    const data = result.structuredContent as Record<string, unknown> & {
      city: { name: string; name_ru: string; time_zone: string };
    };
    assert.equal(data.city.name, "Moscow");
    assert.equal(data.city.name_ru, "Москва");
    assert.equal(data.city.time_zone, "Europe/Moscow");
    assert.equal(data.date, "2025-01-15");
    assert.equal(data.demo_data, true);
    assert.ok((data.temperature_c as number) < 5, "Moscow in January is cold");
    const text = textOf(result);
    assert.match(text, /^Moscow \(Москва\), Russia, 2025-01-15: -?\d/);
    assert.match(text, /Demo data, not a real observation\.$/);
    assert.ok(text.length < 250, `compact: ${text.length} chars`);
  });

  test("the same city and day give the same weather; names in any language agree", async () => {
    const first = await call("get_current_weather", { city: "Saint Petersburg" });
    for (const city of ["санкт-петербург", "Санкт-Петербурге", "St. Petersburg", "Питере"]) {
      const again = await call("get_current_weather", { city });
      assert.deepEqual(again.structuredContent, first.structuredContent, city);
    }
  });

  test("get_forecast: days from today, in the city's own date", async () => {
    const result = await call("get_forecast", { city: "Токио", days: 5 });
    const data = result.structuredContent as { days: { date: string }[]; city: { name: string } };
    assert.equal(data.city.name, "Tokyo");
    assert.deepEqual(
      data.days.map((d) => d.date),
      ["2025-01-15", "2025-01-16", "2025-01-17", "2025-01-18", "2025-01-19"],
    );
    const lines = textOf(result).split("\n");
    assert.match(lines[0]!, /^5-day forecast for Tokyo \(Токио\), Japan\. Demo data/);
    assert.equal(lines.length, 6);
    const defaults = await call("get_forecast", { city: "New York" });
    assert.equal((defaults.structuredContent as { days: unknown[] }).days.length, 3);
  });

  test("an unknown city is an isError result listing the known cities", async () => {
    const result = await call("get_current_weather", { city: "Atlantis" });
    assert.equal(result.isError, true);
    const text = textOf(result);
    assert.match(text, /^Unknown city "Atlantis"\./);
    assert.match(text, /Moscow \(Москва\)/);
    assert.match(text, /Tokyo \(Токио\)/);
  });

  test("days out of range: an error naming the field and the limit", async () => {
    const result = await call("get_forecast", { city: "Berlin", days: 10 });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /days/);
    assert.match(textOf(result), /7/);
  });

  test("the v1 client speaks the 2025 revision, served statelessly (no session)", async () => {
    assert.match(transport.protocolVersion ?? "", /^2025-/);
    assert.equal(transport.sessionId, undefined);
    assert.match(client.getInstructions() ?? "", /demo data/i);
  });

  test("the v2 client negotiates 2026-07-28 (server/discover) and gets the same answers", async () => {
    assert.equal(modern.getProtocolEra(), "modern");
    assert.equal(modern.getNegotiatedProtocolVersion(), "2026-07-28");
    assert.ok(modern.getDiscoverResult(), "server/discover answered");
    assert.match(modern.getInstructions() ?? "", /demo data/i);
    const page = await modern.listTools({});
    // The current revision's cache hints: the tool list is the same for everyone, for an hour.
    assert.equal(page.ttlMs, 3_600_000);
    assert.equal(page.cacheScope, "public");
    assert.equal(page.nextCursor, undefined);
    const legacy = await client.listTools();
    assert.deepEqual(page.tools, legacy.tools, "one factory, one tool list in both eras");
    const args = { city: "Токио", days: 2 };
    const now = await modern.callTool({ name: "get_forecast", arguments: args });
    const then = await call("get_forecast", args);
    assert.deepEqual(now.structuredContent, then.structuredContent);
    assert.deepEqual(now.content, then.content);
    const unknown = await modern.callTool({ name: "get_current_weather", arguments: { city: "" } });
    assert.equal(unknown.isError, true, "a schema violation is an isError result in 2026 too");
  });

  test("HTTP: a foreign Host or Origin is refused (DNS rebinding); GET and DELETE are not allowed", async () => {
    // fetch() will not send another Host header; node:http will.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(server.url, {
        method: "POST",
        headers: { host: "evil.example", "content-type": "application/json" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end("{}");
    });
    assert.equal(status, 403);
    const page = await fetch(server.url, {
      method: "POST",
      headers: {
        origin: "https://evil.example",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    assert.equal(page.status, 403, "a web page from another origin is refused");
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(server.url, { method });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "POST", method);
    }
  });
});

describe("weather domain", () => {
  test("Russian case forms", () => {
    const moscow = russianForms("Москва");
    for (const form of ["Москва", "Москвы", "Москве", "Москву", "Москвой"]) {
      assert.ok(moscow.includes(form), form);
    }
    assert.ok(russianForms("Лондон").includes("Лондоне"));
    assert.ok(russianForms("Казань").includes("Казани"));
    assert.ok(russianForms("Дубай").includes("Дубае"));
    assert.deepEqual(russianForms("Токио"), ["Токио"]);
  });

  test("every city is found by its English and Russian names and their forms", () => {
    assert.ok(CITIES.length >= 15 && CITIES.length <= 20);
    for (const city of CITIES) {
      assert.equal(findCity(city.name).id, city.id);
      assert.equal(findCity(city.name.toUpperCase()).id, city.id);
      for (const form of russianForms(city.nameRu)) assert.equal(findCity(form).id, city.id);
    }
    assert.equal(findCity("нью йорке").id, "new-york");
    assert.equal(findCity("г. Москва").id, "moscow");
    assert.throws(() => findCity(""), /Unknown city \(empty\)/);
  });

  test("weather is a pure function of city and date, plausible for the season", () => {
    const moscow = findCity("Moscow");
    assert.deepEqual(weatherOn(moscow, "2025-07-01"), weatherOn(moscow, "2025-07-01"));
    assert.notDeepEqual(weatherOn(moscow, "2025-07-01"), weatherOn(moscow, "2025-07-02"));
    const july = forecast(moscow, "2025-07-01", 7);
    const january = forecast(moscow, "2025-01-01", 7);
    const mean = (days: { temperature_c: number }[]) =>
      days.reduce((n, d) => n + d.temperature_c, 0) / days.length;
    assert.ok(mean(july) > mean(january) + 15);
    const sydney = findCity("Сидней");
    assert.ok(mean(forecast(sydney, "2025-01-01", 7)) > mean(forecast(sydney, "2025-07-01", 7)));
    for (const d of [...july, ...january]) {
      assert.ok(d.min_c <= d.temperature_c && d.temperature_c <= d.max_c);
      if (d.condition.includes("snow")) assert.ok(d.temperature_c <= 0.5);
    }
    assert.throws(() => forecast(moscow, "2025-07-01", 0), /days must be .* 1 to 7, got 0/);
  });
});
