import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { logTransport } from "@/lib/email/transport";
import { deliverDueEmails } from "@/lib/email/worker";
import { invite, newOrganization } from "../support/onboarding";

const logLevel = process.env.LOG_LEVEL;

function captureStdout() {
  const lines: string[] = [];
  process.env.LOG_LEVEL = "info";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
  process.env.LOG_LEVEL = logLevel;
});

describe("delivery without SMTP", () => {
  it.each([
    ["production", false],
    ["development", true],
  ] as const)(
    "logs one line (%s: body included = %s) and keeps the email readable",
    async (environment, withBody) => {
      const org = await newOrganization();
      const { token } = await invite(org, `log.${environment}@example.com`);

      const lines = captureStdout();
      const pass = await deliverDueEmails({
        transport: logTransport(environment),
        organizationId: org.organization.id,
      });
      vi.restoreAllMocks();

      expect(pass).toMatchObject({ claimed: 1, sent: 1 });
      const logged = lines
        .map((line) => JSON.parse(line))
        .filter((line) => line.msg === "email not sent: SMTP_URL is not set");
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        to: `log.${environment}@example.com`,
        subject: "Join Acme",
      });
      expect(lines.join("").includes(token)).toBe(withBody);

      const [row] = await db()
        .select()
        .from(emailOutbox)
        .where(eq(emailOutbox.recipient, `log.${environment}@example.com`));
      expect(row.status).toBe("sent");
      expect(row.textBody).toContain(token);
    },
  );
});
