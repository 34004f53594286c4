import type { Actor, ScimClientName } from "@/lib/events";

/** What a SCIM resource module knows about the request it serves. */
export interface ScimContext {
  /** The authenticated organization (a uuid). */
  organizationId: string;
  /** scim_configs.send_invitations */
  sendInvitations: boolean;
  client: ScimClientName;
  /** `{ type: "scim", client }`: the actor of every event of this request. */
  actor: Actor;
  requestId: string;
  request: Request;
  /** The decoded query string ("+" and %20 are both spaces). */
  query: URLSearchParams;
  /** `${APP_URL}/scim/v2/${organizationId}` */
  baseUrl: string;
  /** The parsed JSON body; 400 invalidSyntax when malformed, 413 when too large. */
  body(): Promise<unknown>;
}
