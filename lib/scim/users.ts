import {
  and,
  asc,
  desc,
  eq,
  inArray,
  sql,
  type AnyColumn,
  type SQL,
} from "drizzle-orm";
import { db, type Executor, type Transaction } from "@/db/client";
import { members, type Member } from "@/db/schema";
import { invalid, notFound } from "@/lib/errors";
import { recordEvent } from "@/lib/events";
import { issueInvitation } from "@/lib/invitations";
import { memberConflict } from "@/lib/members/conflicts";
import {
  removeMember,
  restoreMember,
  revokeMember,
} from "@/lib/members/lifecycle";
import {
  attributeReference,
  queryProjection,
  type Projection,
} from "./attributes";
import type { ScimContext } from "./context";
import { assertIfMatch, isNotModified } from "./etag";
import { parseFilter, userFilterSql } from "./filter";
import { isUuid } from "./ids";
import { listResponse, pageOf, type ListParams } from "./list";
import { parsePatchRequest } from "./patch";
import type { ScimResource } from "./resource";
import { noContent, notModified, resourceResponse } from "./response";
import { ENTERPRISE_USER_SCHEMA } from "./schemas";
import {
  applyUserPatch,
  enterpriseStrings,
  parseUserResource,
  type UserAttributes,
  type UserRequest,
} from "./user-input";
import {
  findUser,
  selectUsers,
  userResource,
  type UserRow,
} from "./user-resource";

const enterpriseSchema = ENTERPRISE_USER_SCHEMA.toLowerCase();

/**
 * Sortable User attributes (lower-cased references) and what they sort by;
 * strings sort case-insensitively, on the same expressions as the indexes.
 */
const userSortColumns: Record<string, SQL | AnyColumn> = {
  id: members.id,
  username: sql`lower(${members.userName})`,
  externalid: members.externalId,
  displayname: sql`lower(${members.displayName})`,
  "name.givenname": sql`lower(${members.givenName})`,
  "name.familyname": sql`lower(${members.familyName})`,
  "name.formatted": sql`lower(${members.formattedName})`,
  emails: sql`lower(${members.email})`,
  "emails.value": sql`lower(${members.email})`,
  "meta.created": members.createdAt,
  "meta.lastmodified": members.updatedAt,
  // false (revoked) before true, as booleans sort.
  active: sql`(${members.status} <> 'revoked')`,
  ...Object.fromEntries(
    Object.entries(enterpriseStrings).map(([reference, attribute]) => [
      `${enterpriseSchema}.${reference}`,
      sql`lower(${members.enterprise} ->> ${attribute})`,
    ]),
  ),
  [`${enterpriseSchema}.manager`]: sql`lower(${members.enterprise} -> 'manager' ->> 'value')`,
};

function sortColumn(sortBy: string): SQL | AnyColumn {
  const { top, sub } = attributeReference(sortBy);
  const column = userSortColumns[sub ? `${top}.${sub}` : top];
  if (!column) throw invalid(`Users cannot be sorted by ${sortBy}`);
  return column;
}

/** One User as a response, with its ETag and, for 201, its Location. */
function userResponse(
  status: 200 | 201,
  row: UserRow,
  projection: Projection,
  baseUrl: string,
) {
  const resource = userResource(row, baseUrl);
  return resourceResponse(
    status,
    projection.apply(resource),
    row.member.version,
    resource.meta!.location,
  );
}

const notFoundUser = (id: string) =>
  notFound(`No User with id ${id.slice(0, 64)} in this organization`);

function userId(id: string): string {
  if (!isUuid(id)) throw notFoundUser(id);
  return id;
}

function ofOrganization(ctx: ScimContext, id: string): SQL {
  return and(
    eq(members.id, id),
    eq(members.organizationId, ctx.organizationId),
  )!;
}

/** The condition of a Users list: the organization, and the filter if any. */
export function userListCondition(
  organizationId: string,
  params: ListParams,
): SQL {
  const conditions = [eq(members.organizationId, organizationId)];
  if (params.filter) conditions.push(userFilterSql(parseFilter(params.filter)));
  return and(...conditions)!;
}

/**
 * The statement that reads one page of a Users list. Past the first page,
 * the page's ids are chosen on `members` alone and only those rows are
 * joined and given their groups: with a plain OFFSET, PostgreSQL builds
 * every skipped row (account join, groups subquery) before dropping it, and
 * the last page of 100 000 members took seconds instead of milliseconds.
 */
export function userPageQuery(
  executor: Executor,
  where: SQL,
  params: ListParams,
) {
  const order = params.sortBy ? sortColumn(params.sortBy) : undefined;
  const orderBy = [
    ...(order
      ? [params.sortOrder === "descending" ? desc(order) : asc(order)]
      : []),
    asc(members.createdAt),
    asc(members.id),
  ];
  const { limit, offset } = pageOf(params);
  const users = selectUsers(executor, params.projection.wants("groups"));
  if (offset === 0) {
    return users
      .where(where)
      .orderBy(...orderBy)
      .limit(limit);
  }

  const pageIds = executor
    .select({ id: members.id })
    .from(members)
    .where(where)
    .orderBy(...orderBy)
    .limit(limit)
    .offset(offset);
  return users.where(inArray(members.id, pageIds)).orderBy(...orderBy);
}

async function list(ctx: ScimContext, params: ListParams): Promise<Response> {
  const where = userListCondition(ctx.organizationId, params);
  const { limit, offset } = pageOf(params);
  const rows = limit === 0 ? [] : await userPageQuery(db(), where, params);

  // A short page that is not past the end tells the total without counting.
  const total =
    rows.length > 0 && rows.length < limit
      ? offset + rows.length
      : offset === 0 && rows.length === 0 && limit > 0
        ? 0
        : await countUsers(where);

  const resources = rows.map((row) =>
    params.projection.apply(userResource(row, ctx.baseUrl)),
  );
  return listResponse(total, params, resources);
}

async function countUsers(where: SQL): Promise<number> {
  const [{ total }] = await db()
    .select({ total: sql<number>`count(*)::int` })
    .from(members)
    .where(where);
  return total;
}

async function get(ctx: ScimContext, id: string): Promise<Response> {
  const projection = queryProjection(ctx.query);
  const row = await findUser(
    db(),
    ofOrganization(ctx, userId(id)),
    projection.wants("groups"),
  );
  if (!row) throw notFoundUser(id);

  if (isNotModified(ctx, row.member.version)) {
    return notModified(row.member.version);
  }
  return userResponse(200, row, projection, ctx.baseUrl);
}

/** Runs a write, turning unique violations into 409 uniqueness. */
async function writing<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await db().transaction(work);
  } catch (error) {
    throw memberConflict(error) ?? error;
  }
}

async function create(ctx: ScimContext): Promise<Response> {
  const input = parseUserResource(await ctx.body(), { creating: true });
  if (!input.email) {
    throw invalid(
      "The User has no email: give emails with a value, or a userName that is an email address",
    );
  }
  const email = input.email;
  const pending = ctx.sendInvitations ? "invited" : "staged";

  const member = await writing(async (tx) => {
    const [created] = await tx
      .insert(members)
      .values({
        organizationId: ctx.organizationId,
        email,
        userName: input.userName!,
        role: "user",
        origin: "scim",
        ...(input.active === false
          ? { status: "revoked", statusBeforeRevocation: pending }
          : { status: pending }),
        ...input.attributes,
      })
      .returning();

    const invitationSent = created.status === "invited";
    if (invitationSent) await issueInvitation(tx, created);
    await recordEvent(tx, {
      organizationId: ctx.organizationId,
      type: "member.provisioned",
      actor: ctx.actor,
      target: { type: "member", id: created.id, label: created.email },
      details: {
        status: created.status,
        userName: created.userName,
        externalId: created.externalId,
        invitationSent,
      },
    });
    return created;
  });

  return userResponse(
    201,
    { member, groups: [] },
    queryProjection(ctx.query),
    ctx.baseUrl,
  );
}

const attributeNames: (keyof UserAttributes)[] = [
  "externalId",
  "displayName",
  "givenName",
  "familyName",
  "formattedName",
  "enterprise",
];

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Applies a PUT or PATCH to a locked member: status first (revoke or
 * restore), then the attributes that changed; an email or userName the
 * request would change is kept and the attempt recorded.
 */
async function saveUser(
  tx: Transaction,
  ctx: ScimContext,
  member: Member,
  request: UserRequest,
) {
  let current = member;
  if (request.active === false) {
    current = await revokeMember(tx, current, ctx.actor);
  } else if (request.active === true) {
    current = await restoreMember(tx, current, ctx.actor);
  }

  const changed = attributeNames.filter(
    (name) => !sameValue(current[name], request.attributes[name]),
  );
  if (changed.length > 0) {
    await tx
      .update(members)
      .set({
        ...Object.fromEntries(
          changed.map((name) => [name, request.attributes[name]]),
        ),
        version: sql`${members.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(members.id, member.id));
    await recordEvent(tx, {
      organizationId: ctx.organizationId,
      type: "member.updated",
      actor: ctx.actor,
      target: { type: "member", id: member.id, label: member.email },
      details: { changed },
    });
  }

  const ignored: Record<string, string> = {};
  if (request.email !== undefined && request.email !== member.email) {
    ignored.email = request.email;
  }
  if (request.userName !== undefined && request.userName !== member.userName) {
    ignored.userName = request.userName;
  }
  if (Object.keys(ignored).length > 0) {
    await recordEvent(tx, {
      organizationId: ctx.organizationId,
      type: "member.change_ignored",
      actor: ctx.actor,
      target: { type: "member", id: member.id, label: member.email },
      details: {
        reason: "email and userName cannot change once provisioned",
        attempted: ignored,
      },
    });
  }
}

async function lockedMember(
  tx: Transaction,
  ctx: ScimContext,
  id: string,
): Promise<Member> {
  const [member] = await tx
    .select()
    .from(members)
    .where(ofOrganization(ctx, id))
    .for("update");
  if (!member) throw notFoundUser(id);
  assertIfMatch(ctx, member.version);
  return member;
}

/** PUT and PATCH: change the member, then answer with the stored User. */
async function update(
  ctx: ScimContext,
  rawId: string,
  requestFor: (member: Member) => UserRequest,
): Promise<Response> {
  const id = userId(rawId);
  const projection = queryProjection(ctx.query);
  const row = await writing(async (tx) => {
    const member = await lockedMember(tx, ctx, id);
    await saveUser(tx, ctx, member, requestFor(member));
    return findUser(tx, ofOrganization(ctx, id), projection.wants("groups"));
  });
  if (!row) throw notFoundUser(id);

  return userResponse(200, row, projection, ctx.baseUrl);
}

async function replace(ctx: ScimContext, id: string): Promise<Response> {
  userId(id);
  // Checked once the member is found: an unknown id is 404 whatever the body.
  const body = await ctx.body();
  return update(ctx, id, () => parseUserResource(body, { creating: false }));
}

async function patch(ctx: ScimContext, id: string): Promise<Response> {
  userId(id);
  const body = await ctx.body();
  return update(ctx, id, (member) =>
    applyUserPatch(
      {
        attributes: {
          externalId: member.externalId,
          displayName: member.displayName,
          givenName: member.givenName,
          familyName: member.familyName,
          formattedName: member.formattedName,
          enterprise: member.enterprise,
        },
        active: member.status !== "revoked",
        email: member.email,
        userName: member.userName,
      },
      parsePatchRequest(body),
    ),
  );
}

async function remove(ctx: ScimContext, id: string): Promise<Response> {
  const memberId = userId(id);
  await writing(async (tx) => {
    const member = await lockedMember(tx, ctx, memberId);
    await removeMember(tx, member, ctx.actor);
  });
  return noContent();
}

export const usersResource: ScimResource = {
  list,
  get,
  create,
  replace,
  patch,
  remove,
};
