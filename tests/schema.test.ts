import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { violatedUniqueConstraint } from "@/db/errors";
import { groups, members, organizations } from "@/db/schema";

async function organization() {
  const [row] = await db()
    .insert(organizations)
    .values({ name: "Acme" })
    .returning();
  return row;
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return violatedUniqueConstraint(error);
  }
  return "no error";
}

describe("members constraints", () => {
  it.each([
    [
      "email",
      { email: "ADA@example.com", userName: "other" },
      "members_org_email_key",
    ],
    [
      "userName",
      { email: "x@example.com", userName: "ADA@EXAMPLE.COM" },
      "members_org_user_name_key",
    ],
    [
      "externalId",
      { email: "y@example.com", userName: "y", externalId: "ext-1" },
      "members_org_external_id_key",
    ],
  ])(
    "rejects a duplicate %s in one organization",
    async (_, duplicate, constraint) => {
      const org = await organization();
      await db().insert(members).values({
        organizationId: org.id,
        email: "ada@example.com",
        userName: "ada@example.com",
        externalId: "ext-1",
        status: "invited",
      });

      const violated = await rejection(
        db()
          .insert(members)
          .values({ organizationId: org.id, status: "invited", ...duplicate }),
      );
      expect(violated).toBe(constraint);
    },
  );

  it("allows the same email in two organizations", async () => {
    const [first, second] = [await organization(), await organization()];
    for (const org of [first, second]) {
      await db().insert(members).values({
        organizationId: org.id,
        email: "same@example.com",
        userName: "same@example.com",
        status: "invited",
      });
    }
  });
});

describe("groups constraints", () => {
  it("rejects a displayName that differs only in case", async () => {
    const org = await organization();
    await db()
      .insert(groups)
      .values({ organizationId: org.id, displayName: "Engineering" });

    const violated = await rejection(
      db()
        .insert(groups)
        .values({ organizationId: org.id, displayName: "ENGINEERING" }),
    );
    expect(violated).toBe("groups_org_display_name_key");
  });
});
