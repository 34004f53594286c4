import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { ProviderGuide } from "@/components/settings/provider-guide";
import { ScimCredentials } from "@/components/settings/scim-credentials";
import { ScimSettingsForm } from "@/components/settings/scim-settings-form";
import { consoleAccess } from "@/lib/auth/console-access";
import { timeAgo } from "@/lib/console/relative-time";
import { scimSettings } from "@/lib/console/scim-settings";

export const metadata: Metadata = { title: "SCIM provisioning" };

const clientNames: Record<string, string> = {
  Okta: "Okta",
  Entra: "Microsoft Entra ID",
  Unknown: "an unrecognised SCIM client",
};

export default async function Page({
  params,
}: {
  params: Promise<{ organizationId: string }>;
}) {
  const { organizationId } = await params;
  const { account, organization } = await consoleAccess(organizationId, {
    manage: true,
  });
  const settings = await scimSettings(account, organizationId);

  const lastRequest = settings.lastRequestAt
    ? `${clientNames[settings.lastRequestClient ?? "Unknown"] ?? settings.lastRequestClient}, ${timeAgo(settings.lastRequestAt)}`
    : "No requests yet";

  return (
    <>
      <PageHeader
        title="SCIM provisioning"
        description={`${organization.name} · Connect Okta or Microsoft Entra ID to create, update and deactivate members and groups automatically.`}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-6">
          <ScimSettingsForm
            organizationId={organizationId}
            enabled={settings.enabled}
            sendInvitations={settings.sendInvitations}
          />

          {settings.enabled ? (
            <section
              aria-labelledby="credentials-heading"
              className="rounded-lg border border-slate-200 bg-white p-5"
            >
              <h2
                id="credentials-heading"
                className="mb-4 text-base font-semibold"
              >
                Connection details
              </h2>
              <ScimCredentials
                organizationId={organizationId}
                scimUrl={settings.scimUrl}
              />
              <dl className="mt-5 grid gap-x-4 gap-y-1 border-t border-slate-200 pt-4 text-sm sm:grid-cols-[auto_1fr]">
                <dt className="font-medium text-slate-700">
                  Last SCIM request
                </dt>
                <dd className="text-slate-900" data-testid="last-scim-request">
                  {settings.lastRequestAt ? (
                    <time
                      dateTime={settings.lastRequestAt.toISOString()}
                      title={settings.lastRequestAt.toISOString()}
                    >
                      {lastRequest}
                    </time>
                  ) : (
                    lastRequest
                  )}
                </dd>
                {settings.apiKeyRotatedAt ? (
                  <>
                    <dt className="font-medium text-slate-700">Key created</dt>
                    <dd className="text-slate-900">
                      <time dateTime={settings.apiKeyRotatedAt.toISOString()}>
                        {timeAgo(settings.apiKeyRotatedAt)}
                      </time>
                    </dd>
                  </>
                ) : null}
              </dl>
            </section>
          ) : (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-5 text-sm text-slate-700">
              Tick <strong>Enable SCIM</strong> and save to get the SCIM URL and
              the API key to paste into your identity provider.
            </p>
          )}
        </div>
        <ProviderGuide
          scimUrl={settings.enabled ? settings.scimUrl : undefined}
        />
      </div>
    </>
  );
}
