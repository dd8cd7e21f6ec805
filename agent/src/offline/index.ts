/**
 * The offline model: a rule-based chat model for the agent when no OPENAI_API_KEY is
 * set. It understands ticket questions in Russian and English, calls the tickets
 * server's tools, and answers from their results. No network, no randomness in what it
 * decides.
 */
import type { Language } from "./types.js";

export { OfflineChatModel, defaultSkills, type OfflineChatModelFields } from "./model.js";
export { parseTicketQuestion, detectLanguage } from "./parser.js";
export { createTicketSkill, TICKET_TOOLS, type TicketSkillOptions } from "./ticketSkill.js";
export {
  createWeatherSkill,
  parseWeatherQuestion,
  WEATHER_TOOLS,
  type WeatherQuestion,
} from "./weatherSkill.js";
export {
  createLocalToolsSkill,
  parseExportQuestion,
  parseTimeQuestion,
  LOCAL_TOOLS,
  type LocalToolsSkillOptions,
} from "./localToolsSkill.js";
export type { OfflineSkill, Plan, PlannedCall, ToolOutcome } from "./skill.js";
export type * from "./types.js";

/**
 * The one-line notice shown when the agent runs with the offline model: which servers
 * it talks to (only those configured) and how to use a real model instead.
 */
export function offlineBanner(servers: readonly string[], language: Language = "en"): string {
  const list = servers.join(", ");
  return language === "ru"
    ? `Офлайн-режим: отвечает встроенная модель на правилах (серверы: ${list}). ` +
        "Для настоящей модели задайте OPENAI_API_KEY (подробнее: --help)."
    : `Offline mode: a built-in rule-based model answers (servers: ${list}). ` +
        "For a real model set OPENAI_API_KEY (see --help).";
}
