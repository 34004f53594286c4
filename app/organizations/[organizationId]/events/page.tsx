import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { consoleAccess } from "@/lib/auth/console-access";

export const metadata: Metadata = { title: "Event log" };

export default async function Page({
  params,
}: {
  params: Promise<{ organizationId: string }>;
}) {
  const { organizationId } = await params;
  const { organization } = await consoleAccess(organizationId, {
    manage: true,
  });
  return <PageHeader title="Event log" description={organization.name} />;
}
