import type { Member } from "@/db/schema";

type MemberNames = Pick<
  Member,
  "givenName" | "familyName" | "formattedName" | "displayName"
>;

/**
 * The names a member linked to an account takes where none were
 * provisioned (SPEC 3.4): the account's name as `formatted` and
 * `displayName`, split at its first space into `givenName` and
 * `familyName`. They are stored with the member, so that filters and
 * sorting see what the User resource shows.
 */
export function namesFromAccount(
  member: Partial<MemberNames>,
  accountName: string | null | undefined,
): Partial<MemberNames> {
  const name = accountName?.trim();
  if (!name) return {};
  const names: Partial<MemberNames> = {};
  if (
    member.givenName == null &&
    member.familyName == null &&
    member.formattedName == null
  ) {
    const space = name.indexOf(" ");
    names.givenName = space === -1 ? name : name.slice(0, space);
    names.familyName = space === -1 ? null : name.slice(space + 1);
    names.formattedName = name;
  }
  if (member.displayName == null) names.displayName = name;
  return names;
}
