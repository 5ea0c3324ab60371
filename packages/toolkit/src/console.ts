import { format } from 'node:util';
import type { Logger } from './logger.js';

/**
 * A server bin owns its process, and on stdio its stdout is the protocol stream: one stray `console.log`
 * from a library (the OCI SDK's federation client, its retrier's `console.warn` on every failed call)
 * would corrupt it. The bin routes console.log/info/debug/warn to its logger at debug level (redacted
 * there, on stderr). console.error is left alone. Libraries used on their own keep the console as it is.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const forward = (...args: unknown[]): void => logger.debug(`console: ${format(...args)}`);
  console.log = forward;
  console.info = forward;
  console.debug = forward;
  console.warn = forward;
}
