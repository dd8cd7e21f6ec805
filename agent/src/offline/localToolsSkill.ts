/**
 * The local-tools skill, for the stdio server in examples/local-tools:
 * - "который час в Токио", "current time in New York" → `current_time` with the city's
 *   IANA zone (from timeZones.ts);
 * - "выгрузи открытые критические тикеты в CSV", "export them to CSV" → first the
 *   tickets (`search_tickets`, or `get_ticket` for ids; or whatever the ticket skill
 *   searched for "them"), then, once they are back, `export_tickets_csv` with those rows.
 *   The export is a follow-up call: it needs the search's result.
 */
import { describeFilters, renderError, renderUnavailable } from "./answer.js";
import { words } from "./lexicon.js";
import { parseTicketQuestion } from "./parser.js";
import { placesAfter } from "./places.js";
import type { OfflineSkill, Plan, PlannedCall, ToolOutcome } from "./skill.js";
import { Work } from "./text.js";
import { TICKET_TOOLS } from "./ticketSkill.js";
import { canonicalZone, zoneOf, type ZoneName } from "./timeZones.js";
import type { Language } from "./types.js";

export const LOCAL_TOOLS = { export: "export_tickets_csv", time: "current_time" } as const;

const TIME_CUE = words(
  "what\\s+time\\s+is\\s+it|what(?:'s|\\s+is)\\s+the\\s+(?:current\\s+|local\\s+)?(?:time|date)" +
    "|(?:current|local|exact)\\s+(?:time|date)|time(?=\\s+(?:is\\s+it\\s+)?(?:now\\s+)?in\\s)" +
    "|котор\\p{L}*\\s+(?:сейчас\\s+)?час|сколько\\s+(?:сейчас\\s+)?времени" +
    "|(?:текущ|местн|точн)\\p{L}*\\s+(?:время|дат\\p{L}*)|какое\\s+(?:сейчас\\s+)?(?:время|число)" +
    "|время(?=\\s+(?:сейчас\\s+)?во?\\s)",
);
const ZONE_TEXT = /(?<![\p{L}/])[a-z]+\/[a-z_]+(?:\/[a-z_]+)?(?![\p{L}/])/giu;
const EXPORT_CUE = words(
  "export\\p{L}*|save|download|dump|выгруз\\p{L}*|экспорт\\p{L}*|сохран\\p{L}*|запиш\\p{L}*|скача\\p{L}*",
);
const FORMAT = words("csv|excel|spreadsheet|file|эксель|таблиц\\p{L}*|файл\\p{L}*");
const FILE_NAME = /[\p{L}\p{N}_-][\p{L}\p{N}_.-]*\.csv(?![\p{L}\p{N}_])/giu;

export interface TimeQuestion {
  /** Each place or zone asked about; `zone` is undefined when it is not known. */
  places: { text: string; zone?: ZoneName }[];
  claim: [number, number];
}

export function parseTimeQuestion(question: string): TimeQuestion | undefined {
  const work = new Work(question);
  const cue = work.findAll(TIME_CUE)[0];
  if (!cue) return undefined;
  const zone = work.findAll(ZONE_TEXT).find((m) => m.start >= cue.end && m.start - cue.end < 30);
  const canonical = zone && canonicalZone(zone.text);
  if (zone && canonical) {
    return {
      places: [{ text: canonical, zone: { zone: canonical, en: canonical, ru: canonical } }],
      claim: [cue.start, zone.end],
    };
  }
  const mentions = placesAfter(work, cue.end, 3);
  return {
    places: mentions.map((m) => {
      const known = zoneOf(m.text);
      return known ? { text: m.text, zone: known } : { text: m.text };
    }),
    claim: [cue.start, Math.max(cue.end, ...mentions.map((m) => m.end))],
  };
}

export interface ExportQuestion {
  /** The words between the verb and the format: which tickets ("open critical tickets"). */
  ticketText: string;
  fileName?: string;
  claim: [number, number];
}

export function parseExportQuestion(question: string): ExportQuestion | undefined {
  const work = new Work(question);
  const cue = work.findAll(EXPORT_CUE)[0];
  const format = cue && work.findAll(FORMAT).find((m) => m.start >= cue.end);
  if (!cue || !format) return undefined;
  let end =
    format.end + (/^[\s-]*(?:file|файл\p{L}*)/u.exec(work.text.slice(format.end))?.[0].length ?? 0);
  const file = work.findAll(FILE_NAME).find((m) => m.start >= cue.end && m.start <= end + 40);
  if (file) end = Math.max(end, file.end);
  const inner = work.originalSlice(cue.end, format.start);
  const ticketText = file ? inner.replace(work.originalSlice(file.start, file.end), " ") : inner;
  return {
    ticketText,
    ...(file ? { fileName: work.originalSlice(file.start, file.end) } : {}),
    claim: [cue.start, end],
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Ticket rows from the successful search and get results of this turn. */
/** The tickets to export: those fetched, and those of the first search (the one asked). */
function ticketsFrom(outcomes: ToolOutcome[]): Record<string, unknown>[] {
  const firstSearch = outcomes.find((o) => o.call.name === TICKET_TOOLS.search);
  return outcomes
    .filter((o) => o.ok && o.data && (o.call.name !== TICKET_TOOLS.search || o === firstSearch))
    .flatMap((o) =>
      o.call.name === TICKET_TOOLS.search && Array.isArray(o.data!.tickets)
        ? o.data!.tickets.filter(isRecord)
        : o.call.name === TICKET_TOOLS.get && isRecord(o.data!.ticket)
          ? [o.data!.ticket]
          : [],
    );
}

/** "tickets-open-critical-20250304-140509-123.csv": what was asked, and when (to the ms). */
export function defaultFileName(args: Record<string, unknown>, now: Date): string {
  const values = ["status", "priority", "category", "user_id", "assigned_to", "keyword"]
    .flatMap((k) => (Array.isArray(args[k]) ? (args[k] as unknown[]) : [args[k]]))
    .filter((v) => v !== undefined && v !== "")
    .map((v) =>
      String(v)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, "-"),
    );
  const slug = values.join("-").slice(0, 40).replace(/-+$/, "");
  const stamp = now.toISOString().slice(0, 23).replace(/-|:/g, "").replace(/[T.]/g, "-");
  return `tickets${slug ? `-${slug}` : ""}-${stamp}.csv`;
}

const WEEKDAYS_RU: Record<string, string> = {
  Monday: "понедельник",
  Tuesday: "вторник",
  Wednesday: "среда",
  Thursday: "четверг",
  Friday: "пятница",
  Saturday: "суббота",
  Sunday: "воскресенье",
};

function renderTime(language: Language, o: ToolOutcome, names: ZoneName[]): string {
  if (!o.ok || !o.data) return o.ok ? o.text : renderError(language, o.call.name, o.text);
  const d = o.data;
  const zone = String(d.time_zone);
  const known = names.find((n) => n.zone === zone);
  const place = known ? (language === "ru" ? known.ru : known.en) : zone;
  const where = place === zone ? zone : `${place} (${zone})`;
  const time = String(d.time).slice(0, 5);
  return language === "ru"
    ? `Сейчас ${time}, ${WEEKDAYS_RU[String(d.weekday)] ?? String(d.weekday)}, ${String(d.date)} — ${where}, UTC${String(d.utc_offset)}.`
    : `It is ${time} on ${String(d.weekday)}, ${String(d.date)} in ${where}, UTC${String(d.utc_offset)}.`;
}

function renderExport(language: Language, mine: ToolOutcome[], all: ToolOutcome[]): string {
  const ru = language === "ru";
  const exported = mine.find((o) => o.call.name === LOCAL_TOOLS.export);
  const searches = all.filter((o) => o.call.name === TICKET_TOOLS.search);
  const failed = [...searches, ...mine].find((o) => !o.ok && o.call.name !== LOCAL_TOOLS.export);
  const filters = describeFilters(language, searches[0]?.call.args ?? {});
  const scope = filters ? ` (${filters})` : "";
  if (exported && !exported.ok) return renderError(language, exported.call.name, exported.text);
  if (!exported) {
    if (failed) return renderError(language, failed.call.name, failed.text);
    return ru
      ? `Выгружать нечего: тикетов не найдено${scope}.`
      : `Nothing to export: no tickets found${scope}.`;
  }
  const rows = Number(exported.data?.rows ?? 0);
  const path = String(exported.data?.path ?? exported.text);
  const ids = ticketsFrom(all)
    .map((t) => String(t.ticket_id))
    .slice(0, 10);
  const more = rows > ids.length ? ", …" : "";
  const total = searches.reduce((n, o) => n + Number(o.data?.total ?? 0), 0);
  const partial =
    total > rows
      ? ru
        ? ` Это первые ${rows} из ${total}; попросите «все», чтобы выгрузить до 100.`
        : ` These are the first ${rows} of ${total}; ask for "all" to export up to 100.`
      : "";
  return ru
    ? `Выгружено тикетов: ${rows}${scope} — ${ids.join(", ")}${more}. Файл: ${path}.${partial}`
    : `Exported ${rows} ticket${rows === 1 ? "" : "s"}${scope}: ${ids.join(", ")}${more}. File: ${path}.${partial}`;
}

export interface LocalToolsSkillOptions {
  /** The clock for default file names; defaults to the system clock. */
  now?: () => Date;
}

export function createLocalToolsSkill(options: LocalToolsSkillOptions = {}): OfflineSkill {
  const now = options.now ?? (() => new Date());
  return {
    name: "local-tools",
    tools: Object.values(LOCAL_TOOLS),
    examples: {
      en: ["What time is it in Tokyo?", "Export open critical tickets to CSV"],
      ru: ["Который час в Токио?", "Выгрузи открытые критические тикеты в CSV"],
    },
    claim(question) {
      return [parseTimeQuestion(question)?.claim, parseExportQuestion(question)?.claim].filter(
        (c): c is [number, number] => c !== undefined,
      );
    },
    plan(question, language, available): Plan | undefined {
      const time = parseTimeQuestion(question);
      const exp = parseExportQuestion(question);
      if (!time && !exp) return undefined;
      const calls: PlannedCall[] = [];
      const notes: string[] = [];
      let waiting = false;
      if (time && !available.has(LOCAL_TOOLS.time))
        notes.push(renderUnavailable(language, [LOCAL_TOOLS.time]));
      else if (time) {
        for (const place of time.places) {
          if (place.zone)
            calls.push({ name: LOCAL_TOOLS.time, args: { time_zone: place.zone.zone } });
          else {
            notes.push(
              language === "ru"
                ? `Не знаю часовой пояс для «${place.text}»: назовите его, например Europe/Moscow или Asia/Tokyo.`
                : `I don't know the time zone of "${place.text}": name it, e.g. Europe/Moscow or Asia/Tokyo.`,
            );
          }
        }
        if (time.places.length === 0) {
          notes.push(
            language === "ru"
              ? "В каком городе? Например: «Который час в Токио?»"
              : 'Where? For example: "What time is it in Tokyo?"',
          );
        }
      }
      if (exp && !available.has(LOCAL_TOOLS.export))
        notes.push(renderUnavailable(language, [LOCAL_TOOLS.export]));
      else if (exp) {
        const { intent } = parseTicketQuestion(exp.ticketText, { now: now() });
        const need = intent.kind === "get" ? TICKET_TOOLS.get : TICKET_TOOLS.search;
        if (intent.kind !== "unknown" && !available.has(need))
          notes.push(renderUnavailable(language, [need]));
        else if (intent.kind === "get") {
          calls.push(...intent.ticket_ids.map((id) => ({ name: need, args: { ticket_id: id } })));
        } else if (intent.kind === "search" || intent.kind === "stats") {
          const args: Record<string, unknown> = { ...intent.filters };
          if (intent.kind === "search" && intent.sort) args.sort = intent.sort;
          args.limit = (intent.kind === "search" && intent.limit) || 100; // an export wants them all
          calls.push({ name: need, args });
        } else waiting = true; // "export them": the tickets another part of the question finds
      }
      if (calls.length > 0) return { kind: "calls", calls };
      const ask =
        language === "ru"
          ? "Какие тикеты выгрузить? Например: «Выгрузи открытые критические тикеты в CSV»."
          : 'Which tickets should I export? For example: "Export open critical tickets to CSV".';
      if (waiting) return { kind: "wait", text: [...notes, ask].join("\n") };
      return { kind: "reply", text: notes.join("\n") };
    },
    followUp(question, _language, outcomes, available) {
      const exp = parseExportQuestion(question);
      if (!exp || !available.has(LOCAL_TOOLS.export)) return [];
      if (outcomes.some((o) => o.call.name === LOCAL_TOOLS.export)) return []; // exported once
      const rows = ticketsFrom(outcomes);
      if (rows.length === 0) return [];
      const search = outcomes.find((o) => o.call.name === TICKET_TOOLS.search);
      const file_name = exp.fileName ?? defaultFileName(search?.call.args ?? {}, now());
      return [{ name: LOCAL_TOOLS.export, args: { rows, file_name } }];
    },
    answer(question, language, mine, all = mine) {
      const parts: string[] = [];
      const names = (parseTimeQuestion(question)?.places ?? []).flatMap((p) =>
        p.zone ? [p.zone] : [],
      );
      for (const o of mine.filter((x) => x.call.name === LOCAL_TOOLS.time)) {
        parts.push(renderTime(language, o, names));
      }
      if (parseExportQuestion(question)) parts.push(renderExport(language, mine, all));
      return parts.join("\n");
    },
  };
}
