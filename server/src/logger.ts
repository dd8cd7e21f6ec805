/**
 * One logger for the server. JSON lines when not on a terminal, pretty lines on one;
 * in stdio mode stdout carries the protocol, so logs go to stderr. With LOG_FILE, lines
 * also go to a file rotated by size and by day, keeping LOG_FILE_KEEP old files. Every
 * line written while serving a request carries its id (`req`).
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from "pino";
import pretty from "pino-pretty";
import { logMixin } from "./requestContext.js";

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** 1 = stdout, 2 = stderr. */
  fd: 1 | 2;
  file?: { path: string; size: string; keep: number } | undefined;
}

export function createLogger({ level, fd, file }: LoggerOptions): Logger {
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  const options: PinoOptions = {
    level,
    base: undefined, // no pid/hostname noise on every line
    mixin: logMixin,
    redact: { paths: ["req.headers.authorization", "*.authorization", "*.token"], remove: true },
  };
  const console: DestinationStream = tty
    ? pretty({ destination: fd, sync: true, colorize: true, ignore: "pid,hostname" })
    : // stderr (stdio mode) is written synchronously: lines must not lag behind the protocol.
      pino.destination({ fd, sync: fd === 2 });
  if (!file || level === "silent") return pino(options, console);
  const rolling = pino.transport({
    target: "pino-roll",
    options: {
      file: file.path,
      size: file.size,
      frequency: "daily",
      limit: { count: file.keep },
      mkdir: true,
    },
  }) as DestinationStream;
  return pino(
    options,
    pino.multistream([
      { stream: console, level: level as pino.Level },
      { stream: rolling, level: level as pino.Level },
    ]),
  );
}
