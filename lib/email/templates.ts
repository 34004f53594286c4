/** The product's emails, each as plain text and HTML. */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function layout(paragraphs: string[], action?: { label: string; url: string }) {
  const body = paragraphs
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`)
    .join("");
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(action.label)}</a></p><p style="margin:0 0 16px;color:#555;font-size:13px">Or paste this link into your browser: ${escapeHtml(action.url)}</p>`
    : "";
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111;max-width:560px;margin:0 auto;padding:24px">${body}${button}</body></html>`;
}

function formatDate(date: Date): string {
  return date.toUTCString().replace(/:\d\d GMT$/, " UTC");
}

export function invitationEmail(input: {
  organizationName: string;
  link: string;
  expiresAt: Date;
}): RenderedEmail {
  const lines = [
    `You have been invited to join ${input.organizationName}.`,
    "Open the link to create your account, or sign in with the account you have, and accept the invitation.",
    `The link works once and expires on ${formatDate(input.expiresAt)}.`,
  ];
  return {
    subject: `Join ${input.organizationName}`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n`,
    html: layout(lines, { label: "Accept invitation", url: input.link }),
  };
}

export function memberAcceptedEmail(input: {
  organizationName: string;
  memberEmail: string;
  link: string;
}): RenderedEmail {
  const lines = [
    `${input.memberEmail} accepted the invitation to ${input.organizationName}.`,
    "Confirm them in the Admin Console to give them access to the organization's vault. Compare their fingerprint phrase before you do.",
  ];
  return {
    subject: `${input.memberEmail} needs confirmation in ${input.organizationName}`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n`,
    html: layout(lines, { label: "Review members", url: input.link }),
  };
}

export function memberConfirmedEmail(input: {
  organizationName: string;
  link: string;
}): RenderedEmail {
  const lines = [
    `An administrator of ${input.organizationName} confirmed your membership.`,
    "You can now open the organization's vault.",
  ];
  return {
    subject: `You now have access to ${input.organizationName}`,
    text: `${lines.join("\n\n")}\n\n${input.link}\n`,
    html: layout(lines, { label: "Open the vault", url: input.link }),
  };
}
