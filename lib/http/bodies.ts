/**
 * Bodies already in memory, kept beside the Web `Request` and `Response`
 * objects that stand for them. A Web body is a stream: wrapping a buffer we
 * hold in one and reading it back costs a copy and several promise turns per
 * request, more than the rest of a SCIM lookup's own work (bench/README.md).
 * Code that reads a body asks here first and falls back to the stream, so a
 * `Request` from anywhere else (Next's route) works the same.
 */

const requestBodies = new WeakMap<Request, Uint8Array>();
const responseTexts = new WeakMap<Response, string>();

/**
 * A `Request` whose body is kept here instead of in its stream: read it with
 * `bufferedBody` (lib/scim/body.ts does).
 */
export function bufferedRequest(
  url: URL,
  init: { method: string; headers: Headers },
  body: Uint8Array,
): Request {
  const request = new Request(url, init);
  requestBodies.set(request, body);
  return request;
}

export function bufferedBody(request: Request): Uint8Array | undefined {
  return requestBodies.get(request);
}

/** A `Response` whose text the node adapter writes without reading its stream. */
export function textResponse(text: string, init: ResponseInit): Response {
  const response = new Response(text, init);
  responseTexts.set(response, text);
  return response;
}

export function responseText(response: Response): string | undefined {
  return responseTexts.get(response);
}
