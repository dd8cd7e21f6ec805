/**
 * A second MCP server for the multi-server example: weather over Streamable HTTP, with
 * the tools `get_current_weather` and `get_forecast`. The data is DEMO DATA from
 * weather.ts (no network); this file is only the MCP and HTTP side.
 *
 * It shows the smallest sound HTTP server on the MCP TypeScript SDK v2: one server
 * factory behind `createMcpHandler`, which builds a fresh McpServer per request and
 * serves both protocol eras from it: the 2026-07-28 revision (`server/discover`, a
 * `_meta` envelope on every request, cache hints on list results) and, on its default
 * `legacy: 'stateless'` posture, 2025-era clients (`initialize`, no sessions; GET and
 * DELETE answer 405), which is what LangChain's MCP adapters and the v1 SDK client
 * speak. The handler checks no Host or Origin header itself: `createMcpExpressApp`
 * does (DNS rebinding). Tools have titles, all four annotations, an output schema and
 * a compact text for the model.
 *
 *   npx tsx examples/weather-server/server.ts        http://127.0.0.1:9000/mcp
 *   PORT=9100 npx tsx examples/weather-server/server.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createMcpExpressApp } from "@modelcontextprotocol/express";
import { toNodeHandler } from "@modelcontextprotocol/node";
import {
  createMcpHandler,
  McpServer,
  type CallToolResult,
  type McpHttpHandler,
  type ToolAnnotations,
} from "@modelcontextprotocol/server";
import type express from "express";
import { z } from "zod";
import {
  CONDITIONS,
  DEMO_NOTE,
  MAX_FORECAST_DAYS,
  WeatherInputError,
  conditionLabel,
  findCity,
  forecast,
  localDate,
  weatherOn,
  type City,
  type DayWeather,
} from "./weather.js";

export const DEFAULT_PORT = 9000;

export interface WeatherServerOptions {
  /** The clock: "today" in each city's time zone. Tests pass a fixed date. */
  now?: () => Date;
  /** Where a line per tool call goes (the command line prints them on stderr). */
  log?: (line: string) => void;
}

/** Reads only a bundled table: safe to call any time, same answer for the same day. */
const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const cityArg = z
  .string()
  .min(1)
  .max(100)
  .describe(
    "City name in English or Russian, any case or Russian case form: Moscow, Москва, Москве",
  );

const cityShape = z.object({
  name: z.string(),
  name_ru: z.string(),
  country: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  time_zone: z.string(),
});
const dayShape = z.object({
  date: z.string(),
  min_c: z.number(),
  max_c: z.number(),
  condition: z.enum(CONDITIONS),
  precipitation_mm: z.number(),
  precipitation_chance_pct: z.number(),
});
const demoFields = {
  demo_data: z.literal(true).describe("Always true: generated data, not a real observation."),
  note: z.string(),
};

const cityView = (c: City) => ({
  name: c.name,
  name_ru: c.nameRu,
  country: c.country,
  latitude: c.latitude,
  longitude: c.longitude,
  time_zone: c.timeZone,
});
const dayView = (d: DayWeather) => ({
  date: d.date,
  min_c: d.min_c,
  max_c: d.max_c,
  condition: d.condition,
  precipitation_mm: d.precipitation_mm,
  precipitation_chance_pct: d.precipitation_chance_pct,
});
const title = (c: City) => `${c.name} (${c.nameRu}), ${c.country}`;

/** A WeatherInputError is the caller's to fix: it goes back as an isError result. */
function run(body: () => CallToolResult): CallToolResult {
  try {
    return body();
  } catch (error) {
    if (!(error instanceof WeatherInputError)) throw error;
    return { content: [{ type: "text", text: error.message }], isError: true };
  }
}

export function createWeatherMcpServer(options: WeatherServerOptions = {}): McpServer {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const server = new McpServer(
    { name: "weather-demo", title: "Weather (demo data)", version: "1.0.0" },
    {
      instructions:
        "Current weather and forecasts for a fixed list of about 20 cities (English or " +
        `Russian names). ${DEMO_NOTE} Tell the user it is demo data.`,
      // 2026-07-28 list results carry ttlMs/cacheScope: the tool list never changes
      // while the server runs and is the same for every caller.
      cacheHints: {
        "tools/list": { ttlMs: 3_600_000, cacheScope: "public" },
        "server/discover": { ttlMs: 3_600_000, cacheScope: "public" },
      },
    },
  );

  server.registerTool(
    "get_current_weather",
    {
      title: "Current weather (demo data)",
      description:
        "Today's weather in a city: temperature, feels-like, conditions, humidity, wind. " +
        "DEMO DATA, not a real observation: say so when you pass it on. Knows about 20 " +
        "cities (Moscow, Saint Petersburg, London, Berlin, Paris, New York, Tokyo...); an " +
        "unknown city is an error that lists them.",
      inputSchema: z.object({ city: cityArg }),
      outputSchema: z.object({
        city: cityShape,
        date: z.string().describe("The city's local date, YYYY-MM-DD."),
        temperature_c: z.number(),
        feels_like_c: z.number(),
        condition: z.enum(CONDITIONS),
        humidity_pct: z.number(),
        wind_kph: z.number(),
        ...demoFields,
      }),
      annotations: READ_ONLY,
    },
    ({ city: name }) =>
      run(() => {
        const city = findCity(name);
        const day = weatherOn(city, localDate(city, now()));
        log(`get_current_weather city=${city.id}`);
        const text =
          `${title(city)}, ${day.date}: ${day.temperature_c} °C (feels like ${day.feels_like_c} °C), ` +
          `${conditionLabel(day.condition)}, humidity ${day.humidity_pct}%, wind ${day.wind_kph} km/h. ` +
          "Demo data, not a real observation.";
        return {
          content: [{ type: "text", text }],
          structuredContent: {
            city: cityView(city),
            date: day.date,
            temperature_c: day.temperature_c,
            feels_like_c: day.feels_like_c,
            condition: day.condition,
            humidity_pct: day.humidity_pct,
            wind_kph: day.wind_kph,
            demo_data: true,
            note: DEMO_NOTE,
          },
        };
      }),
  );

  server.registerTool(
    "get_forecast",
    {
      title: "Weather forecast (demo data)",
      description:
        `A daily forecast for a city, from today, 1 to ${MAX_FORECAST_DAYS} days: low and ` +
        "high temperature, conditions, precipitation. DEMO DATA, not a real forecast: say so " +
        "when you pass it on. Same cities as get_current_weather.",
      inputSchema: z.object({
        city: cityArg,
        days: z
          .number()
          .int()
          .min(1)
          .max(MAX_FORECAST_DAYS)
          .default(3)
          .describe(`Number of days including today, 1 to ${MAX_FORECAST_DAYS} (default 3).`),
      }),
      outputSchema: z.object({ city: cityShape, days: z.array(dayShape), ...demoFields }),
      annotations: READ_ONLY,
    },
    ({ city: name, days }) =>
      run(() => {
        const city = findCity(name);
        const list = forecast(city, localDate(city, now()), days);
        log(`get_forecast city=${city.id} days=${days}`);
        const lines = list.map(
          (d) =>
            `${d.date}: ${d.min_c} to ${d.max_c} °C, ${conditionLabel(d.condition)}, ` +
            `${d.precipitation_mm} mm (${d.precipitation_chance_pct}%)`,
        );
        const head = `${days}-day forecast for ${title(city)}. Demo data, not a real forecast.`;
        return {
          content: [{ type: "text", text: [head, ...lines].join("\n") }],
          structuredContent: {
            city: cityView(city),
            days: list.map(dayView),
            demo_data: true,
            note: DEMO_NOTE,
          },
        };
      }),
  );
  return server;
}

/**
 * The MCP endpoint: the factory above behind `createMcpHandler`. Both eras from one
 * factory; 2025-era clients are served statelessly (the default `legacy: 'stateless'`),
 * so their GET (SSE stream) and DELETE (end session) answer 405.
 */
export function createWeatherHandler(options: WeatherServerOptions = {}): McpHttpHandler {
  return createMcpHandler(() => createWeatherMcpServer(options), {
    onerror: (error) => options.log?.(`request failed: ${error.message}`),
  });
}

/**
 * The express app: `createMcpExpressApp` refuses foreign Host and Origin headers on a
 * loopback bind (DNS rebinding) and parses the JSON body, which goes on to the handler.
 */
export function createWeatherApp(
  options: WeatherServerOptions & { host?: string; handler?: McpHttpHandler } = {},
): express.Express {
  const app = createMcpExpressApp({ host: options.host ?? "127.0.0.1" });
  app.disable("x-powered-by");
  const mcp = toNodeHandler(options.handler ?? createWeatherHandler(options), {
    onerror: (error) => options.log?.(`request failed: ${error.message}`),
  });
  app.all("/mcp", (req, res) => void mcp(req, res, req.body));
  return app;
}

export interface RunningWeatherServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free port) and resolves once it accepts requests. */
export async function startWeatherServer(
  options: WeatherServerOptions & { port?: number; host?: string } = {},
): Promise<RunningWeatherServer> {
  const host = options.host ?? "127.0.0.1";
  const handler = createWeatherHandler(options);
  const http = createServer(createWeatherApp({ ...options, host, handler }));
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? DEFAULT_PORT, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/mcp`,
    port,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
    },
  };
}

async function main(): Promise<void> {
  const portText = process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new Error(`PORT="${portText}" is not a port number (0-65535), e.g. PORT=9000`);
  }
  const log = (line: string) => console.error(`[weather] ${line}`);
  const server = await startWeatherServer({ port, host: process.env.HOST ?? "127.0.0.1", log });
  log(`demo weather server listening on ${server.url} (demo data, no network)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    const err = error as NodeJS.ErrnoException;
    console.error(
      err.code === "EADDRINUSE"
        ? `[weather] port already in use; stop the other server (lsof -i:${process.env.PORT ?? DEFAULT_PORT}) or pick another: PORT=9001`
        : `[weather] ${err.message}`,
    );
    process.exitCode = 1;
  });
}
