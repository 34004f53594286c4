import { invalid } from "@/lib/errors";

export type Token =
  | { type: "(" | ")" | "[" | "]" | "end"; position: number }
  | { type: "string"; value: string; position: number; end: number }
  | { type: "word"; text: string; position: number; end: number };

/** The error every malformed filter raises (RFC 7644 §3.12 invalidFilter). */
export function filterError(message: string) {
  return invalid(message, "invalidFilter");
}

/** "character 7": positions are reported one-based, as an editor counts. */
export function at(position: number): string {
  return `character ${position + 1}`;
}

const punctuation = new Set(["(", ")", "[", "]"]);
const whitespace = /\s/;

const escapes: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Splits a filter into parentheses, brackets, JSON strings and words. A word
 * is any run of other non-blank characters: an attribute path (URNs contain
 * colons and dots), an operator, a keyword, a number or an unquoted value.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;

  while (index < text.length) {
    const char = text[index];
    if (whitespace.test(char)) {
      index++;
    } else if (punctuation.has(char)) {
      tokens.push({ type: char as "(", position: index });
      index++;
    } else if (char === '"') {
      const { value, end } = readString(text, index);
      tokens.push({ type: "string", value, position: index, end });
      index = end;
    } else {
      const start = index;
      while (
        index < text.length &&
        !whitespace.test(text[index]) &&
        !punctuation.has(text[index]) &&
        text[index] !== '"'
      ) {
        index++;
      }
      tokens.push({
        type: "word",
        text: text.slice(start, index),
        position: start,
        end: index,
      });
    }
  }

  tokens.push({ type: "end", position: text.length });
  return tokens;
}

/** Reads a JSON string literal (RFC 8259 §7) starting at the opening quote. */
function readString(text: string, start: number) {
  let value = "";
  let index = start + 1;

  while (index < text.length) {
    const char = text[index];
    if (char === '"') return { value, end: index + 1 };
    if (char !== "\\") {
      value += char;
      index++;
      continue;
    }

    const escape = text[index + 1];
    if (escape === undefined) break;
    if (escape === "u") {
      const hex = text.slice(index + 2, index + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw filterError(
          `Invalid \\u escape in the string at ${at(index)}: expected four hexadecimal digits`,
        );
      }
      const code = parseInt(hex, 16);
      if (code === 0) {
        throw filterError(
          `The string at ${at(start)} contains a NUL character (\\u0000), which no attribute can hold`,
        );
      }
      value += String.fromCharCode(code);
      index += 6;
    } else if (escape in escapes) {
      value += escapes[escape];
      index += 2;
    } else {
      throw filterError(
        `Invalid escape '\\${escape}' in the string at ${at(index)}`,
      );
    }
  }

  throw filterError(
    `Unterminated string starting at ${at(start)}: a closing '"' is missing`,
  );
}
