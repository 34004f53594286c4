const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resource ids are uuids; anything else is answered as "not found" before it
 * reaches PostgreSQL, which would reject it as a syntax error.
 */
export function isUuid(value: string): boolean {
  return value.length === 36 && uuidPattern.test(value);
}
