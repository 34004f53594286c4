import type { Metadata } from "next";
import { headers } from "next/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: {
    default: "Organization Console",
    template: "%s · Organization Console",
  },
  description:
    "Members, groups and SCIM provisioning for your organization's vault",
};

export default async function RootLayout({
  children,
}: {
  children: React.ReactNode;
}) {
  // Reading the request makes every page render per request, so each one
  // carries the nonce of its Content-Security-Policy (proxy.ts).
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        {children}
      </body>
    </html>
  );
}
