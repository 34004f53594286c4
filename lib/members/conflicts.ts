import { violatedUniqueConstraint } from "@/db/errors";
import { conflict, type DomainError } from "@/lib/errors";

const messages: Record<string, string> = {
  members_org_email_key:
    "Another member of this organization has the same email address",
  members_org_user_name_key:
    "Another member of this organization has the same userName",
  members_org_external_id_key:
    "Another member of this organization has the same externalId",
  members_org_account_key:
    "This account is already a member of the organization",
};

/** The conflict a failed member write ran into, or undefined if it was another error. */
export function memberConflict(error: unknown): DomainError | undefined {
  const constraint = violatedUniqueConstraint(error);
  if (!constraint) return undefined;
  return conflict(
    messages[constraint] ??
      "Another member of this organization is the same person",
  );
}
