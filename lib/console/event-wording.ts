/** How the Event log names each event type; unknown types are spelled out. */
export const eventWording: Record<string, string> = {
  "organization.created": "Created the organization",
  "member.invited": "Invited a member",
  "member.provisioned": "Provisioned a member",
  "member.updated": "Updated a member",
  "member.change_ignored": "Ignored a change of email or userName",
  "member.accepted": "Accepted the invitation",
  "member.confirmed": "Confirmed a member",
  "member.invitation_sent": "Sent an invitation",
  "member.invitation_resent": "Resent an invitation",
  "member.revoked": "Revoked a member",
  "member.restored": "Restored a member",
  "member.removed": "Removed a member",
  "member.role_changed": "Changed a member's role",
  "group.created": "Created a group",
  "group.renamed": "Renamed a group",
  "group.updated": "Updated a group",
  "group.deleted": "Deleted a group",
  "group.members_changed": "Changed a group's members",
  "group.collections_changed": "Changed a group's collections",
  "collection.created": "Created a collection",
  "collection.groups_changed": "Changed a collection's groups",
  "item.created": "Added a vault item",
  "scim.enabled": "Turned SCIM on",
  "scim.disabled": "Turned SCIM off",
  "scim.settings_changed": "Changed SCIM settings",
  "scim.key_revealed": "Revealed the SCIM API key",
  "scim.key_rotated": "Rotated the SCIM API key",
};

export function describeEventType(type: string): string {
  return (
    eventWording[type] ??
    type.replace(/[._]/g, " ").replace(/^\w/, (c) => c.toUpperCase())
  );
}

function count(value: unknown): number {
  if (value && typeof value === "object" && "count" in value) {
    return Number((value as { count: unknown }).count) || 0;
  }
  return 0;
}

/** A short reading of an event's details, for the table and the CSV. */
export function describeEventDetails(
  type: string,
  details: Record<string, unknown> | null,
): string {
  if (!details) return "";
  switch (type) {
    case "member.role_changed":
      return `${details.from} → ${details.to}`;
    case "member.revoked":
      return details.previousStatus
        ? `was ${String(details.previousStatus)}`
        : "";
    case "member.restored":
      return details.status ? `now ${String(details.status)}` : "";
    case "member.invited":
      return details.role ? `as ${String(details.role)}` : "";
    case "scim.settings_changed":
      return `Invitations on provisioning ${details.sendInvitations ? "on" : "off"}`;
    case "group.members_changed":
    case "group.created": {
      const parts = [];
      if (count(details.added)) parts.push(`${count(details.added)} added`);
      if (count(details.removed))
        parts.push(`${count(details.removed)} removed`);
      if (count(details.skipped))
        parts.push(`${count(details.skipped)} skipped`);
      return parts.join(", ");
    }
    case "group.renamed": {
      const change = details.displayName as
        { from?: string; to?: string } | undefined;
      return change ? `from "${change.from}"` : "";
    }
    default:
      return "";
  }
}
