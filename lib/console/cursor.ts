import { z } from "zod";

/**
 * Keyset paging cursors: the sort key and id of the row a page starts after
 * (or ends before), as opaque base64url text in the URL. A cursor that does
 * not decode is treated as absent, so a mangled link shows the first page.
 */
const cursorSchema = z.object({
  key: z.string().max(512),
  id: z.string().max(64),
});

export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

export function decodeCursor(
  text: string | undefined,
  isValid: (cursor: Cursor) => boolean,
): Cursor | undefined {
  if (!text || text.length > 1024) return undefined;
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(text, "base64url").toString("utf8")),
    );
    return parsed.success && isValid(parsed.data) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A timestamp as PostgreSQL prints it here, microseconds included, in UTC. */
export const timestampKeyPattern =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
