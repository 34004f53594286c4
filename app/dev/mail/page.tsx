import type { Metadata } from "next";
import { desc } from "drizzle-orm";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { db } from "@/db/client";
import { emailOutbox } from "@/db/schema";

export const metadata: Metadata = { title: "Development mail" };
export const dynamic = "force-dynamic";

const statusStyles = {
  pending: "bg-amber-100 text-amber-900",
  sent: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
};

/** Plain text with its http(s) links made clickable. */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a
            key={index}
            href={part}
            className="break-all text-blue-700 underline"
          >
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * The outbox, newest first, for local development without a mail server.
 * Invitation links hold live tokens, so the page does not exist in production.
 */
export default async function DevMailPage() {
  if (process.env.NODE_ENV === "production") notFound();

  const emails = await db()
    .select()
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.createdAt))
    .limit(100);

  return (
    <main className="mx-auto max-w-4xl px-4 py-10">
      <h1 className="text-2xl font-semibold">Development mail</h1>
      <p className="mt-1 mb-6 text-sm text-slate-600">
        The newest 100 emails in the outbox. This page exists only in
        development; with SMTP_URL set they are also sent.
      </p>
      {emails.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
          No emails yet. Invite a member to see one here.
        </p>
      ) : (
        <ol className="space-y-4">
          {emails.map((email) => (
            <li
              key={email.id}
              className="rounded-lg border border-slate-200 bg-white p-4"
            >
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <h2 className="font-medium break-words">{email.subject}</h2>
                  <p className="text-sm break-all text-slate-600">
                    To {email.recipient} ·{" "}
                    {email.createdAt
                      .toISOString()
                      .replace("T", " ")
                      .slice(0, 19)}{" "}
                    UTC · {email.kind}
                  </p>
                </div>
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusStyles[email.status]}`}
                >
                  {email.status}
                  {email.attempts > 1 ? ` · ${email.attempts} attempts` : ""}
                </span>
              </div>
              {email.lastError ? (
                <p className="mt-2 text-sm text-red-700">
                  Last error: {email.lastError}
                </p>
              ) : null}
              <pre className="mt-3 font-sans text-sm whitespace-pre-wrap text-slate-800">
                <Linked text={email.textBody} />
              </pre>
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}
