import { invalid } from "@/lib/errors";
import { bufferedBody } from "@/lib/http/bodies";
import { PayloadTooLargeError } from "./errors";
import { MAX_BODY_BYTES } from "./limits";

export const tooLarge = () =>
  new PayloadTooLargeError(
    `The request body is larger than ${MAX_BODY_BYTES} bytes`,
  );

async function readCapped(request: Request): Promise<Uint8Array> {
  const length = Number(request.headers.get("content-length") ?? NaN);
  if (length > MAX_BODY_BYTES) throw tooLarge();
  const buffered = bufferedBody(request);
  if (buffered) {
    if (buffered.byteLength > MAX_BODY_BYTES) throw tooLarge();
    return buffered;
  }
  if (!request.body) return new Uint8Array(0);

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The request body as JSON, whatever the Content-Type says: Okta sends both
 * application/json and application/scim+json.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const bytes = await readCapped(request);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw invalid("The request body is not valid UTF-8", "invalidSyntax");
  }
  if (!text.trim()) {
    throw invalid(
      "The request body is empty; send a JSON object",
      "invalidSyntax",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON", "invalidSyntax");
  }
  if (holdsUnstorableString(parsed)) throw unstorableRefused();
  return parsed;
}

/**
 * PostgreSQL stores neither U+0000 (in text or jsonb) nor a lone UTF-16
 * surrogate (jsonb refuses the `\udfff` escape): a string holding one would
 * fail the write with a 500. Refused for the whole body at once, so that no
 * attribute, nor an ignored one written to an event, can carry it further.
 */
const unstorable =
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const unstorableRefused = () =>
  invalid(
    "Strings must be valid Unicode text without the NUL character (U+0000)",
    "invalidValue",
  );

/** Whether a string holds a character PostgreSQL cannot store. */
export function isUnstorable(text: string): boolean {
  return unstorable.test(text);
}

function holdsUnstorableString(value: unknown): boolean {
  // Iterative: a body may nest far deeper than the call stack allows.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === "string") {
      if (isUnstorable(current)) return true;
    } else if (Array.isArray(current)) {
      for (const item of current) pending.push(item);
    } else if (current !== null && typeof current === "object") {
      for (const [key, inner] of Object.entries(current)) {
        if (isUnstorable(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
