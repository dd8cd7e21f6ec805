/**
 * The weather skill: "погода в Москве", "weather forecast for London for 3 days" →
 * `get_current_weather` / `get_forecast` (one call per city, in parallel), and their
 * results → the answer, saying that the data is demo data when the server says so.
 *
 * It claims its part of the question ("погоду в Москве"), so in "открытые критические
 * тикеты и погоду в Москве" the ticket skill reads only the ticket part.
 */
import { renderError } from "./answer.js";
import { NUMBER, numberValue, words } from "./lexicon.js";
import { placeBefore, placesAfter, type PlaceMention } from "./places.js";
import type { OfflineSkill, Plan, PlannedCall, ToolOutcome } from "./skill.js";
import { Work } from "./text.js";
import type { Language } from "./types.js";

export const WEATHER_TOOLS = { current: "get_current_weather", forecast: "get_forecast" } as const;
const MAX_DAYS = 7;

export interface WeatherQuestion {
  kind: "current" | "forecast";
  /** The cities as written ("Москве", "New York"). */
  places: string[];
  /** Forecast length in days, when the question gives one. */
  days?: number;
  /** The part of the question about weather, [start, end). */
  claim: [number, number];
}

const CUE = words(
  "weather|forecast|temperatures?|how\\s+(?:hot|cold|warm)\\s+is\\s+it" +
    "|погод\\p{L}*|прогноз\\p{L}*|температур\\p{L}*|сколько\\s+градусов",
);
const FORECAST_CUE = words("forecast|will\\s+it\\s+be|прогноз\\p{L}*|будет");
const DAYS = words(
  `(?:(?:for|on|over)\\s+(?:the\\s+)?(?:next\\s+)?|next\\s+|на\\s+(?:ближайшие\\s+)?)(${NUMBER})\\s+(?:days?|дн\\p{L}*|день|суток|сутки)` +
    `|(${NUMBER})[\\s-]*(?:days?|дневн\\p{L}*)|(?:for\\s+(?:the|a|next)\\s+|на\\s+)(?:week|недел\\p{L}*)` +
    "|(?:for\\s+)?tomorrow|на\\s+завтра|завтра|послезавтра|day\\s+after\\s+tomorrow",
);

function daysOf(match: { text: string; groups: (string | undefined)[] }): number {
  const n = match.groups.find((g) => g !== undefined);
  if (n !== undefined) return Math.min(Math.max(numberValue(n) ?? 3, 1), MAX_DAYS);
  if (/week|недел/u.test(match.text)) return MAX_DAYS;
  return /послезавтра|after/u.test(match.text) ? 3 : 2;
}

/** The weather part of a question, or undefined when it does not ask about weather. */
export function parseWeatherQuestion(question: string): WeatherQuestion | undefined {
  const work = new Work(question);
  const cue = work.findAll(CUE)[0];
  if (!cue) return undefined;
  let places: PlaceMention[] = placesAfter(work, cue.end);
  const before = places.length === 0 ? placeBefore(work, cue.start) : undefined;
  if (before) places = [before];
  const start = Math.min(cue.start, before?.start ?? cue.start);
  let end = Math.max(cue.end, ...places.map((p) => p.end));
  // A length between the cue and the city ("прогноз на 3 дня в Москве") or right after it.
  let days: number | undefined;
  for (const m of work.findAll(DAYS)) {
    const right = /^[\s,]*$/u.test(work.text.slice(end, m.start));
    if ((m.start >= start && m.end <= end) || right) {
      days = daysOf(m);
      end = Math.max(end, m.end);
      break;
    }
  }
  const forecast = days !== undefined || work.has(FORECAST_CUE);
  return {
    kind: forecast ? "forecast" : "current",
    places: places.map((p) => p.text),
    ...(forecast ? { days: days ?? 3 } : {}),
    claim: [start, end],
  };
}

const LABELS: Record<string, [string, string]> = {
  clear: ["clear", "ясно"],
  partly_cloudy: ["partly cloudy", "переменная облачность"],
  cloudy: ["cloudy", "облачно"],
  fog: ["fog", "туман"],
  light_rain: ["light rain", "небольшой дождь"],
  rain: ["rain", "дождь"],
  thunderstorm: ["thunderstorm", "гроза"],
  light_snow: ["light snow", "небольшой снег"],
  snow: ["snow", "снег"],
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const num = (language: Language, v: unknown) =>
  language === "ru" ? String(v).replace(".", ",").replace(/^-/, "−") : String(v);
const condition = (language: Language, v: unknown) =>
  LABELS[String(v)]?.[language === "ru" ? 1 : 0] ?? String(v);

function cityName(language: Language, city: unknown): string | undefined {
  if (!isRecord(city) || typeof city.name !== "string") return undefined;
  const [first, second] = language === "ru" ? [city.name_ru, city.name] : [city.name, city.name_ru];
  return typeof second === "string" && second !== first
    ? `${String(first)} (${second})`
    : String(first);
}

function renderCurrent(language: Language, d: Record<string, unknown>, name: string): string {
  const n = (v: unknown) => num(language, v);
  return language === "ru"
    ? `Погода — ${name}, ${String(d.date)}: ${n(d.temperature_c)} °C, ощущается как ${n(d.feels_like_c)} °C, ` +
        `${condition(language, d.condition)}, влажность ${n(d.humidity_pct)}%, ветер ${n(d.wind_kph)} км/ч.`
    : `Weather in ${name} on ${String(d.date)}: ${n(d.temperature_c)} °C, feels like ${n(d.feels_like_c)} °C, ` +
        `${condition(language, d.condition)}, humidity ${n(d.humidity_pct)}%, wind ${n(d.wind_kph)} km/h.`;
}

function renderForecast(language: Language, days: unknown[], name: string): string {
  const n = (v: unknown) => num(language, v);
  const lines = days.filter(isRecord).map((d) => {
    const dry = Number(d.precipitation_mm) === 0;
    const chance = n(d.precipitation_chance_pct);
    return language === "ru"
      ? `- ${String(d.date)}: от ${n(d.min_c)} до ${n(d.max_c)} °C, ${condition(language, d.condition)}, ` +
          `${dry ? "без осадков" : `осадки ${n(d.precipitation_mm)} мм`} (вероятность ${chance}%)`
      : `- ${String(d.date)}: ${n(d.min_c)} to ${n(d.max_c)} °C, ${condition(language, d.condition)}, ` +
          `${dry ? "dry" : `${n(d.precipitation_mm)} mm of rain or snow`} (${chance}% chance)`;
  });
  const head =
    language === "ru"
      ? `Прогноз погоды — ${name}, дней: ${lines.length}:`
      : `${lines.length}-day forecast for ${name}:`;
  return [head, ...lines].join("\n");
}

function answerOne(language: Language, o: ToolOutcome): string {
  if (!o.ok) return renderError(language, o.call.name, o.text);
  const name = cityName(language, o.data?.city);
  if (o.data && name && o.call.name === WEATHER_TOOLS.current) {
    return renderCurrent(language, o.data, name);
  }
  if (o.data && name && Array.isArray(o.data.days))
    return renderForecast(language, o.data.days, name);
  return o.text;
}

export function createWeatherSkill(): OfflineSkill {
  return {
    name: "weather",
    tools: Object.values(WEATHER_TOOLS),
    examples: {
      en: ["What's the weather in Moscow?", "Weather forecast for London for 3 days"],
      ru: ["Какая погода в Москве?", "Прогноз погоды в Санкт-Петербурге на 5 дней"],
    },
    claim(question) {
      const parsed = parseWeatherQuestion(question);
      return parsed ? [parsed.claim] : [];
    },
    plan(question, language, available): Plan | undefined {
      const parsed = parseWeatherQuestion(question);
      if (!parsed) return undefined;
      const tool = parsed.kind === "forecast" ? WEATHER_TOOLS.forecast : WEATHER_TOOLS.current;
      if (!available.has(tool)) {
        return {
          kind: "reply",
          text:
            language === "ru"
              ? `Не могу узнать погоду: инструмент ${tool} недоступен. Проверьте, что погодный сервер запущен и подключён.`
              : `I can't get the weather: the tool ${tool} is not available. Check that the weather server is running and connected.`,
        };
      }
      if (parsed.places.length === 0) {
        return {
          kind: "reply",
          text:
            language === "ru"
              ? "Для какого города? Например: «Какая погода в Москве?»"
              : 'For which city? For example: "What\'s the weather in London?"',
        };
      }
      const calls: PlannedCall[] = parsed.places.map((city) => ({
        name: tool,
        args: parsed.days !== undefined ? { city, days: parsed.days } : { city },
      }));
      return { kind: "calls", calls };
    },
    answer(_question, language, outcomes) {
      const parts = outcomes.map((o) => answerOne(language, o));
      if (outcomes.some((o) => o.ok && o.data?.demo_data === true)) {
        parts.push(
          language === "ru"
            ? "(Это демо-данные примера weather-server, а не настоящая погода.)"
            : "(Demo data from the example weather server, not real weather.)",
        );
      }
      return parts.join("\n");
    },
  };
}
