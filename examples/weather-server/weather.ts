/**
 * The weather example's domain, with no MCP in it: a bundled table of cities (English
 * and Russian names, coordinates, a rough climate) and a seeded, deterministic "weather"
 * for any city and calendar day. It is DEMO DATA: plausible for the season, never real.
 *
 * Determinism: the weather of a city on a date is a pure function of (city, date). The
 * server asks for "today" in the city's own time zone, so one day always shows the same
 * weather, and today's forecast for tomorrow is what "current" will say tomorrow.
 */

export interface City {
  id: string;
  name: string;
  nameRu: string;
  country: string;
  latitude: number;
  longitude: number;
  timeZone: string;
  /** Annual mean temperature and seasonal swing (°C), chance of a wet day (0..1). */
  climate: { mean: number; swing: number; wet: number; southern?: boolean };
  /** Other names people use ("St. Petersburg", "Питер"). */
  aliases?: string[];
}

// prettier-ignore
export const CITIES: readonly City[] = [
  { id: "moscow", name: "Moscow", nameRu: "Москва", country: "Russia", latitude: 55.7558, longitude: 37.6173, timeZone: "Europe/Moscow", climate: { mean: 5.8, swing: 13, wet: 0.45 }, aliases: ["Moskva", "Мск"] },
  { id: "saint-petersburg", name: "Saint Petersburg", nameRu: "Санкт-Петербург", country: "Russia", latitude: 59.9343, longitude: 30.3351, timeZone: "Europe/Moscow", climate: { mean: 5.8, swing: 12, wet: 0.5 }, aliases: ["St Petersburg", "St. Petersburg", "Petersburg", "Петербург", "Питер", "СПб"] },
  { id: "kazan", name: "Kazan", nameRu: "Казань", country: "Russia", latitude: 55.7961, longitude: 49.1064, timeZone: "Europe/Moscow", climate: { mean: 4.8, swing: 14, wet: 0.4 } },
  { id: "novosibirsk", name: "Novosibirsk", nameRu: "Новосибирск", country: "Russia", latitude: 55.0084, longitude: 82.9357, timeZone: "Asia/Novosibirsk", climate: { mean: 1.7, swing: 19, wet: 0.35 } },
  { id: "yekaterinburg", name: "Yekaterinburg", nameRu: "Екатеринбург", country: "Russia", latitude: 56.8389, longitude: 60.6057, timeZone: "Asia/Yekaterinburg", climate: { mean: 3.0, swing: 16, wet: 0.4 }, aliases: ["Ekaterinburg"] },
  { id: "sochi", name: "Sochi", nameRu: "Сочи", country: "Russia", latitude: 43.6028, longitude: 39.7342, timeZone: "Europe/Moscow", climate: { mean: 14.2, swing: 9, wet: 0.45 } },
  { id: "vladivostok", name: "Vladivostok", nameRu: "Владивосток", country: "Russia", latitude: 43.1155, longitude: 131.8855, timeZone: "Asia/Vladivostok", climate: { mean: 5.1, swing: 15, wet: 0.4 } },
  { id: "minsk", name: "Minsk", nameRu: "Минск", country: "Belarus", latitude: 53.9006, longitude: 27.559, timeZone: "Europe/Minsk", climate: { mean: 6.7, swing: 11, wet: 0.45 } },
  { id: "london", name: "London", nameRu: "Лондон", country: "United Kingdom", latitude: 51.5074, longitude: -0.1278, timeZone: "Europe/London", climate: { mean: 11.3, swing: 7, wet: 0.5 } },
  { id: "berlin", name: "Berlin", nameRu: "Берлин", country: "Germany", latitude: 52.52, longitude: 13.405, timeZone: "Europe/Berlin", climate: { mean: 10.0, swing: 10, wet: 0.45 } },
  { id: "paris", name: "Paris", nameRu: "Париж", country: "France", latitude: 48.8566, longitude: 2.3522, timeZone: "Europe/Paris", climate: { mean: 12.3, swing: 8, wet: 0.45 } },
  { id: "rome", name: "Rome", nameRu: "Рим", country: "Italy", latitude: 41.9028, longitude: 12.4964, timeZone: "Europe/Rome", climate: { mean: 15.5, swing: 9, wet: 0.3 } },
  { id: "madrid", name: "Madrid", nameRu: "Мадрид", country: "Spain", latitude: 40.4168, longitude: -3.7038, timeZone: "Europe/Madrid", climate: { mean: 15.0, swing: 10, wet: 0.2 } },
  { id: "istanbul", name: "Istanbul", nameRu: "Стамбул", country: "Türkiye", latitude: 41.0082, longitude: 28.9784, timeZone: "Europe/Istanbul", climate: { mean: 14.6, swing: 9, wet: 0.35 } },
  { id: "dubai", name: "Dubai", nameRu: "Дубай", country: "United Arab Emirates", latitude: 25.2048, longitude: 55.2708, timeZone: "Asia/Dubai", climate: { mean: 28.0, swing: 8, wet: 0.05 } },
  { id: "new-york", name: "New York", nameRu: "Нью-Йорк", country: "United States", latitude: 40.7128, longitude: -74.006, timeZone: "America/New_York", climate: { mean: 12.9, swing: 12, wet: 0.35 }, aliases: ["NYC", "New York City"] },
  { id: "tokyo", name: "Tokyo", nameRu: "Токио", country: "Japan", latitude: 35.6762, longitude: 139.6503, timeZone: "Asia/Tokyo", climate: { mean: 15.8, swing: 10, wet: 0.4 } },
  { id: "beijing", name: "Beijing", nameRu: "Пекин", country: "China", latitude: 39.9042, longitude: 116.4074, timeZone: "Asia/Shanghai", climate: { mean: 12.9, swing: 15, wet: 0.25 } },
  { id: "sydney", name: "Sydney", nameRu: "Сидней", country: "Australia", latitude: -33.8688, longitude: 151.2093, timeZone: "Australia/Sydney", climate: { mean: 18.0, swing: 5, wet: 0.35, southern: true } },
  { id: "almaty", name: "Almaty", nameRu: "Алматы", country: "Kazakhstan", latitude: 43.222, longitude: 76.8512, timeZone: "Asia/Almaty", climate: { mean: 10.0, swing: 14, wet: 0.3 } },
];

export const CONDITIONS = [
  "clear",
  "partly_cloudy",
  "cloudy",
  "fog",
  "light_rain",
  "rain",
  "thunderstorm",
  "light_snow",
  "snow",
] as const;
export type Condition = (typeof CONDITIONS)[number];

export const MAX_FORECAST_DAYS = 7;
export const DEMO_NOTE =
  "Demo data from the example weather server: generated from a fixed table, not a real observation or forecast.";

/** A caller's mistake, with a message that says what to fix (becomes an isError result). */
export class WeatherInputError extends Error {
  override readonly name = "WeatherInputError";
}

/** Case forms of a Russian city name: Москва → Москвы, Москве, Москву…; Лондон → Лондоне… */
export function russianForms(name: string): string[] {
  if (/^[\p{Lu}\s-]+$/u.test(name) || /[оиыуеюэ]$/iu.test(name)) return [name]; // СПб, Токио
  const stem = name.slice(0, -1);
  if (/а$/iu.test(name)) return ["а", "ы", "и", "е", "у", "ой", "ою"].map((e) => stem + e);
  if (/я$/iu.test(name)) return ["я", "и", "е", "ю", "ей"].map((e) => stem + e);
  if (/ь$/iu.test(name)) return ["ь", "и", "ью", "ем", "я", "ю", "е"].map((e) => stem + e);
  if (/й$/iu.test(name)) return ["й", "я", "ю", "е", "ем"].map((e) => stem + e);
  return ["", "а", "у", "е", "ом", "ем"].map((e) => name + e);
}

/** Lower case, ё → е, dots, hyphens and runs of spaces → one space. */
export function normalizeCityName(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[\s.\-–—_'’]+/g, " ")
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .trim();
}

const INDEX: ReadonlyMap<string, City> = (() => {
  const index = new Map<string, City>();
  for (const city of CITIES) {
    const names = [city.name, city.id, ...(city.aliases ?? [])];
    const russian = [
      city.nameRu,
      ...(city.aliases ?? []).filter((a) => /\p{Script=Cyrillic}/u.test(a)),
    ];
    for (const form of [...names, ...russian.flatMap(russianForms)]) {
      index.set(normalizeCityName(form), city);
    }
  }
  return index;
})();

/** "Moscow (Москва), Saint Petersburg (Санкт-Петербург), …" for error messages. */
export function knownCities(): string {
  return CITIES.map((c) => `${c.name} (${c.nameRu})`).join(", ");
}

/** The city a name means, in English or Russian, any case or Russian case form. */
export function findCity(name: string): City {
  const key = normalizeCityName(name.replace(/^(?:г\.|город|city of)\s*/iu, ""));
  const city = INDEX.get(key);
  if (city) return city;
  const shown = name.trim() === "" ? "(empty)" : `"${name}"`;
  throw new WeatherInputError(
    `Unknown city ${shown}. This demo weather server only knows these cities: ${knownCities()}.`,
  );
}

/** A deterministic generator of numbers in [0, 1), seeded by a string (FNV-1a + mulberry32). */
function seeded(key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DayWeather {
  date: string;
  min_c: number;
  max_c: number;
  /** The day's typical temperature, reported as "current". */
  temperature_c: number;
  feels_like_c: number;
  condition: Condition;
  precipitation_mm: number;
  precipitation_chance_pct: number;
  humidity_pct: number;
  wind_kph: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The weather of `city` on `date` (YYYY-MM-DD): the same answer every time it is asked. */
export function weatherOn(city: City, date: string): DayWeather {
  const random = seeded(`${city.id}|${date}`);
  const day = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(day)) throw new WeatherInputError(`date "${date}" is not YYYY-MM-DD`);
  const dayOfYear = (day - Date.UTC(new Date(day).getUTCFullYear(), 0, 1)) / 86_400_000;
  const warmest = city.climate.southern ? 15 : 200; // mid-January south, mid-July north
  const season = Math.cos((2 * Math.PI * (dayOfYear - warmest)) / 365.25);
  const mid = city.climate.mean + city.climate.swing * season + (random() - 0.5) * 6;
  const spread = 4 + random() * 5;
  const wet = random() < city.climate.wet;
  const heavy = random();
  let condition: Condition;
  if (wet && mid <= 0.5) condition = heavy < 0.6 ? "light_snow" : "snow";
  else if (wet)
    condition = mid > 18 && heavy > 0.8 ? "thunderstorm" : heavy < 0.55 ? "light_rain" : "rain";
  else
    condition = (["clear", "clear", "partly_cloudy", "cloudy", "fog"] as const)[
      Math.floor(random() * 5)
    ]!;
  const wind = round1(4 + random() * 26);
  const humidity = Math.round(
    Math.min(98, 40 + city.climate.wet * 40 + (wet ? 15 : 0) + random() * 10),
  );
  const feels = mid < 10 ? mid - wind / 6 : mid > 26 && humidity > 60 ? mid + 2 : mid;
  return {
    date,
    min_c: round1(mid - spread / 2),
    max_c: round1(mid + spread / 2),
    temperature_c: round1(mid),
    feels_like_c: round1(feels),
    condition,
    precipitation_mm: wet ? round1(0.5 + heavy * 12) : 0,
    precipitation_chance_pct: wet ? Math.round(60 + random() * 35) : Math.round(5 + random() * 30),
    humidity_pct: humidity,
    wind_kph: wind,
  };
}

/** Today's date (YYYY-MM-DD) in the city's own time zone. */
export function localDate(city: City, now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: city.timeZone }).format(now);
}

/** `days` consecutive days from `start` (YYYY-MM-DD) on. */
export function forecast(city: City, start: string, days: number): DayWeather[] {
  if (!Number.isInteger(days) || days < 1 || days > MAX_FORECAST_DAYS) {
    throw new WeatherInputError(
      `days must be a whole number from 1 to ${MAX_FORECAST_DAYS}, got ${String(days)}`,
    );
  }
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    weatherOn(city, new Date(first + i * 86_400_000).toISOString().slice(0, 10)),
  );
}

const LABELS: Record<Condition, string> = {
  clear: "clear",
  partly_cloudy: "partly cloudy",
  cloudy: "cloudy",
  fog: "fog",
  light_rain: "light rain",
  rain: "rain",
  thunderstorm: "thunderstorm",
  light_snow: "light snow",
  snow: "snow",
};

export function conditionLabel(condition: Condition): string {
  return LABELS[condition];
}
