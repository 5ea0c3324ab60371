import { redact, redactText } from '@cloudmcp/format';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(ORDER) as LogLevel[];

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
  /** Where lines go; stderr by default. stdout is never used: it carries the stdio protocol. */
  write?: (line: string) => void;
}

/** A logger for servers: one line per record on stderr, secrets redacted before anything leaves. */
export function createLogger({ name, level = 'info', write }: LoggerOptions): Logger {
  const out = write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const threshold = ORDER[level];
  const make = (sinks: LogSink[]): Logger => {
    const emit = (lvl: LogLevel, message: string, fields?: LogFields) => {
      if (ORDER[lvl] < threshold) return;
      const safeMessage = redactText(message);
      const safeFields = fields && (redact(fields) as LogFields);
      const tail = safeFields && Object.keys(safeFields).length ? ` ${JSON.stringify(safeFields)}` : '';
      out(`${new Date().toISOString()} ${lvl.toUpperCase()} ${name}: ${safeMessage}${tail}`);
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
