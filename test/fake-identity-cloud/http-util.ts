// Small HTTP helpers for the fake: split the URL, read a bounded body, merge query and form parameters, reply.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/** One answer of the fake, before it is sent. */
export interface Reply {
  status: number;
  /** undefined: no body (204). */
  body: unknown;
  /** The Capture error code, when the body is a "stat": "error" body. */
  code?: number;
  headers?: Record<string, string>;
}

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES} bytes`);
  }
}

/** Path and query of a request target, without ever throwing (no URL parsing of odd targets). */
export function splitTarget(target: string | undefined): { path: string; query: string } {
  const raw = target ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: '' } : { path: raw.slice(0, q), query: raw.slice(q + 1) };
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
      done = true;
    });
    req.on('error', (error) => {
      if (!done) reject(error);
      done = true;
    });
  });
}

/**
 * Query string and form body parameters (the body wins when both have a name; the first value of a repeated name
 * wins). Only form bodies are read: a JSON or multipart body counts as no parameters.
 */
export function readParams(query: string, body: string, contentType: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  const add = (source: string): void => {
    const seen = new Set<string>();
    for (const [k, v] of new URLSearchParams(source)) {
      if (seen.has(k)) continue;
      seen.add(k);
      params.set(k, v);
    }
  };
  add(query);
  const type = (contentType ?? '').toLowerCase();
  if (body !== '' && !type.startsWith('application/json') && !type.startsWith('multipart/')) add(body);
  return params;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export const reply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** Sends a reply: JSON, or no body at all when `body` is undefined. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, { 'Cache-Control': 'no-store', ...reply.headers });
    res.end();
    return;
  }
  sendJson(res, reply.status, reply.body, reply.headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html;charset=UTF-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
