import { and, asc, desc, eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { db, type Executor, type Transaction } from "@/db/client";
import { groups, type Group } from "@/db/schema";
import { invalid, notFound } from "@/lib/errors";
import {
  addMembers,
  createGroup,
  deleteGroup,
  lockGroup,
  membersOfGroups,
  removeAllMembers,
  removeMembers,
  replaceMembers,
  updateGroup,
  findGroup,
  type GroupMember,
} from "@/lib/groups";
import {
  attributeReference,
  queryParam,
  queryProjection,
  type Projection,
} from "./attributes";
import type { ScimContext } from "./context";
import { assertIfMatch, etagOf, isNotModified } from "./etag";
import { groupFilterSql, parseFilter } from "./filter";
import {
  groupChanges,
  parseGroupRequest,
  withValueFilterAdds,
  type GroupChange,
} from "./group-input";
import { isUuid } from "./ids";
import { listResponse, pageOf, type ListParams } from "./list";
import { parsePatchRequest } from "./patch";
import type { ScimResource } from "./resource";
import {
  metaOf,
  noContent,
  notModified,
  resourceResponse,
  type ScimResourceBody,
} from "./response";
import { GROUP_SCHEMA } from "./schemas";

/** The Group resource (RFC 7643 §4.2); `members` only when they were loaded. */
function groupResource(
  group: Group,
  members: GroupMember[] | undefined,
  baseUrl: string,
): ScimResourceBody {
  const resource: ScimResourceBody = { schemas: [GROUP_SCHEMA], id: group.id };
  resource.displayName = group.displayName;
  if (group.externalId !== null) resource.externalId = group.externalId;
  if (members) {
    resource.members = members.map((member) => ({
      value: member.id,
      display: member.display,
      $ref: `${baseUrl}/Users/${member.id}`,
      type: "User",
    }));
  }
  resource.meta = metaOf(
    baseUrl,
    "Group",
    group.id,
    group.createdAt,
    group.updatedAt,
    group.version,
  );
  return resource;
}

/** Builds the resources, loading members in one query only when they are returned. */
async function groupResources(
  executor: Executor,
  rows: Group[],
  projection: Projection,
  baseUrl: string,
) {
  const members = projection.wants("members")
    ? await membersOfGroups(
        executor,
        rows.map((row) => row.id),
      )
    : undefined;
  return rows.map((row) =>
    projection.apply(groupResource(row, members?.get(row.id), baseUrl)),
  );
}

async function singleResponse(
  executor: Executor,
  status: 200 | 201,
  group: Group,
  projection: Projection,
  baseUrl: string,
) {
  const [body] = await groupResources(executor, [group], projection, baseUrl);
  return resourceResponse(
    status,
    body,
    group.version,
    `${baseUrl}/Groups/${group.id}`,
  );
}

const notFoundGroup = (id: string) =>
  notFound(`No Group with id ${id.slice(0, 64)} in this organization`);

function groupId(id: string): string {
  if (!isUuid(id)) throw notFoundGroup(id);
  return id;
}

const sortColumns: Record<string, SQL | AnyColumn> = {
  id: groups.id,
  displayname: sql`lower(${groups.displayName})`,
  externalid: groups.externalId,
  "meta.created": groups.createdAt,
  "meta.lastmodified": groups.updatedAt,
};

function sortColumn(sortBy: string): SQL | AnyColumn {
  const { top, sub } = attributeReference(sortBy);
  const column = sortColumns[sub ? `${top}.${sub}` : top];
  if (!column)
    throw invalid(`Groups cannot be sorted by ${sortBy.slice(0, 200)}`);
  return column;
}

async function list(ctx: ScimContext, params: ListParams): Promise<Response> {
  const conditions = [eq(groups.organizationId, ctx.organizationId)];
  if (params.filter) {
    conditions.push(groupFilterSql(parseFilter(params.filter)));
  }
  const where = and(...conditions)!;
  const order = params.sortBy ? sortColumn(params.sortBy) : undefined;
  const { limit, offset } = pageOf(params);

  const rows =
    limit === 0
      ? []
      : await db()
          .select()
          .from(groups)
          .where(where)
          .orderBy(
            ...(order
              ? [params.sortOrder === "descending" ? desc(order) : asc(order)]
              : []),
            asc(groups.createdAt),
            asc(groups.id),
          )
          .limit(limit)
          .offset(offset);

  // A short page that is not past the end tells the total without counting.
  const total =
    rows.length > 0 && rows.length < limit
      ? offset + rows.length
      : offset === 0 && rows.length === 0 && limit > 0
        ? 0
        : await countGroups(where);

  const resources = await groupResources(
    db(),
    rows,
    params.projection,
    ctx.baseUrl,
  );
  return listResponse(total, params, resources);
}

async function countGroups(where: SQL): Promise<number> {
  const [{ total }] = await db()
    .select({ total: sql<number>`count(*)::int` })
    .from(groups)
    .where(where);
  return total;
}

async function get(ctx: ScimContext, id: string): Promise<Response> {
  const group = await findGroup(db(), ctx.organizationId, groupId(id));
  if (!group) throw notFoundGroup(id);
  if (isNotModified(ctx, group.version)) return notModified(group.version);
  return singleResponse(
    db(),
    200,
    group,
    queryProjection(ctx.query),
    ctx.baseUrl,
  );
}

async function create(ctx: ScimContext): Promise<Response> {
  const input = parseGroupRequest(await ctx.body());
  const projection = queryProjection(ctx.query);

  return db().transaction(async (tx) => {
    const { group } = await createGroup(
      tx,
      {
        organizationId: ctx.organizationId,
        origin: "scim",
        displayName: input.displayName,
        externalId: input.externalId,
        memberIds: input.memberIds,
      },
      ctx.actor,
    );
    return singleResponse(tx, 201, group, projection, ctx.baseUrl);
  });
}

/** The group locked for this transaction, checked against If-Match. */
async function lockedGroup(
  tx: Transaction,
  ctx: ScimContext,
  id: string,
): Promise<Group> {
  const group = await lockGroup(tx, ctx.organizationId, id);
  if (!group) throw notFoundGroup(id);
  assertIfMatch(ctx, group.version);
  return group;
}

async function applyChange(
  tx: Transaction,
  ctx: ScimContext,
  group: Group,
  change: GroupChange,
): Promise<Group> {
  switch (change.kind) {
    case "fields":
      return updateGroup(tx, group, change.fields, ctx.actor);
    case "addMembers":
      return (await addMembers(tx, group, change.ids, ctx.actor)).group;
    case "removeMembers":
      return (await removeMembers(tx, group, change.ids, ctx.actor)).group;
    case "removeAllMembers":
      return (await removeAllMembers(tx, group, ctx.actor)).group;
    case "replaceMembers":
      return (await replaceMembers(tx, group, change.ids, ctx.actor)).group;
  }
}

async function replace(ctx: ScimContext, rawId: string): Promise<Response> {
  const id = groupId(rawId);
  const body = await ctx.body();
  const projection = queryProjection(ctx.query);

  return db().transaction(async (tx) => {
    let group = await lockedGroup(tx, ctx, id);
    // Checked once the group is found: an unknown id is 404 whatever the body.
    const input = parseGroupRequest(body);
    // RFC 7644 §3.5.1: PUT replaces; an absent externalId is cleared.
    group = await applyChange(tx, ctx, group, {
      kind: "fields",
      fields: { displayName: input.displayName, externalId: input.externalId },
    });
    if (input.memberIds !== undefined) {
      group = await applyChange(tx, ctx, group, {
        kind: "replaceMembers",
        ids: input.memberIds,
      });
    }
    return singleResponse(tx, 200, group, projection, ctx.baseUrl);
  });
}

async function patch(ctx: ScimContext, rawId: string): Promise<Response> {
  const id = groupId(rawId);
  const body = await ctx.body();
  // SPEC 3.5: 204, unless the client asked for attributes of the result.
  const attributes = queryParam(ctx.query, "attributes");

  return db().transaction(async (tx) => {
    let group = await lockedGroup(tx, ctx, id);
    const changes = groupChanges(parsePatchRequest(withValueFilterAdds(body)));
    for (const change of changes) {
      group = await applyChange(tx, ctx, group, change);
    }
    if (attributes) {
      return singleResponse(
        tx,
        200,
        group,
        queryProjection(ctx.query),
        ctx.baseUrl,
      );
    }
    return new Response(null, {
      status: 204,
      headers: { etag: etagOf(group.version) },
    });
  });
}

async function remove(ctx: ScimContext, rawId: string): Promise<Response> {
  const id = groupId(rawId);
  await db().transaction(async (tx) => {
    const group = await lockedGroup(tx, ctx, id);
    await deleteGroup(tx, group, ctx.actor);
  });
  return noContent();
}

export const groupsResource: ScimResource = {
  list,
  get,
  create,
  replace,
  patch,
  remove,
};
