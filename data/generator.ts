/**
 * Deterministic sample tickets: the same count and seed give the same tickets on every
 * machine and every run (seeded PRNG, dates counted from a fixed base, never the clock).
 *
 * Shape of a generated set:
 * - The 10 scenario tickets (ticketText.ts) sit at evenly spread positions, so every seed
 *   answers the README's example searches and covers every status, priority, category
 *   and assignee. The other tickets are random, from per-category templates.
 * - Ids are TKT-0001, TKT-0002, ...; at least 4 digits, more when count needs them
 *   (count 100,000 -> TKT-000001), so ids sort as text in creation order.
 * - created_date grows with the id, spread over 2025; updated_date follows by a delay
 *   that depends on the status (open tickets are often untouched), capped at year end.
 * - Users: user104..user123 (20 users, including user110 and user123) up to 1,000
 *   tickets; above that, one user per 50 tickets, numbered on from user104. The first
 *   tickets after the scenarios go to every user once, so all of them appear.
 */
import {
  CATEGORIES,
  formatIsoDate,
  type Category,
  type Priority,
  type Status,
  type Ticket,
} from "../server/src/tickets/ticket.js";
import { Random, weightedPicker } from "./random.js";
import { SCENARIOS, TEMPLATES, type Scenario } from "./ticketText.js";

export const DEFAULT_SEED = 2025;
export const DEFAULT_COUNT = 50;

/** Every assignee of the seed; each appears in any generated set of 10+ tickets. */
export const ASSIGNEES = [
  "support_agent1",
  "support_agent2",
  "support_agent3",
  "support_agent4",
  "dev_team",
  "security_team",
  "billing_team",
  "tech_lead",
  "qa_team",
] as const;

/** Who handles what; repeated entries make an assignee more likely. */
const ASSIGNEES_BY_CATEGORY: Readonly<Record<Category, readonly string[]>> = {
  authentication: [
    "support_agent1",
    "support_agent2",
    "support_agent3",
    "support_agent4",
    "tech_lead",
  ],
  billing: ["billing_team", "billing_team", "billing_team", "support_agent1", "support_agent4"],
  feature: ["dev_team", "dev_team", "tech_lead", "qa_team"],
  technical: ["dev_team", "tech_lead", "qa_team", "support_agent2", "support_agent3"],
  security: ["security_team", "security_team", "security_team", "tech_lead"],
};

const PRIORITY_BY_CATEGORY: Readonly<Record<Category, (random: Random) => Priority>> = {
  authentication: weightedPicker({ critical: 10, high: 35, medium: 35, low: 20 }),
  billing: weightedPicker({ critical: 5, high: 35, medium: 40, low: 20 }),
  feature: weightedPicker({ critical: 2, high: 18, medium: 45, low: 35 }),
  technical: weightedPicker({ critical: 10, high: 30, medium: 40, low: 20 }),
  security: weightedPicker({ critical: 30, high: 40, medium: 20, low: 10 }),
};

const pickStatus = weightedPicker<Status>({
  open: 30,
  in_progress: 20,
  pending: 15,
  closed: 25,
  rejected: 10,
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_END = Date.UTC(2025, 11, 31, 23, 59);

/** How long after creation a ticket was last touched, by status: [min, max] in ms. */
const UPDATE_DELAY: Readonly<Record<Status, readonly [number, number]>> = {
  open: [0, 2 * DAY],
  in_progress: [HOUR, 7 * DAY],
  pending: [HOUR, 10 * DAY],
  closed: [2 * HOUR, 14 * DAY],
  rejected: [HOUR, 5 * DAY],
};

export interface GenerateOptions {
  count: number;
  /** An unsigned 32-bit integer; DEFAULT_SEED when left out. */
  seed?: number;
}

/** How many distinct users a set of `count` tickets uses (see the file comment). */
export function userCountFor(count: number): number {
  return count <= 1000 ? 20 : Math.ceil(count / 50);
}

/** The width of the number in ticket ids for a set of `count` tickets. */
export function ticketIdWidth(count: number): number {
  return Math.max(4, String(count).length);
}

/**
 * Yields `count` tickets lazily, so a million can be streamed to a file without holding
 * them all. Spread it (`[...generateTickets(o)]`) for an array.
 */
export function* generateTickets({
  count,
  seed = DEFAULT_SEED,
}: GenerateOptions): Generator<Ticket> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a whole number >= 0, got ${count}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be a whole number from 0 to 4294967295, got ${seed}`);
  }
  const random = new Random(seed);
  const idWidth = ticketIdWidth(count);
  const scenarioAt = scenarioPositions(count);
  const users = random.shuffle(
    Array.from({ length: userCountFor(count) }, (_, i) => `user${104 + i}`),
  );
  // Spreading creation times over the year in id order keeps ids and dates in step.
  const slot = (YEAR_END - YEAR_START) / Math.max(count, 1);
  let randomTickets = 0;

  for (let index = 0; index < count; index++) {
    const createdMs = floorToMinute(YEAR_START + (index + random.next()) * slot);
    const scenario = scenarioAt.get(index);
    const fields = scenario ?? randomTicket(random, users[randomTickets] ?? random.pick(users));
    if (scenario === undefined) randomTickets++;
    const [minDelay, maxDelay] = UPDATE_DELAY[fields.status];
    const untouched = fields.status === "open" && random.next() < 0.3;
    const delay = untouched ? 0 : minDelay + random.next() * (maxDelay - minDelay);
    const updatedMs = Math.min(floorToMinute(createdMs + delay), Math.max(YEAR_END, createdMs));
    yield {
      ticket_id: `TKT-${String(index + 1).padStart(idWidth, "0")}`,
      user_id: fields.user_id,
      title: fields.title,
      description: fields.description,
      status: fields.status,
      priority: fields.priority,
      category: fields.category,
      created_date: isoMinute(createdMs),
      updated_date: isoMinute(updatedMs),
      assigned_to: fields.assigned_to,
    };
  }
}

/** Index -> scenario: evenly spread when there is room, else the first `count` of them. */
function scenarioPositions(count: number): Map<number, Scenario> {
  const positions = new Map<number, Scenario>();
  SCENARIOS.forEach((scenario, k) => {
    if (count >= SCENARIOS.length)
      positions.set(Math.floor((k * count) / SCENARIOS.length), scenario);
    else if (k < count) positions.set(k, scenario);
  });
  return positions;
}

function randomTicket(random: Random, user_id: string): Scenario {
  const category = random.pick(CATEGORIES);
  const text = random.pick(TEMPLATES[category])(random);
  return {
    user_id,
    category,
    ...text,
    status: pickStatus(random),
    priority: PRIORITY_BY_CATEGORY[category](random),
    assigned_to: random.pick(ASSIGNEES_BY_CATEGORY[category]),
  };
}

const dayPrefixes = new Map<number, string>();
const MINUTES_OF_DAY = Array.from({ length: 24 * 60 }, (_, m) => {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}:00Z`;
});

/**
 * formatIsoDate() for whole minutes, without a Date and a regex per call: with two dates
 * per ticket that was half the time of generating a million tickets.
 */
function isoMinute(ms: number): string {
  const day = Math.floor(ms / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = formatIsoDate(day * DAY).slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix + MINUTES_OF_DAY[(ms - day * DAY) / MINUTE]!;
}

function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}
