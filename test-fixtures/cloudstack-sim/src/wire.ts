import type { ApiReply } from './engine.js';
import { toXml } from './xml.js';

export type ResponseFormat = 'json' | 'xml';

export const CONTENT_TYPES: Record<ResponseFormat, string> = {
  json: 'application/json; charset=UTF-8',
  xml: 'text/xml; charset=UTF-8',
};

/**
 * ApiServlet: XML unless the `response` parameter — that exact name, read before ParamUnpackWorker lower-cases
 * names — says `json` in any case. `response=xml`, `response=yaml`, `Response=json` and no `response` all
 * answer XML.
 */
export function responseFormat(params: Map<string, string>): ResponseFormat {
  return params.get('response')?.toLowerCase() === 'json' ? 'json' : 'xml';
}

export interface WireReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** HttpUtils.writeHttpResponse: the body in the requested format with its content type. */
export function serialize(reply: ApiReply, format: ResponseFormat): WireReply {
  const body =
    'text' in reply ? reply.text : format === 'json' ? JSON.stringify(reply.document) : toXml(reply.document);
  return { status: reply.status, headers: { 'Content-Type': CONTENT_TYPES[format], ...reply.headers }, body };
}
