import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { consoleAccess } from "@/lib/auth/console-access";

export const metadata: Metadata = { title: "Vault" };

export default async function Page({
  params,
}: {
  params: Promise<{ organizationId: string }>;
}) {
  const { organizationId } = await params;
  const { organization } = await consoleAccess(organizationId);
  return <PageHeader title="Vault" description={organization.name} />;
}
