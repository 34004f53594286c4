/**
 * The admin command line. Each command prints exactly one JSON object on
 * stdout; errors go to stderr with a non-zero exit.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import {
  closeDatabase,
  db,
  migrateDatabase,
  type Transaction,
} from "@/db/client";
import { organizations } from "@/db/schema";
import { createAccount, findAccountByEmail } from "@/lib/accounts";
import {
  DEFAULT_KDF_ITERATIONS,
  deriveAuthHash,
  deriveMasterKey,
  encryptToPublicKey,
  generateAccountKeys,
  generateOrganizationKey,
  normalizeEmail,
} from "@/lib/crypto";
import { recordEvent, type Actor } from "@/lib/events";
import { createOrganization, isUuid } from "@/lib/organizations";
import { enableScim, rotateScimKey, scimUrl } from "@/lib/scim/keys";
import { checkedSettings } from "@/lib/startup";

class UsageError extends Error {}

const usage = `Usage:
  admin create-org --name N --owner-name NAME --owner-email E --owner-password P
  admin enable-scim --org ID
  admin rotate-scim-key --org ID`;

function required(
  values: Record<string, string | undefined>,
  name: string,
): string {
  const value = values[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function organizationId(values: Record<string, string | undefined>): string {
  const id = required(values, "org");
  if (!isUuid(id))
    throw new UsageError(
      `--org must be an organization id (a UUID), got "${id}"`,
    );
  return id;
}

async function createOrg(values: Record<string, string | undefined>) {
  const name = required(values, "name");
  const ownerName = required(values, "owner-name");
  const email = normalizeEmail(required(values, "owner-email"));
  const password = values["owner-password"] ?? "";
  if (!password) throw new UsageError("--owner-password is required");
  if (name.length > 256)
    throw new UsageError("--name has at most 256 characters");

  let account = await findAccountByEmail(email);
  let masterKey;
  if (!account) {
    masterKey = await deriveMasterKey(password, email, DEFAULT_KDF_ITERATIONS);
    const keys = await generateAccountKeys(masterKey);
    account = await createAccount({
      email,
      name: ownerName,
      kdfIterations: DEFAULT_KDF_ITERATIONS,
      authHash: await deriveAuthHash(masterKey, password),
      ...keys,
    });
  } else {
    masterKey = await deriveMasterKey(password, email, account.kdfIterations);
    const { verifyCredentials } = await import("@/lib/accounts");
    if (
      !(await verifyCredentials(
        email,
        await deriveAuthHash(masterKey, password),
      ))
    ) {
      throw new UsageError(
        `an account for ${email} exists and --owner-password does not match it`,
      );
    }
  }

  const { organization, owner } = await createOrganization(account, {
    name,
    ownerOrganizationKey: await encryptToPublicKey(
      generateOrganizationKey(),
      account.publicKey,
    ),
  });
  return { organizationId: organization.id, ownerId: owner.id };
}

const commandLine: Actor = { type: "system" };

/** Runs a change to an organization's SCIM settings with its event, in one transaction. */
async function changeScim(
  values: Record<string, string | undefined>,
  type: "scim.enabled" | "scim.key_rotated",
  change: (id: string, tx: Transaction) => Promise<string>,
) {
  const id = organizationId(values);
  const [organization] = await db()
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, id));
  if (!organization) throw new UsageError(`no organization has the id ${id}`);

  return db().transaction(async (tx) => {
    const apiKey = await change(id, tx);
    await recordEvent(tx, {
      organizationId: id,
      type,
      actor: commandLine,
      target: { type: "organization", id },
      details: { via: "admin command line" },
    });
    return { id, apiKey };
  });
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      name: { type: "string" },
      "owner-name": { type: "string" },
      "owner-email": { type: "string" },
      "owner-password": { type: "string" },
      org: { type: "string" },
    },
  });

  switch (command) {
    case "create-org":
      return createOrg(values);
    case "enable-scim": {
      const { id, apiKey } = await changeScim(
        values,
        "scim.enabled",
        enableScim,
      );
      return { scimUrl: scimUrl(id), apiKey };
    }
    case "rotate-scim-key": {
      const { apiKey } = await changeScim(
        values,
        "scim.key_rotated",
        rotateScimKey,
      );
      return { apiKey };
    }
    default:
      throw new UsageError(
        command ? `unknown command "${command}"` : "no command given",
      );
  }
}

checkedSettings();
let exitCode = 0;
try {
  await migrateDatabase();
  const result = await main(process.argv.slice(2));
  process.stdout.write(JSON.stringify(result) + "\n");
} catch (error) {
  exitCode =
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
      ? 2
      : 1;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`admin: ${message}\n`);
  if (exitCode === 2) process.stderr.write(`${usage}\n`);
} finally {
  await closeDatabase();
}
process.exit(exitCode);
