/**
 * The example prompts (agent/test/fixtures/agent-prompts.jsonl, and the shared eval set
 * beside the repository when it is there) and how a call's arguments are judged against
 * a case's `expect`, as ../shared/eval/README.md describes it.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface PromptCase {
  id: string;
  /** One question, or a REPL conversation whose last question is judged. */
  prompt?: string;
  turns?: string[];
  expect: Record<string, unknown>;
}

function readPrompts(path: string): PromptCase[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as PromptCase);
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const committed = fileURLToPath(new URL("../fixtures/agent-prompts.jsonl", import.meta.url));
const shared = `${repoRoot}../shared/eval/agent-prompts.jsonl`;

/** Every case by id; the shared set's version of a case wins. */
export function loadPrompts(): PromptCase[] {
  const prompts = new Map<string, PromptCase>();
  for (const p of readPrompts(committed)) prompts.set(p.id, p);
  if (existsSync(shared)) for (const p of readPrompts(shared)) prompts.set(p.id, p);
  return [...prompts.values()];
}

/** The questions of a case, in order. */
export function questionsOf(p: PromptCase): string[] {
  return p.turns ?? [p.prompt ?? ""];
}

const PAGING = new Set(["sort", "limit", "cursor", "group_by"]);

/** "a|b" is the set {a, b} in any order; a list means any one of its values. */
function valueMatches(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return expected.some((e) => valueMatches(actual, e));
  const wanted = String(expected).split("|").sort();
  const got = (Array.isArray(actual) ? actual : [actual]).map(String).sort();
  return JSON.stringify(got) === JSON.stringify(wanted);
}

/** Why `args` do not meet `expect`, or undefined when they do. */
export function mismatch(
  args: Record<string, unknown>,
  expect: Record<string, unknown>,
): string | undefined {
  const keys = Object.keys(args).filter((k) => !PAGING.has(k) && args[k] !== undefined);
  const wantedKeys = Object.keys(expect).map((k) => k.replace(/~$/, ""));
  const extra = keys.filter((k) => !wantedKeys.includes(k));
  const missing = wantedKeys.filter((k) => !keys.includes(k));
  if (extra.length > 0 || missing.length > 0) {
    return `keys: extra ${JSON.stringify(extra)}, missing ${JSON.stringify(missing)} in ${JSON.stringify(args)}`;
  }
  for (const [key, value] of Object.entries(expect)) {
    if (key.endsWith("~")) {
      const actual = String(args[key.slice(0, -1)] ?? "");
      if (!actual.toLowerCase().includes(String(value).toLowerCase())) {
        return `${key}: ${actual} lacks ${String(value)}`;
      }
    } else if (!valueMatches(args[key], value)) {
      return `${key}: ${JSON.stringify(args[key])}, expected ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}
