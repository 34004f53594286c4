import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow();

const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow();

/**
 * A person's account. The server holds only what the browser derived from the
 * master password: a hash of the authentication hash, the public key, and the
 * private key wrapped with the master key.
 */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    kdfIterations: integer("kdf_iterations").notNull(),
    authHash: text("auth_hash").notNull(),
    publicKey: text("public_key").notNull(),
    wrappedPrivateKey: text("wrapped_private_key").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The console's Members search matches the prefix of a member's account name.
    index("accounts_name_pattern_idx").on(
      sql`lower(${t.name}) text_pattern_ops`,
    ),
  ],
);

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const memberStatus = pgEnum("member_status", [
  "invited",
  "accepted",
  "confirmed",
  "revoked",
  "staged",
]);

export const memberRole = pgEnum("member_role", ["owner", "admin", "user"]);

/** Where a member or group came from: an identity provider or a person. */
export const origin = pgEnum("origin", ["scim", "console"]);

/**
 * One membership of one email address in one organization; its id is the SCIM
 * User id. `organizationKey` is the organization key encrypted to the linked
 * account's public key, set on confirmation.
 */
export const members = pgTable(
  "members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").references(() => accounts.id, {
      onDelete: "set null",
    }),
    email: text("email").notNull(),
    role: memberRole("role").notNull().default("user"),
    status: memberStatus("status").notNull(),
    statusBeforeRevocation: memberStatus("status_before_revocation"),
    organizationKey: text("organization_key"),
    origin: origin("origin").notNull().default("console"),
    userName: text("user_name").notNull(),
    externalId: text("external_id"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    formattedName: text("formatted_name"),
    displayName: text("display_name"),
    /** Provisioned attributes of the enterprise User extension (RFC 7643 §4.3). */
    enterprise: jsonb("enterprise").$type<Record<string, unknown>>(),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("members_org_email_key").on(
      t.organizationId,
      sql`lower(${t.email})`,
    ),
    uniqueIndex("members_org_user_name_key").on(
      t.organizationId,
      sql`lower(${t.userName})`,
    ),
    uniqueIndex("members_org_external_id_key").on(
      t.organizationId,
      t.externalId,
    ),
    uniqueIndex("members_org_account_key").on(t.organizationId, t.accountId),
    index("members_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("members_org_status_created_idx").on(
      t.organizationId,
      t.status,
      t.createdAt,
      t.id,
    ),
    index("members_org_display_name_idx").on(
      t.organizationId,
      sql`lower(${t.displayName})`,
    ),
    index("members_org_given_name_idx").on(
      t.organizationId,
      sql`lower(${t.givenName})`,
    ),
    index("members_org_family_name_idx").on(
      t.organizationId,
      sql`lower(${t.familyName})`,
    ),
    index("members_org_updated_idx").on(t.organizationId, t.updatedAt),
    index("members_account_idx").on(t.accountId),
    // The console's Members search matches prefixes of the email and of each
    // name; text_pattern_ops lets LIKE 'prefix%' use these whatever the
    // database collation.
    index("members_org_email_pattern_idx").on(
      t.organizationId,
      sql`lower(${t.email}) text_pattern_ops`,
    ),
    index("members_org_display_name_pattern_idx").on(
      t.organizationId,
      sql`lower(${t.displayName}) text_pattern_ops`,
    ),
    index("members_org_given_name_pattern_idx").on(
      t.organizationId,
      sql`lower(${t.givenName}) text_pattern_ops`,
    ),
    index("members_org_family_name_pattern_idx").on(
      t.organizationId,
      sql`lower(${t.familyName}) text_pattern_ops`,
    ),
    // The console's Members tabs sorted by email.
    index("members_org_status_email_idx").on(
      t.organizationId,
      t.status,
      sql`lower(${t.email})`,
    ),
  ],
);

export const groups = pgTable(
  "groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    externalId: text("external_id"),
    origin: origin("origin").notNull().default("console"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("groups_org_display_name_key").on(
      t.organizationId,
      sql`lower(${t.displayName})`,
    ),
    uniqueIndex("groups_org_external_id_key").on(
      t.organizationId,
      t.externalId,
    ),
    index("groups_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("groups_org_updated_idx").on(t.organizationId, t.updatedAt),
  ],
);

export const groupMembers = pgTable(
  "group_members",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    index("group_members_member_idx").on(t.memberId),
    // A group's page in the console lists its members in the order they were added.
    index("group_members_group_created_idx").on(
      t.groupId,
      t.createdAt,
      t.memberId,
    ),
  ],
);

/**
 * SCIM settings of an organization. The API key is kept as a SHA-256 hash for
 * authentication and, separately, encrypted with a key derived from the
 * server's secret so that an administrator can reveal it again.
 */
export const scimConfigs = pgTable("scim_configs", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  enabled: boolean("enabled").notNull().default(false),
  apiKeyHash: text("api_key_hash"),
  apiKeyCiphertext: text("api_key_ciphertext"),
  apiKeyRotatedAt: timestamp("api_key_rotated_at", { withTimezone: true }),
  sendInvitations: boolean("send_invitations").notNull().default(true),
  lastRequestAt: timestamp("last_request_at", { withTimezone: true }),
  lastRequestClient: text("last_request_client"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Failed-authentication counters, shared by every app instance. */
export const authThrottles = pgTable("auth_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true })
    .notNull()
    .defaultNow(),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }),
});

/** The pending invitation of a member: one at a time, replaced on resend. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    memberId: uuid("member_id")
      .notNull()
      .unique()
      .references(() => members.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_expires_idx").on(t.expiresAt)],
);

export const actorType = pgEnum("actor_type", ["account", "scim", "system"]);

export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    actorType: actorType("actor_type").notNull(),
    actorAccountId: uuid("actor_account_id"),
    /** "SCIM (Okta)", or the person's name or email at the time. */
    actorLabel: text("actor_label").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("events_org_type_created_idx").on(
      t.organizationId,
      t.type,
      t.createdAt,
    ),
  ],
);

export const outboxStatus = pgEnum("outbox_status", [
  "pending",
  "sent",
  "failed",
]);

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").references(() => organizations.id, {
      onDelete: "set null",
    }),
    kind: text("kind").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("email_outbox_org_created_idx").on(t.organizationId, t.createdAt),
  ],
);

/** A collection of the shared vault; its name is encrypted with the organization key. */
export const collections = pgTable(
  "collections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("collections_org_idx").on(t.organizationId)],
);

export const collectionGroups = pgTable(
  "collection_groups",
  {
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.collectionId, t.groupId] }),
    index("collection_groups_group_idx").on(t.groupId),
  ],
);

/** A vault item; `data` is its name, username, password and note, encrypted. */
export const items = pgTable(
  "items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    data: text("data").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("items_collection_idx").on(t.collectionId)],
);

export type Account = typeof accounts.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Member = typeof members.$inferSelect;
export type MemberStatus = (typeof memberStatus.enumValues)[number];
export type MemberRole = (typeof memberRole.enumValues)[number];
export type Group = typeof groups.$inferSelect;
export type ScimConfig = typeof scimConfigs.$inferSelect;
export type Event = typeof events.$inferSelect;
export type OutboxEmail = typeof emailOutbox.$inferSelect;
