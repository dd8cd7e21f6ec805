/**
 * City → IANA time zone, for the local-tools skill ("который час в Токио" →
 * Asia/Tokyo): the knowledge a language model would bring. Russian names are matched by
 * stem, so every case form works. Other English city names are looked up in the time
 * zone database Node ships (Intl), by the zone's last part ("Lisbon" → Europe/Lisbon).
 */
import { whole } from "./lexicon.js";

export interface ZoneName {
  zone: string;
  en: string;
  ru: string;
}

// prettier-ignore
const TABLE: [source: string, zone: string, en: string, ru: string][] = [
  ["москв\\p{L}*|moscow|мск", "Europe/Moscow", "Moscow", "Москва"],
  ["(?:санкт[- ])?петербург\\p{L}*|(?:saint|st\\.?)\\s+petersburg|petersburg|питер\\p{L}*|спб", "Europe/Moscow", "Saint Petersburg", "Санкт-Петербург"],
  ["казан\\p{L}*|kazan", "Europe/Moscow", "Kazan", "Казань"],
  ["сочи|sochi", "Europe/Moscow", "Sochi", "Сочи"],
  ["калининград\\p{L}*|kaliningrad", "Europe/Kaliningrad", "Kaliningrad", "Калининград"],
  ["самар\\p{L}*|samara", "Europe/Samara", "Samara", "Самара"],
  ["екатеринбург\\p{L}*|yekaterinburg|ekaterinburg", "Asia/Yekaterinburg", "Yekaterinburg", "Екатеринбург"],
  ["омск\\p{L}*|omsk", "Asia/Omsk", "Omsk", "Омск"],
  ["новосибирск\\p{L}*|novosibirsk", "Asia/Novosibirsk", "Novosibirsk", "Новосибирск"],
  ["красноярск\\p{L}*|krasnoyarsk", "Asia/Krasnoyarsk", "Krasnoyarsk", "Красноярск"],
  ["иркутск\\p{L}*|irkutsk", "Asia/Irkutsk", "Irkutsk", "Иркутск"],
  ["владивосток\\p{L}*|vladivostok", "Asia/Vladivostok", "Vladivostok", "Владивосток"],
  ["минск\\p{L}*|minsk", "Europe/Minsk", "Minsk", "Минск"],
  ["лондон\\p{L}*|london", "Europe/London", "London", "Лондон"],
  ["берлин\\p{L}*|berlin", "Europe/Berlin", "Berlin", "Берлин"],
  ["париж\\p{L}*|paris", "Europe/Paris", "Paris", "Париж"],
  ["рим[аеу]?|римом|rome", "Europe/Rome", "Rome", "Рим"],
  ["мадрид\\p{L}*|madrid", "Europe/Madrid", "Madrid", "Мадрид"],
  ["стамбул\\p{L}*|istanbul", "Europe/Istanbul", "Istanbul", "Стамбул"],
  ["дуба[йеяю]|дубаем|dubai", "Asia/Dubai", "Dubai", "Дубай"],
  ["алматы|almaty", "Asia/Almaty", "Almaty", "Алматы"],
  ["пекин\\p{L}*|beijing", "Asia/Shanghai", "Beijing", "Пекин"],
  ["токио|tokyo", "Asia/Tokyo", "Tokyo", "Токио"],
  ["сидне[йяюе]|сиднеем|sydney", "Australia/Sydney", "Sydney", "Сидней"],
  ["нью[- ]йорк\\p{L}*|new\\s+york|nyc", "America/New_York", "New York", "Нью-Йорк"],
  ["лос[- ]анджелес\\p{L}*|los\\s+angeles", "America/Los_Angeles", "Los Angeles", "Лос-Анджелес"],
  ["utc|gmt|гринвич\\p{L}*", "UTC", "UTC", "UTC"],
];

const COMPILED = TABLE.map(([source, zone, en, ru]) => ({ re: whole(source), zone, en, ru }));

/** An IANA zone written as such ("Europe/Moscow", "asia/tokyo"), canonicalised. */
export function canonicalZone(text: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone of a place named in a question, or undefined when it is not known. */
export function zoneOf(place: string): ZoneName | undefined {
  const text = place.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");
  const known = COMPILED.find((row) => row.re.test(text));
  if (known) return { zone: known.zone, en: known.en, ru: known.ru };
  if (/^[a-z][a-z .'-]*$/.test(text)) {
    const wanted = text.replace(/\s+/g, "_");
    const zone = Intl.supportedValuesOf("timeZone").find(
      (z) => z.toLowerCase().split("/").pop() === wanted,
    );
    if (zone) {
      const name = zone.split("/").pop()!.replace(/_/g, " ");
      return { zone, en: name, ru: name };
    }
  }
  return undefined;
}
