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

/** The notice shown when the agent runs with the offline model. */
export function offlineBanner(language: Language = "en"): string {
  return language === "ru"
    ? "Офлайн-режим: OPENAI_API_KEY не задан, отвечает встроенная модель на правилах (без сети; " +
        "понимает вопросы о тикетах на русском и английском, а с подключёнными серверами — о погоде и времени, и выгрузку в CSV). Для настоящей модели задайте " +
        "OPENAI_API_KEY; по желанию OPENAI_MODEL (имя модели) и OPENAI_BASE_URL (OpenAI-совместимый сервер)."
    : "Offline mode: OPENAI_API_KEY is not set, so a built-in rule-based model answers (no network; " +
        "it understands ticket questions in English and Russian, and, with those servers connected, weather, time and CSV export). For a real model set " +
        "OPENAI_API_KEY; optionally OPENAI_MODEL (the model name) and OPENAI_BASE_URL (an OpenAI-compatible server).";
}

/** The English banner, ready to print. */
export const OFFLINE_BANNER: string = offlineBanner("en");
