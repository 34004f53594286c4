import type {
  AttributePath,
  CompareOperator,
  FilterNode,
  FilterValue,
} from "./ast";
import { at, filterError, tokenize, type Token } from "./tokenize";

/** SPEC §3.6: filters at most 4 KB. */
export const maxFilterBytes = 4096;

/** Deeper nesting is no real client's filter, and would cost stack. */
const maxDepth = 32;

const compareOperators = new Set<string>([
  "eq",
  "ne",
  "co",
  "sw",
  "ew",
  "gt",
  "ge",
  "lt",
  "le",
]);

const keywords = new Set(["and", "or", "not"]);

// RFC 7643 §2.1 ATTRNAME, with the "$ref" form of RFC 7643 §7.
const attributeName = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
// RFC 8259 §6.
const jsonNumber = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * Parses a filter of RFC 7644 §3.4.2.2. Operators, keywords and attribute
 * names are case-insensitive (ABNF literals are); `not` binds tighter than
 * `and`, which binds tighter than `or`. Beyond the RFC, and as clients send
 * them: `not` may precede an expression without parentheses, an unquoted
 * value that is no literal or number is a string, and Entra's
 * `emails[type eq "work"].value eq "x"` means one email matching both.
 */
export function parseFilter(text: string): FilterNode {
  if (new TextEncoder().encode(text).length > maxFilterBytes) {
    throw filterError(`Filter is longer than ${maxFilterBytes} bytes`);
  }
  // PostgreSQL text cannot hold NUL; no attribute value contains one.
  const nul = text.indexOf("\u0000");
  if (nul !== -1) {
    throw filterError(`Filter contains a NUL character at ${at(nul)}`);
  }
  const parser = new Parser(tokenize(text));
  if (parser.peek().type === "end") throw filterError("Filter is empty");

  const node = parser.parseOr();
  const rest = parser.peek();
  if (rest.type !== "end") {
    const bare = bareComparison(text);
    if (bare) return bare;
    throw filterError(
      `Unexpected ${describe(rest)} at ${at(rest.position)}: expected 'and', 'or' or the end of the filter`,
    );
  }
  return node;
}

// One comparison whose unquoted value runs to the end of the filter.
const bareComparisonPattern =
  /^(\s*)(\S+)\s+(eq|ne|co|sw|ew|gt|ge|lt|le)\s+([^\s"()[\]][^"()[\]]*)$/i;

/**
 * Bitwarden's clients send `displayName eq Test Group 2`, an unquoted value
 * with spaces, and mean the string "Test Group 2". Tried only when the
 * filter does not parse otherwise, and only when the value holds no quote,
 * parenthesis, bracket or `and`/`or`/`not`, so no valid filter changes
 * meaning.
 */
function bareComparison(text: string): FilterNode | undefined {
  const match = bareComparisonPattern.exec(text);
  if (!match) return undefined;
  const [, lead, attribute, operator, rest] = match;
  const value = rest.trimEnd();
  if (value.split(/\s+/).some((word) => keywords.has(word.toLowerCase()))) {
    return undefined;
  }
  return {
    kind: "compare",
    path: parseAttributePath(attribute, lead.length),
    operator: operator.toLowerCase() as CompareOperator,
    value,
  };
}

class Parser {
  private index = 0;
  private depth = 0;
  private inValuePath = false;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== "end") this.index++;
    return token;
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.type === "word" && token.text.toLowerCase() === keyword;
  }

  parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.peekKeyword("or")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.peekKeyword("and")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (!this.peekKeyword("not")) return this.parsePrimary();

    const not = this.next();
    if (this.peek().type === "end") {
      throw filterError(
        `Expected an expression after 'not' at ${at(not.position)}`,
      );
    }
    return this.nested(() => ({ kind: "not", operand: this.parseUnary() }));
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();

    if (token.type === "(") {
      this.next();
      const node = this.nested(() => this.parseOr());
      this.expect(")", token);
      return node;
    }

    if (token.type === "word" && !keywords.has(token.text.toLowerCase())) {
      this.next();
      return this.parseAttributeExpression(token);
    }

    const previous = this.tokens[this.index - 1];
    const after = previous?.type === "word" ? ` after '${previous.text}'` : "";
    throw filterError(
      `Expected an attribute name or '('${after} at ${at(token.position)}, found ${describe(token)}`,
    );
  }

  private parseAttributeExpression(
    word: Extract<Token, { type: "word" }>,
  ): FilterNode {
    const path = parseAttributePath(word.text, word.position);

    if (this.peek().type !== "[") return this.parseComparison(path, word.text);

    // RFC 7644 §3.4.2.2 valuePath: attrPath "[" valFilter "]".
    const open = this.next();
    if (this.inValuePath) {
      throw filterError(
        `Value filters cannot be nested (at ${at(open.position)})`,
      );
    }
    if (this.peek().type === "]") {
      throw filterError(`Empty value filter at ${at(open.position)}`);
    }
    this.inValuePath = true;
    const filter = this.nested(() => this.parseOr());
    this.inValuePath = false;
    const close = this.expect("]", open);

    // Entra: `emails[type eq "work"].value eq "x"`.
    const sub = this.peek();
    if (
      sub.type === "word" &&
      sub.position === close.position + 1 &&
      sub.text.startsWith(".")
    ) {
      this.next();
      const name = sub.text.slice(1);
      if (!attributeName.test(name)) {
        throw filterError(
          `Invalid sub-attribute '${sub.text}' after ']' at ${at(sub.position)}`,
        );
      }
      const inner = this.parseComparison(
        { attribute: name, position: sub.position + 1 },
        sub.text,
      );
      return {
        kind: "valuePath",
        path,
        filter: { kind: "and", left: filter, right: inner },
      };
    }
    return { kind: "valuePath", path, filter };
  }

  private parseComparison(path: AttributePath, written: string): FilterNode {
    const operator = this.next();
    if (operator.type !== "word" || keywords.has(operator.text.toLowerCase())) {
      throw filterError(
        `Expected an operator after '${written}' at ${at(operator.position)}, found ${describe(operator)}`,
      );
    }

    const name = operator.text.toLowerCase();
    if (name === "pr") return { kind: "present", path };
    if (!compareOperators.has(name)) {
      throw filterError(
        `Unknown operator '${operator.text}' at ${at(operator.position)}: use eq, ne, co, sw, ew, gt, ge, lt, le or pr`,
      );
    }

    const token = this.next();
    let value: FilterValue;
    if (token.type === "string") {
      value = token.value;
    } else if (
      token.type === "word" &&
      !keywords.has(token.text.toLowerCase())
    ) {
      value = literal(token.text);
    } else {
      throw filterError(
        `Expected a value after '${operator.text}' at ${at(token.position)}, found ${describe(token)}`,
      );
    }
    return { kind: "compare", path, operator: name as CompareOperator, value };
  }

  private expect(type: ")" | "]", open: Token): Token {
    const token = this.peek();
    if (token.type === type) return this.next();
    throw filterError(
      `Expected '${type}' to close the '${open.type}' at ${at(open.position)}, found ${describe(token)} at ${at(token.position)}`,
    );
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > maxDepth) {
      throw filterError(
        `Filter nests parentheses, brackets or 'not' more than ${maxDepth} levels deep`,
      );
    }
    const result = parse();
    this.depth--;
    return result;
  }
}

/** `urn:…:User:name.givenName` → schema, attribute and sub-attribute. */
function parseAttributePath(text: string, position: number): AttributePath {
  let schema: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(":");
    schema = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }

  const parts = rest.split(".");
  if (parts.length > 2 || !parts.every((part) => attributeName.test(part))) {
    throw filterError(`'${text}' at ${at(position)} is not an attribute path`);
  }
  return { schema, attribute: parts[0], subAttribute: parts[1], position };
}

/** An unquoted value: true, false, null (any case), a number, else a string. */
function literal(text: string): FilterValue {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (jsonNumber.test(text)) return Number(text);
  return text;
}

function describe(token: Token): string {
  switch (token.type) {
    case "end":
      return "the end of the filter";
    case "string":
      return `the string ${JSON.stringify(token.value)}`;
    case "word":
      return `'${token.text}'`;
    default:
      return `'${token.type}'`;
  }
}
