/**
 * The requests of each workload, as Okta sends them. App and floor get the
 * same requests (same paths, headers and bodies); only the port differs.
 */
import type { RequestSpec } from "./load";

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

export function scimHeaders(apiKey: string): Record<string, string> {
  return {
    authorization: `Bearer ${apiKey}`,
    accept: "application/scim+json",
    "content-type": "application/scim+json; charset=utf-8",
    "user-agent": "Okta SCIM Client 1.0.0",
  };
}

/** A seeded or created user: its id (when known), userName and index. */
export interface BenchUser {
  id: string;
  userName: string;
  index: number;
}

/** Okta's POST /Users body (its developer guide's example, with our values). */
export function oktaUser(userName: string, index: number, externalId: string) {
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: `Given${index}`, familyName: `Family${index}` },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: `Given${index} Family${index}`,
    locale: "en-US",
    externalId,
    groups: [],
    password: "Okta-sends-a-random-password-1",
    active: true,
  };
}

/**
 * A request built from autocannon's, with headers of its own: autocannon
 * writes Content-Length into the headers object it is given, and a GET that
 * inherited a PUT's Content-Length would wait for a body that never comes.
 */
function build(request: RequestSpec, changes: RequestSpec): RequestSpec {
  const headers = { ...request.headers };
  delete headers["Content-Length"];
  return { ...request, ...changes, headers };
}

const random = <T>(list: readonly T[]) =>
  list[Math.floor(Math.random() * list.length)];

/** W1: POST /Users with a new userName each time. */
export function createRequests(
  basePath: string,
  tag: string,
  counter: { next: number },
): RequestSpec[] {
  return [
    {
      method: "POST",
      path: `${basePath}/Users`,
      setupRequest: (request) => {
        const index = counter.next++;
        const userName = `${tag}-${index}@create.bench.example`;
        return build(request, {
          body: JSON.stringify(oktaUser(userName, index, `${tag}-${index}`)),
        });
      },
    },
  ];
}

function lookupPath(basePath: string, userName: string) {
  return `${basePath}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
}

/** W2: `filter=userName eq "…"` for a random existing user. */
export function lookupRequests(
  basePath: string,
  users: readonly BenchUser[],
): RequestSpec[] {
  return [
    {
      method: "GET",
      setupRequest: (request) =>
        build(request, { path: lookupPath(basePath, random(users).userName) }),
    },
  ];
}

/** W3: one fixed page of the default order. */
export function pageRequests(
  basePath: string,
  startIndex: number,
  count: number,
): RequestSpec[] {
  return [
    {
      method: "GET",
      path: `${basePath}/Users?startIndex=${startIndex}&count=${count}`,
    },
  ];
}

/**
 * W4: each client adds a member to the group and then removes it, as Okta
 * does for one assignment and one unassignment. Members come from a pool of
 * non-members; one is taken by the add and returned after its remove, so
 * two clients never work on the same member.
 */
export function membershipRequests(
  basePath: string,
  groupId: string,
  outsiders: readonly string[],
): RequestSpec[] {
  const free = [...outsiders];
  const path = `${basePath}/Groups/${groupId}`;
  return [
    {
      method: "PATCH",
      path,
      setupRequest: (request, context) => {
        const memberId = free.shift()!;
        context.memberId = memberId;
        return build(request, {
          body: JSON.stringify({
            schemas: [PATCH_OP],
            Operations: [
              { op: "add", path: "members", value: [{ value: memberId }] },
            ],
          }),
        });
      },
    },
    {
      method: "PATCH",
      path,
      setupRequest: (request, context) =>
        build(request, {
          body: JSON.stringify({
            schemas: [PATCH_OP],
            Operations: [
              { op: "remove", path: `members[value eq "${context.memberId}"]` },
            ],
          }),
        }),
      onResponse: (_status, _body, context) => {
        free.push(context.memberId as string);
      },
    },
  ];
}

/** W5: 60% lookups, 20% GET by id, 10% PUT, 10% PATCH active. */
export function mixRequests(
  basePath: string,
  users: readonly BenchUser[],
  tag: string,
): RequestSpec[] {
  let edits = 0;
  return [
    {
      setupRequest: (request) => {
        const user = random(users);
        const roll = Math.random();
        if (roll < 0.6) {
          return build(request, {
            method: "GET",
            path: lookupPath(basePath, user.userName),
            body: "",
          });
        }
        if (roll < 0.8) {
          return build(request, {
            method: "GET",
            path: `${basePath}/Users/${user.id}`,
            body: "",
          });
        }
        if (roll < 0.9) {
          // Okta's PUT is the full User without the password.
          const { password: _password, ...full } = oktaUser(
            user.userName,
            user.index,
            `${tag}-${user.index}`,
          );
          void _password;
          const body = {
            ...full,
            id: user.id,
            displayName: `Given${user.index} Family${user.index} ${++edits}`,
          };
          return build(request, {
            method: "PUT",
            path: `${basePath}/Users/${user.id}`,
            body: JSON.stringify(body),
          });
        }
        return build(request, {
          method: "PATCH",
          path: `${basePath}/Users/${user.id}`,
          body: JSON.stringify({
            schemas: [PATCH_OP],
            Operations: [
              { op: "replace", value: { active: Math.random() < 0.5 } },
            ],
          }),
        });
      },
    },
  ];
}
