import { invalid } from "@/lib/errors";
import {
  MAX_EMAIL_LENGTH,
  MAX_EXTERNAL_ID_LENGTH,
  MAX_NAME_LENGTH,
} from "./limits";
import { scimBoolean, type PatchOperation } from "./patch";
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from "./schemas";

/**
 * The attributes of a User that are stored and can change (SPEC 3.4). Email
 * and userName are fixed once provisioned: what a request asks for them is
 * kept only to record that it was ignored.
 */
export interface UserAttributes {
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formattedName: string | null;
  enterprise: Record<string, unknown> | null;
}

export interface UserRequest {
  attributes: UserAttributes;
  /** undefined: leave the status alone. */
  active?: boolean;
  /** The email the request names (lower-cased); undefined if it names none. */
  email?: string;
  userName?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Attribute names are case-insensitive (RFC 7643 §2.1). */
function lowerKeys(object: Json): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const [key, value] of Object.entries(object)) {
    map.set(key.toLowerCase(), value);
  }
  return map;
}

function optionalText(
  value: unknown,
  attribute: string,
  max: number,
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    throw invalid(`${attribute} must be a string`);
  }
  const trimmed = value.trim();
  if (trimmed.length > max) {
    throw invalid(`${attribute} is longer than ${max} characters`);
  }
  return trimmed || null;
}

const emailPattern = /^[^\s@]+@[^\s@]+$/;

function isEmailAddress(value: string): boolean {
  return emailPattern.test(value);
}

function checkedEmail(value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH) {
    throw invalid(`The email is longer than ${MAX_EMAIL_LENGTH} characters`);
  }
  if (!isEmailAddress(email)) {
    throw invalid(`"${email.slice(0, 64)}" is not an email address`);
  }
  return email;
}

interface EmailValue {
  value: string;
  type?: unknown;
  primary?: unknown;
}

function emailValues(value: unknown): EmailValue[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === "string") return { value: item };
    if (!isObject(item)) {
      throw invalid("emails must be a list of objects with a value");
    }
    const fields = lowerKeys(item);
    const email = fields.get("value");
    if (email !== undefined && email !== null && typeof email !== "string") {
      throw invalid("emails.value must be a string");
    }
    return {
      value: (email as string | undefined) ?? "",
      type: fields.get("type"),
      primary: fields.get("primary"),
    };
  });
}

/**
 * SPEC 3.4: the first non-blank primary email, else the first non-blank
 * work email, else the first non-blank email, else userName when it is an
 * email address.
 */
export function chooseEmail(
  emails: unknown,
  userName?: string,
): string | undefined {
  const values = emailValues(emails).filter((email) => email.value.trim());
  const primary = values.find(
    (email) =>
      email.primary !== undefined &&
      email.primary !== null &&
      scimBoolean(email.primary, "emails.primary"),
  );
  const work = values.find(
    (email) =>
      typeof email.type === "string" && email.type.toLowerCase() === "work",
  );
  const chosen = primary ?? work ?? values[0];
  if (chosen) return checkedEmail(chosen.value);
  if (userName && isEmailAddress(userName.trim())) {
    return checkedEmail(userName);
  }
  return undefined;
}

/**
 * The string attributes of the enterprise User extension (RFC 7643 §4.3)
 * that are stored, by lower-cased name; `manager` is stored besides them.
 */
export const enterpriseStrings: Record<string, string> = {
  employeenumber: "employeeNumber",
  costcenter: "costCenter",
  organization: "organization",
  division: "division",
  department: "department",
};

function managerValue(value: unknown): Json | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") {
    const id = optionalText(value, "manager.value", MAX_EXTERNAL_ID_LENGTH);
    return id ? { value: id } : null;
  }
  if (!isObject(value)) throw invalid("manager must be an object with a value");
  const id = optionalText(
    lowerKeys(value).get("value"),
    "manager.value",
    MAX_EXTERNAL_ID_LENGTH,
  );
  return id ? { value: id } : null;
}

/**
 * Sets one enterprise attribute on `target` (removing it for null), or
 * throws invalidPath for an attribute the extension does not have.
 */
function setEnterprise(target: Json, attribute: string, value: unknown) {
  const [name, sub] = attribute.toLowerCase().split(".", 2);
  if (name === "manager") {
    if (sub !== undefined && sub !== "value") {
      throw invalid(`manager.${sub} cannot be set`, "mutability");
    }
    const manager = managerValue(sub === "value" ? { value } : value);
    if (manager) target.manager = manager;
    else delete target.manager;
    return;
  }
  const canonical = enterpriseStrings[name];
  if (!canonical || sub !== undefined) {
    throw invalid(
      `${ENTERPRISE_USER_SCHEMA}:${attribute} is not a supported attribute`,
      "invalidPath",
    );
  }
  const text = optionalText(value, canonical, MAX_NAME_LENGTH);
  if (text) target[canonical] = text;
  else delete target[canonical];
}

function enterpriseObject(value: unknown): Json | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) {
    throw invalid(`${ENTERPRISE_USER_SCHEMA} must be an object`);
  }
  const enterprise: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    const lower = key.toLowerCase();
    // Unknown extension attributes are ignored in a full resource, as other
    // unknown attributes are (SPEC 3.4).
    if (lower === "manager" || lower in enterpriseStrings) {
      setEnterprise(enterprise, key, inner);
    }
  }
  return Object.keys(enterprise).length > 0 ? enterprise : null;
}

function nameParts(value: unknown) {
  if (value === undefined || value === null) {
    return { givenName: null, familyName: null, formattedName: null };
  }
  if (!isObject(value)) throw invalid("name must be an object");
  const fields = lowerKeys(value);
  return {
    givenName: optionalText(
      fields.get("givenname"),
      "name.givenName",
      MAX_NAME_LENGTH,
    ),
    familyName: optionalText(
      fields.get("familyname"),
      "name.familyName",
      MAX_NAME_LENGTH,
    ),
    formattedName: optionalText(
      fields.get("formatted"),
      "name.formatted",
      MAX_NAME_LENGTH,
    ),
  };
}

/**
 * A full User resource, as POST and PUT send it. Read-only and unknown
 * attributes (`id`, `meta`, `groups`, `password`, …) are ignored.
 */
export function parseUserResource(
  body: unknown,
  options: { creating: boolean },
): UserRequest {
  if (!isObject(body)) {
    throw invalid("A User must be a JSON object", "invalidSyntax");
  }
  const fields = lowerKeys(body);

  const rawUserName = fields.get("username");
  let userName: string | undefined;
  if (rawUserName !== undefined && rawUserName !== null) {
    if (typeof rawUserName !== "string") {
      throw invalid("userName must be a string");
    }
    if (rawUserName.length > MAX_NAME_LENGTH) {
      throw invalid(`userName is longer than ${MAX_NAME_LENGTH} characters`);
    }
    if (rawUserName.trim()) userName = rawUserName;
    else if (options.creating) throw invalid("userName must not be blank");
  }
  const email = chooseEmail(fields.get("emails"), userName);
  // A new User without a userName is named by its email, as Bitwarden's
  // clients expect (they send only emails); SPEC 3.4 needs just the email.
  if (options.creating && userName === undefined) userName = email;

  const active = fields.get("active");
  return {
    attributes: {
      externalId: optionalText(
        fields.get("externalid"),
        "externalId",
        MAX_EXTERNAL_ID_LENGTH,
      ),
      displayName: optionalText(
        fields.get("displayname"),
        "displayName",
        MAX_NAME_LENGTH,
      ),
      ...nameParts(fields.get("name")),
      enterprise: enterpriseObject(
        fields.get(ENTERPRISE_USER_SCHEMA.toLowerCase()),
      ),
    },
    active:
      active === undefined || active === null
        ? undefined
        : scimBoolean(active, "active"),
    email,
    userName,
  };
}

/** The User state a PATCH starts from and changes. */
export interface PatchableUser extends UserRequest {
  active: boolean;
}

const corePrefix = USER_SCHEMA.toLowerCase() + ":";
const enterpriseUrn = ENTERPRISE_USER_SCHEMA.toLowerCase();

/** Read-only attributes: a path naming one is refused; a value-object key is ignored. */
const readOnly = new Set(["id", "meta", "groups", "schemas"]);

/**
 * Core User attributes (RFC 7643 §4.1) this service does not store. Entra's
 * default mappings send several of them (title, preferredLanguage,
 * phoneNumbers…); they are accepted and not kept, like in POST and PUT.
 */
const unstoredCore = new Set([
  "nickname",
  "profileurl",
  "title",
  "usertype",
  "preferredlanguage",
  "locale",
  "timezone",
  "password",
  "phonenumbers",
  "ims",
  "photos",
  "addresses",
  "entitlements",
  "roles",
  "x509certificates",
]);

const unstoredNameParts = new Set([
  "middlename",
  "honorificprefix",
  "honorificsuffix",
]);

type Target =
  | { kind: "active" | "externalId" | "displayName" | "userName" | "name" }
  | { kind: "namePart"; part: "givenName" | "familyName" | "formattedName" }
  | { kind: "email"; subAttribute?: string }
  | { kind: "enterprise"; attribute?: string }
  | { kind: "unstored" }
  | { kind: "readOnly"; name: string };

const nameKeys: Record<string, "givenName" | "familyName" | "formattedName"> = {
  givenname: "givenName",
  familyname: "familyName",
  formatted: "formattedName",
};

/** What a PATCH path (RFC 7644 §3.10) or a value-object key points at. */
function resolveTarget(path: string): Target {
  let lower = path.trim().toLowerCase();
  if (lower === enterpriseUrn) return { kind: "enterprise" };
  if (lower.startsWith(enterpriseUrn + ":")) {
    return {
      kind: "enterprise",
      attribute: path.trim().slice(enterpriseUrn.length + 1),
    };
  }
  if (lower.startsWith(corePrefix)) lower = lower.slice(corePrefix.length);

  // A value filter such as emails[type eq "work"].value, as Entra sends it.
  const filtered = /^([a-z0-9$_-]+)\[[^\]]*\](?:\.([a-z0-9$_-]+))?$/.exec(
    lower,
  );
  const [attribute, sub] = filtered
    ? [filtered[1], filtered[2]]
    : (lower.split(".", 2) as [string, string | undefined]);

  if (attribute === "emails") return { kind: "email", subAttribute: sub };
  if (readOnly.has(attribute)) return { kind: "readOnly", name: attribute };
  if (unstoredCore.has(attribute)) return { kind: "unstored" };
  if (filtered) {
    throw invalid(`${path} is not a supported path`, "invalidPath");
  }
  if (attribute === "name") {
    if (sub === undefined) return { kind: "name" };
    if (nameKeys[sub]) return { kind: "namePart", part: nameKeys[sub] };
    if (unstoredNameParts.has(sub)) return { kind: "unstored" };
  }
  if (sub === undefined) {
    if (attribute === "active") return { kind: "active" };
    if (attribute === "externalid") return { kind: "externalId" };
    if (attribute === "displayname") return { kind: "displayName" };
    if (attribute === "username") return { kind: "userName" };
  }
  throw invalid(`${path} is not a supported path`, "invalidPath");
}

function applyToTarget(
  user: PatchableUser,
  target: Target,
  op: PatchOperation["op"],
  value: unknown,
  fromValueObject: boolean,
) {
  const removing = op === "remove";
  const attributes = user.attributes;
  switch (target.kind) {
    case "active":
      if (removing) throw invalid("active cannot be removed", "mutability");
      user.active = scimBoolean(value, "active");
      return;
    case "externalId":
      attributes.externalId = removing
        ? null
        : optionalText(value, "externalId", MAX_EXTERNAL_ID_LENGTH);
      return;
    case "displayName":
      attributes.displayName = removing
        ? null
        : optionalText(value, "displayName", MAX_NAME_LENGTH);
      return;
    case "namePart":
      attributes[target.part] = removing
        ? null
        : optionalText(value, `name.${target.part}`, MAX_NAME_LENGTH);
      return;
    case "name": {
      if (removing || value === null) {
        Object.assign(attributes, nameParts(null));
        return;
      }
      if (!isObject(value)) throw invalid("name must be an object");
      // RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged.
      for (const [key, inner] of Object.entries(value)) {
        const part = nameKeys[key.toLowerCase()];
        if (part) {
          attributes[part] = optionalText(
            inner,
            `name.${key}`,
            MAX_NAME_LENGTH,
          );
        }
      }
      return;
    }
    case "userName":
      if (!removing && value !== null && typeof value !== "string") {
        throw invalid("userName must be a string");
      }
      user.userName = removing
        ? undefined
        : ((value as string | null) ?? undefined);
      return;
    case "email": {
      if (removing) {
        user.email = undefined;
        return;
      }
      // Only the address matters: type and primary are always work/true.
      if (target.subAttribute && target.subAttribute !== "value") return;
      let email: string | undefined;
      if (target.subAttribute) {
        if (typeof value !== "string") {
          throw invalid("emails.value must be a string");
        }
        email = value;
      } else {
        email = chooseEmail(value);
      }
      if (email?.trim()) user.email = checkedEmail(email);
      return;
    }
    case "enterprise": {
      const enterprise = { ...(attributes.enterprise ?? {}) };
      if (target.attribute === undefined) {
        if (removing) {
          attributes.enterprise = null;
          return;
        }
        if (!isObject(value)) {
          throw invalid(`${ENTERPRISE_USER_SCHEMA} must be an object`);
        }
        for (const [key, inner] of Object.entries(value)) {
          setEnterprise(enterprise, key, inner);
        }
      } else {
        setEnterprise(enterprise, target.attribute, removing ? null : value);
      }
      attributes.enterprise =
        Object.keys(enterprise).length > 0 ? enterprise : null;
      return;
    }
    case "unstored":
      return;
    case "readOnly":
      // SPEC 3.4: read-only keys of a value object are ignored; a path
      // that names one asks for the impossible.
      if (fromValueObject) return;
      throw invalid(`${target.name} is read-only`, "mutability");
  }
}

/**
 * Applies PATCH operations to a copy of the user; nothing is written, so a
 * failing operation leaves everything as it was (RFC 7644 §3.5.2).
 */
export function applyUserPatch(
  current: PatchableUser,
  operations: PatchOperation[],
): PatchableUser {
  const user: PatchableUser = {
    ...current,
    attributes: { ...current.attributes },
  };
  for (const operation of operations) {
    if (operation.path) {
      applyToTarget(
        user,
        resolveTarget(operation.path),
        operation.op,
        operation.value,
        false,
      );
      continue;
    }
    // Without a path the value is an object of attributes to set (RFC 7644
    // §3.5.2.1, §3.5.2.3); its keys may be plain, dotted or full URNs.
    if (!isObject(operation.value)) {
      throw invalid(
        `${operation.op} without a path needs an object value`,
        "invalidValue",
      );
    }
    for (const [key, value] of Object.entries(operation.value)) {
      applyToTarget(user, resolveTarget(key), operation.op, value, true);
    }
  }
  return user;
}
