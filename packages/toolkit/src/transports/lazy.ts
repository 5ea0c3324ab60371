import type { ToolServerFactory } from '../server.js';
import type { HttpHandle, HttpServeOptions } from './http.js';

// The transports pull in sizeable SDK modules (the HTTP one brings a web-standard adapter); a process
// only ever needs one of them, so they load on first use instead of at import time.

export async function serveHttp(options: HttpServeOptions): Promise<HttpHandle> {
  return (await import('./http.js')).serveHttp(options);
}

export async function serveStdio(factory: ToolServerFactory): Promise<void> {
  return (await import('./stdio.js')).serveStdio(factory);
}
