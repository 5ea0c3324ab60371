import { redact, redactText } from '@cloudmcp/format';
import { currentRequest } from './request-context.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(ORDER) as LogLevel[];

/** `text`: one readable line per record; `json`: one JSON object per line, for log collectors. */
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that also hands each record (already redacted) to `sink`, e.g. MCP logging. */
  with(sink: LogSink): Logger;
}

export type LogSink = (level: LogLevel, message: string, fields?: LogFields) => void;

export interface LoggerOptions {
  name: string;
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; stderr by default. stdout is never used: it carries the stdio protocol. */
  write?: (line: string) => void;
}

interface LogRecord {
  level: LogLevel;
  name: string;
  message: string;
  fields: LogFields | undefined;
}

/**
 * The request a record belongs to (HTTP only): its id, echoed to the client in `X-Request-Id`, the
 * caller's non-secret id, and the subject an OAuth token names. Written on the line only, not handed to
 * sinks (the client knows its own request).
 */
function requestFields(): LogFields {
  const request = currentRequest();
  if (!request) return {};
  return {
    request_id: request.requestId,
    ...(request.callerId ? { caller: request.callerId } : {}),
    ...(request.subject ? { subject: request.subject } : {}),
  };
}

function textLine({ level, name, message, fields }: LogRecord): string {
  const all = { ...fields, ...requestFields() };
  const tail = Object.keys(all).length ? ` ${JSON.stringify(all)}` : '';
  return `${new Date().toISOString()} ${level.toUpperCase()} ${name}: ${message}${tail}`;
}

// The record's own keys come last, so a field cannot pass itself off as the level or the message.
function jsonLine({ level, name, message, fields }: LogRecord): string {
  return JSON.stringify({
    ...fields,
    time: new Date().toISOString(),
    level,
    logger: name,
    msg: message,
    ...requestFields(),
  });
}

/** A logger for servers: one line per record on stderr, secrets redacted before anything leaves. */
export function createLogger({ name, level = 'info', format = 'text', write }: LoggerOptions): Logger {
  const out = write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const line = format === 'json' ? jsonLine : textLine;
  const threshold = ORDER[level];
  const make = (sinks: LogSink[]): Logger => {
    const emit = (lvl: LogLevel, message: string, fields?: LogFields) => {
      if (ORDER[lvl] < threshold) return;
      const safeMessage = redactText(message);
      const safeFields = fields && (redact(fields) as LogFields);
      out(line({ level: lvl, name, message: safeMessage, fields: safeFields }));
      for (const sink of sinks) {
        try {
          sink(lvl, safeMessage, safeFields);
        } catch {
          // a client that went away must not break logging
        }
      }
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      with: (sink) => make([...sinks, sink]),
    };
  };
  return make([]);
}
