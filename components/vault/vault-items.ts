/** A vault item as the browser sees it once decrypted; stored as one encrypted JSON text. */
export interface ItemFields {
  name: string;
  username: string;
  password: string;
  note: string;
}

export function parseItem(text: string | undefined): ItemFields | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<
      Record<keyof ItemFields, unknown>
    >;
    const field = (v: unknown) => (typeof v === "string" ? v : "");
    return {
      name: field(value.name),
      username: field(value.username),
      password: field(value.password),
      note: field(value.note),
    };
  } catch {
    return undefined;
  }
}
