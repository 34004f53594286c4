import type { ScimClientName } from "@/lib/events";

/**
 * Which identity provider is calling: Okta's user agent starts with "Okta";
 * Entra sends an `Adscimversion` header, or names itself in the user agent.
 */
export function detectClient(headers: Headers): ScimClientName {
  const userAgent = headers.get("user-agent") ?? "";
  if (userAgent.startsWith("Okta")) return "Okta";
  if (headers.has("adscimversion") || /entra|azure/i.test(userAgent)) {
    return "Entra";
  }
  return "Unknown";
}
