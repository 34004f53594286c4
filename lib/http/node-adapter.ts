import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES } from "@/lib/scim/limits";
import { bufferedRequest, responseText } from "./bodies";

const bodyless = new Set(["GET", "HEAD", "OPTIONS", "DELETE"]);

/** Methods the Fetch standard refuses to put in a `Request` (it would throw). */
const forbiddenMethods = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The method as a `Request` can carry it: a forbidden one gets a suffix, so
 * that the handler answers it like any other method it does not serve
 * (405) instead of the adapter failing with a 500.
 */
function fetchableMethod(method: string): string {
  return forbiddenMethods.has(method.toUpperCase())
    ? `${method}-UNSUPPORTED`
    : method;
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) {
      for (const item of value) headers.append(name, item);
    } else {
      headers.set(name, value);
    }
  }
  return headers;
}

/**
 * Reads at most `limit + 1` bytes: enough for the handler to see that a body
 * is too large, without holding more of it in memory.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = () => {
      req.off("data", onData);
      req.off("end", finish);
      req.off("error", onError);
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > limit) {
        req.pause();
        finish();
      }
    };
    const onError = (error: Error) => reject(error);
    req.on("data", onData);
    req.on("end", finish);
    req.on("error", onError);
  });
}

/**
 * A node request as a Web `Request`; bodies are cut off just past
 * `maxBodyBytes` and kept beside the request (lib/http/bodies.ts).
 */
export async function toWebRequest(
  req: IncomingMessage,
  maxBodyBytes = MAX_BODY_BYTES,
): Promise<Request> {
  const method = fetchableMethod(req.method ?? "GET");
  const headers = headersOf(req);
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch {
    url = new URL(req.url ?? "/", "http://localhost");
  }

  if (bodyless.has(method) && !req.headers["content-length"]) {
    return new Request(url, { method, headers });
  }
  const declared = Number(req.headers["content-length"] ?? NaN);
  // A declared length over the limit is refused without reading the body.
  const body =
    declared > maxBodyBytes ? undefined : await readBody(req, maxBodyBytes);
  // A GET or HEAD body is dropped, as a `Request` cannot carry one.
  if (!body || method === "GET" || method === "HEAD") {
    return new Request(url, { method, headers });
  }
  return bufferedRequest(url, { method, headers }, body);
}

/** Writes a Web `Response` to a node response. */
export async function writeWebResponse(
  res: ServerResponse,
  response: Response,
): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  // The unread rest of an oversized body is discarded by node once the
  // response ends (never buffered); closing the socket instead would reset
  // it under a client still sending, which then never sees the 413.

  if (!response.body) {
    res.end();
    return;
  }
  const text = responseText(response);
  if (text !== undefined) {
    res.setHeader("content-length", Buffer.byteLength(text));
    res.end(text);
    return;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", bytes.length);
  res.end(bytes);
}
