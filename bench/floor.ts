/**
 * The floor: a bare node:http server answering the benchmark's SCIM requests
 * with the database work alone. Each request runs the same statements as the
 * app's happy path (the key check, then the project's own data functions in
 * one transaction) but skips everything above the database: routing, Web
 * Request/Response adapting, validation, filter parsing, resource shaping,
 * projection and logging. Responses are the rows as JSON. It understands only
 * the requests the benchmark sends and trusts them; it is not a server.
 */
import { createServer, type IncomingMessage } from "node:http";
import { and, asc, eq, sql } from "drizzle-orm";
import { db, type Transaction } from "@/db/client";
import { members, type Member } from "@/db/schema";
import { addMembers, lockGroup, removeMembers } from "@/lib/groups";
import { recordEvent, type Actor } from "@/lib/events";
import { issueInvitation } from "@/lib/invitations";
import { restoreMember, revokeMember } from "@/lib/members/lifecycle";
import { authenticate } from "@/lib/scim/auth";
import { findUser, selectUsers } from "@/lib/scim/user-resource";

const actor: Actor = { type: "scim", client: "Okta" };

interface OktaUser {
  userName: string;
  externalId?: string;
  displayName?: string;
  active?: boolean;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string; primary?: boolean }[];
}

interface PatchBody {
  Operations: { op: string; path?: string; value?: unknown }[];
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(
          chunks.length
            ? JSON.parse(Buffer.concat(chunks).toString())
            : undefined,
        );
      } catch (error) {
        reject(error);
      }
    });
    req.on("error", reject);
  });
}

/** The key check the app runs first on every request: the same query. */
async function keyCheck(req: IncomingMessage, organizationId: string) {
  const headers = new Headers();
  if (req.headers.authorization) {
    headers.set("authorization", req.headers.authorization);
  }
  return authenticate(
    { headers } as Request,
    organizationId,
    req.socket.remoteAddress,
    "Okta",
  );
}

function lockMember(tx: Transaction, organizationId: string, id: string) {
  return tx
    .select()
    .from(members)
    .where(and(eq(members.id, id), eq(members.organizationId, organizationId)))
    .for("update")
    .then(([member]) => member as Member | undefined);
}

function ofOrganization(organizationId: string, id: string) {
  return and(eq(members.id, id), eq(members.organizationId, organizationId))!;
}

async function createUser(organizationId: string, body: OktaUser) {
  const email = (
    body.emails?.find((e) => e.primary)?.value ?? body.userName
  ).toLowerCase();
  return db().transaction(async (tx) => {
    const [created] = await tx
      .insert(members)
      .values({
        organizationId,
        email,
        userName: body.userName,
        role: "user",
        origin: "scim",
        status: "invited",
        externalId: body.externalId ?? null,
        givenName: body.name?.givenName ?? null,
        familyName: body.name?.familyName ?? null,
        displayName: body.displayName ?? null,
      })
      .returning();
    await issueInvitation(tx, created);
    await recordEvent(tx, {
      organizationId,
      type: "member.provisioned",
      actor,
      target: { type: "member", id: created.id, label: created.email },
      details: { status: created.status, invitationSent: true },
    });
    return created;
  });
}

function lookupUser(organizationId: string, userName: string) {
  return selectUsers(db(), true)
    .where(
      and(
        eq(members.organizationId, organizationId),
        sql`lower(${members.userName}) = lower(${userName})`,
      ),
    )
    .orderBy(asc(members.createdAt), asc(members.id))
    .limit(100);
}

async function replaceUser(organizationId: string, id: string, body: OktaUser) {
  return db().transaction(async (tx) => {
    let member = await lockMember(tx, organizationId, id);
    if (!member) return undefined;
    if (body.active === false) member = await revokeMember(tx, member, actor);
    if (body.active === true) member = await restoreMember(tx, member, actor);
    await tx
      .update(members)
      .set({
        externalId: body.externalId ?? null,
        givenName: body.name?.givenName ?? null,
        familyName: body.name?.familyName ?? null,
        displayName: body.displayName ?? null,
        version: sql`${members.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(members.id, id));
    await recordEvent(tx, {
      organizationId,
      type: "member.updated",
      actor,
      target: { type: "member", id, label: member.email },
      details: { changed: ["displayName"] },
    });
    return findUser(tx, ofOrganization(organizationId, id));
  });
}

async function setActive(organizationId: string, id: string, body: PatchBody) {
  const value = body.Operations[0]?.value as { active?: boolean } | undefined;
  return db().transaction(async (tx) => {
    const member = await lockMember(tx, organizationId, id);
    if (!member) return undefined;
    if (value?.active === false) await revokeMember(tx, member, actor);
    else await restoreMember(tx, member, actor);
    return findUser(tx, ofOrganization(organizationId, id));
  });
}

/** Okta's single-member add (`path: members`) and remove (`members[value eq "…"]`). */
async function changeMembership(
  organizationId: string,
  groupId: string,
  body: PatchBody,
) {
  const operation = body.Operations[0];
  return db().transaction(async (tx) => {
    const group = await lockGroup(tx, organizationId, groupId);
    if (!group) return false;
    if (operation.op === "add") {
      const ids = (operation.value as { value: string }[]).map((m) => m.value);
      await addMembers(tx, group, ids, actor);
    } else {
      const id = /"([^"]+)"/.exec(operation.path ?? "")?.[1];
      await removeMembers(tx, group, id ? [id] : [], actor);
    }
    return true;
  });
}

const lookupFilter = /^userName eq "(.*)"$/;

const server = createServer(async (req, res) => {
  const send = (status: number, body?: unknown) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };

  try {
    const url = new URL(req.url ?? "/", "http://floor");
    // /scim/v2/{organizationId}/{Users|Groups}/{id?}
    const [, , , organizationId, resource, id] = url.pathname.split("/");
    if (!organizationId || !resource) return send(404);
    if (req.method === "GET" && resource === "health") return send(200);

    await keyCheck(req, organizationId);
    const body = req.method === "GET" ? undefined : await readBody(req);

    if (resource === "Users" && !id && req.method === "POST") {
      return send(201, await createUser(organizationId, body as OktaUser));
    }
    if (resource === "Users" && !id && req.method === "GET") {
      const userName = lookupFilter.exec(
        url.searchParams.get("filter") ?? "",
      )?.[1];
      if (userName === undefined) return send(400);
      return send(200, await lookupUser(organizationId, userName));
    }
    if (resource === "Users" && id) {
      let row;
      if (req.method === "GET") {
        row = await findUser(db(), ofOrganization(organizationId, id));
      } else if (req.method === "PUT") {
        row = await replaceUser(organizationId, id, body as OktaUser);
      } else if (req.method === "PATCH") {
        row = await setActive(organizationId, id, body as PatchBody);
      }
      return row ? send(200, row) : send(404);
    }
    if (resource === "Groups" && id && req.method === "PATCH") {
      const found = await changeMembership(
        organizationId,
        id,
        body as PatchBody,
      );
      return send(found ? 204 : 404);
    }
    send(404);
  } catch (error) {
    const kind = (error as { kind?: string }).kind;
    send(kind === "unauthenticated" ? 401 : 500, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3181), "127.0.0.1");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    process.exit(0);
  });
}
