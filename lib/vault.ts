import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "@/db/client";
import {
  collectionGroups,
  collections,
  groupMembers,
  groups,
  items,
  members,
} from "@/db/schema";
import { invalid, notFound } from "@/lib/errors";
import { recordEvent, type Actor } from "@/lib/events";
import { canManage, isUuid } from "@/lib/organizations";

/**
 * The organization's shared vault (SPEC 2). Every name and item is encrypted
 * in the browser with the organization key; the server stores, filters by
 * access, and hands out ciphertext, and never the key in the clear.
 */

/** Text sealed with AES-GCM by lib/crypto.ts encryptText: `a1.<iv>.<body>`. */
const sealedText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^a1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/, "is not encrypted");

export const encryptedCollectionNameSchema = sealedText(2_000);
export const encryptedItemSchema = sealedText(40_000);
const idList = z.array(z.string().refine(isUuid, "is not an id")).max(1000);

/** Input that passed the browser but not the schema is a bad request, not a crash. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(message);
  return result.data;
}

export const newCollectionSchema = z.object({
  name: encryptedCollectionNameSchema,
  groupIds: idList,
});

export const newItemSchema = z.object({
  collectionId: z.string().refine(isUuid, "is not an id"),
  data: encryptedItemSchema,
});

export interface VaultCollection {
  id: string;
  name: string;
  groupIds: string[];
  items: { id: string; data: string }[];
}

export type Vault =
  | {
      access: "open";
      /** The organization key encrypted to the member's public key. */
      organizationKey: string;
      canManage: boolean;
      collections: VaultCollection[];
    }
  | {
      /** No ciphertext at all: only why there is none. */
      access: "awaiting_confirmation" | "revoked" | "not_invited";
    };

/**
 * What one account may read of the organization's vault, decided on every
 * call from the member row as it is now, so that revoking or restoring
 * takes effect on the member's very next request.
 */
export async function vaultFor(
  accountId: string,
  organizationId: string,
): Promise<Vault> {
  if (!isUuid(organizationId)) throw notFound("Organization not found");
  return db().transaction(async (tx) => {
    const [member] = await tx
      .select()
      .from(members)
      .where(
        and(
          eq(members.organizationId, organizationId),
          eq(members.accountId, accountId),
        ),
      );
    if (!member) throw notFound("Organization not found");
    if (member.status === "revoked") return { access: "revoked" };
    if (member.status === "staged") return { access: "not_invited" };
    if (member.status !== "confirmed" || !member.organizationKey) {
      return { access: "awaiting_confirmation" };
    }

    const manager = canManage(member);
    const visible = manager
      ? await tx
          .select({ id: collections.id, name: collections.name })
          .from(collections)
          .where(eq(collections.organizationId, organizationId))
          .orderBy(asc(collections.createdAt), asc(collections.id))
      : await tx
          .selectDistinct({
            id: collections.id,
            name: collections.name,
            createdAt: collections.createdAt,
          })
          .from(collections)
          .innerJoin(
            collectionGroups,
            eq(collectionGroups.collectionId, collections.id),
          )
          .innerJoin(
            groupMembers,
            eq(groupMembers.groupId, collectionGroups.groupId),
          )
          .where(
            and(
              eq(collections.organizationId, organizationId),
              eq(groupMembers.memberId, member.id),
            ),
          )
          .orderBy(asc(collections.createdAt), asc(collections.id));

    return {
      access: "open",
      organizationKey: member.organizationKey,
      canManage: manager,
      collections: await withItems(
        tx,
        visible.map((c) => ({ id: c.id, name: c.name })),
        manager,
      ),
    };
  });
}

async function withItems(
  executor: Executor,
  visible: { id: string; name: string }[],
  includeGroups: boolean,
): Promise<VaultCollection[]> {
  if (visible.length === 0) return [];
  const ids = visible.map((c) => c.id);
  const rows = await executor
    .select({
      id: items.id,
      collectionId: items.collectionId,
      data: items.data,
    })
    .from(items)
    .where(inArray(items.collectionId, ids))
    .orderBy(asc(items.createdAt), asc(items.id));
  const grants = includeGroups
    ? await executor
        .select()
        .from(collectionGroups)
        .where(inArray(collectionGroups.collectionId, ids))
    : [];

  return visible.map((collection) => ({
    ...collection,
    groupIds: grants
      .filter((grant) => grant.collectionId === collection.id)
      .map((grant) => grant.groupId),
    items: rows
      .filter((item) => item.collectionId === collection.id)
      .map((item) => ({ id: item.id, data: item.data })),
  }));
}

async function assertGroupsOf(
  executor: Executor,
  organizationId: string,
  groupIds: string[],
) {
  const unique = [...new Set(groupIds)];
  if (unique.length === 0) return unique;
  const found = await executor
    .select({ id: groups.id })
    .from(groups)
    .where(
      and(
        eq(groups.organizationId, organizationId),
        inArray(groups.id, unique),
      ),
    );
  if (found.length !== unique.length) {
    throw invalid("A chosen group is not in this organization.");
  }
  return unique;
}

async function lockCollection(
  executor: Executor,
  organizationId: string,
  collectionId: string,
) {
  if (!isUuid(collectionId)) throw notFound("Collection not found");
  const [collection] = await executor
    .select()
    .from(collections)
    .where(
      and(
        eq(collections.id, collectionId),
        eq(collections.organizationId, organizationId),
      ),
    )
    .for("update");
  if (!collection) throw notFound("Collection not found");
  return collection;
}

/** A new collection that the given groups can open (owners and admins open all). */
export async function createCollection(
  organizationId: string,
  encryptedName: string,
  groupIds: string[],
  actor: Actor,
) {
  const input = parsed(
    newCollectionSchema,
    { name: encryptedName, groupIds },
    "The collection must have an encrypted name and a list of group ids.",
  );
  return db().transaction(async (tx) => {
    const granted = await assertGroupsOf(tx, organizationId, input.groupIds);
    const [collection] = await tx
      .insert(collections)
      .values({ organizationId, name: input.name })
      .returning();
    if (granted.length > 0) {
      await tx
        .insert(collectionGroups)
        .values(
          granted.map((groupId) => ({ collectionId: collection.id, groupId })),
        );
    }
    await recordEvent(tx, {
      organizationId,
      type: "collection.created",
      actor,
      target: { type: "collection", id: collection.id },
      details: { groupIds: granted },
    });
    return collection;
  });
}

/** Replaces which groups can open a collection. */
export async function setCollectionGroups(
  organizationId: string,
  collectionId: string,
  groupIds: string[],
  actor: Actor,
) {
  const wanted = parsed(idList, groupIds, "Choose groups by their ids.");
  await db().transaction(async (tx) => {
    await lockCollection(tx, organizationId, collectionId);
    const granted = await assertGroupsOf(tx, organizationId, wanted);
    await tx
      .delete(collectionGroups)
      .where(eq(collectionGroups.collectionId, collectionId));
    if (granted.length > 0) {
      await tx
        .insert(collectionGroups)
        .values(granted.map((groupId) => ({ collectionId, groupId })));
    }
    await recordEvent(tx, {
      organizationId,
      type: "collection.groups_changed",
      actor,
      target: { type: "collection", id: collectionId },
      details: { groupIds: granted },
    });
  });
}

/** Adds an item, already encrypted with the organization key, to a collection. */
export async function createItem(
  organizationId: string,
  collectionId: string,
  encryptedData: string,
  actor: Actor,
) {
  const input = parsed(
    newItemSchema,
    { collectionId, data: encryptedData },
    "The item must be encrypted and belong to a collection.",
  );
  return db().transaction(async (tx) => {
    await lockCollection(tx, organizationId, input.collectionId);
    const [item] = await tx
      .insert(items)
      .values({
        organizationId,
        collectionId: input.collectionId,
        data: input.data,
      })
      .returning();
    await recordEvent(tx, {
      organizationId,
      type: "item.created",
      actor,
      target: { type: "item", id: item.id },
      details: { collectionId: input.collectionId },
    });
    return item;
  });
}

/** The collections a group can open, names still encrypted, for the Groups page. */
export async function collectionsOfGroup(
  organizationId: string,
  groupId: string,
  executor: Executor = db(),
) {
  if (!isUuid(groupId)) throw notFound("Group not found");
  return executor
    .select({ id: collections.id, name: collections.name })
    .from(collectionGroups)
    .innerJoin(collections, eq(collections.id, collectionGroups.collectionId))
    .where(
      and(
        eq(collectionGroups.groupId, groupId),
        eq(collections.organizationId, organizationId),
      ),
    )
    .orderBy(asc(collections.createdAt), asc(collections.id));
}

/** Every collection of the organization (names encrypted), for choosing grants. */
export async function collectionsOf(
  organizationId: string,
  executor: Executor = db(),
) {
  return executor
    .select({ id: collections.id, name: collections.name })
    .from(collections)
    .where(eq(collections.organizationId, organizationId))
    .orderBy(asc(collections.createdAt), asc(collections.id));
}

/** Replaces which collections a group can open. */
export async function setGroupCollections(
  organizationId: string,
  groupId: string,
  collectionIds: string[],
  actor: Actor,
) {
  const wanted = [
    ...new Set(
      parsed(idList, collectionIds, "Choose collections by their ids."),
    ),
  ];
  await db().transaction(async (tx) => {
    if (!isUuid(groupId)) throw notFound("Group not found");
    const [group] = await tx
      .select({ id: groups.id, displayName: groups.displayName })
      .from(groups)
      .where(
        and(eq(groups.id, groupId), eq(groups.organizationId, organizationId)),
      )
      .for("update");
    if (!group) throw notFound("Group not found");
    if (wanted.length > 0) {
      const found = await tx
        .select({ id: collections.id })
        .from(collections)
        .where(
          and(
            eq(collections.organizationId, organizationId),
            inArray(collections.id, wanted),
          ),
        );
      if (found.length !== wanted.length) {
        throw invalid("A chosen collection is not in this organization.");
      }
    }

    await tx
      .delete(collectionGroups)
      .where(eq(collectionGroups.groupId, groupId));
    if (wanted.length > 0) {
      await tx
        .insert(collectionGroups)
        .values(wanted.map((collectionId) => ({ collectionId, groupId })));
    }
    await recordEvent(tx, {
      organizationId,
      type: "group.collections_changed",
      actor,
      target: { type: "group", id: groupId, label: group.displayName },
      details: { collectionIds: wanted },
    });
  });
}

/** The groups a collection can be granted to, by name. */
export async function groupChoices(organizationId: string) {
  return db()
    .select({ id: groups.id, displayName: groups.displayName })
    .from(groups)
    .where(eq(groups.organizationId, organizationId))
    .orderBy(asc(sql`lower(${groups.displayName})`), asc(groups.id));
}
