/**
 * The current date and time in an IANA time zone (Europe/Moscow, Asia/Tokyo…), from the
 * time zone database built into Node (Intl). No MCP here: server.ts makes it a tool.
 */
import { LocalToolError } from "./csvExport.js";

export const ZONE_EXAMPLES = [
  "Europe/Moscow",
  "Asia/Tokyo",
  "America/New_York",
  "Europe/London",
  "Asia/Novosibirsk",
  "UTC",
];

export interface ZonedTime {
  time_zone: string;
  /** Local date and time with the offset, e.g. 2025-03-04T14:05:09+09:00. */
  iso: string;
  date: string;
  time: string;
  weekday: string;
  utc_offset: string;
  utc: string;
}

/** Zones whose last part is `text` ("tokyo" → Asia/Tokyo), to suggest in an error. */
function suggestions(text: string): string[] {
  const wanted = text.trim().toLowerCase().replace(/\s+/g, "_");
  if (wanted === "") return [];
  return Intl.supportedValuesOf("timeZone").filter(
    (zone) => zone.toLowerCase().split("/").pop() === wanted,
  );
}

/** The zone's canonical name (input is case-insensitive), or a LocalToolError. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: timeZone.trim() }).resolvedOptions()
      .timeZone;
  } catch {
    const close = suggestions(timeZone);
    const hint = close.length > 0 ? ` Did you mean ${close.join(" or ")}?` : "";
    throw new LocalToolError(
      `time_zone "${timeZone}" is not an IANA time zone.${hint} Use Area/City names such as ${ZONE_EXAMPLES.join(", ")}.`,
    );
  }
}

export function timeIn(timeZone: string, now: Date = new Date()): ZonedTime {
  const zone = checkTimeZone(timeZone);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      weekday: "long",
      timeZoneName: "longOffset",
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  // "GMT+09:00", or plain "GMT" for UTC itself.
  const offset = String(parts.timeZoneName).replace(/^GMT/, "") || "+00:00";
  return {
    time_zone: zone,
    iso: `${date}T${time}${offset}`,
    date,
    time,
    weekday: String(parts.weekday),
    utc_offset: offset,
    utc: now.toISOString(),
  };
}
