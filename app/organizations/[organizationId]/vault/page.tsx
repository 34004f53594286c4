import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { VaultClosed } from "@/components/vault/vault-closed";
import { VaultView } from "@/components/vault/vault-view";
import { consoleAccess } from "@/lib/auth/console-access";
import { groupChoices, vaultFor } from "@/lib/vault";

export const metadata: Metadata = { title: "Vault" };

// The vault is decided from the member row on every request, so revoking
// takes effect on the member's next load.
export const dynamic = "force-dynamic";

export default async function Page({
  params,
}: {
  params: Promise<{ organizationId: string }>;
}) {
  const { organizationId } = await params;
  const { account, organization } = await consoleAccess(organizationId);
  const vault = await vaultFor(account.id, organizationId);

  return (
    <>
      <PageHeader
        title="Vault"
        description={
          vault.access === "open"
            ? `Shared items of ${organization.name}, decrypted in this browser.`
            : organization.name
        }
      />
      {vault.access === "open" ? (
        <VaultView
          organizationId={organizationId}
          organizationKey={vault.organizationKey}
          canManage={vault.canManage}
          collections={vault.collections}
          groups={vault.canManage ? await groupChoices(organizationId) : []}
        />
      ) : (
        <VaultClosed access={vault.access} />
      )}
    </>
  );
}
