import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test, type Page, type Request } from "@playwright/test";
import postgres from "postgres";
import { decryptWithPrivateKey, fromBase64, toBase64 } from "../lib/crypto.ts";
import {
  createOrganization,
  newPerson,
  signUp,
  type Person,
} from "./support/accounts.ts";
import { captureScreens } from "./support/screens.ts";
import { e2eState, mailboxUrl } from "./support/state.ts";

const root = path.resolve(import.meta.dirname, "..");
const privateKeyStorage = "scim-console.private-key";

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

async function waitForMail(to: string, subject: RegExp): Promise<Mail> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${mailboxUrl}/?to=${encodeURIComponent(to)}`);
    const found = ((await response.json()) as Mail[]).find((mail) =>
      subject.test(mail.subject),
    );
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no email to ${to} matching ${subject}`);
}

function adminCli(...args: string[]) {
  const run = spawnSync("npm", ["run", "--silent", "admin", "--", ...args], {
    cwd: root,
    env: { ...process.env, ...e2eState() },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`admin ${args[0]}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Every body the browser sends, to check afterwards what the server saw. */
function recordBodies(page: Page, bodies: string[]) {
  page.on("request", (request: Request) => {
    const body = request.postDataBuffer();
    if (body) bodies.push(body.toString("utf8"));
  });
}

async function privateKeyOf(page: Page): Promise<string> {
  const key = await page.evaluate(
    (name) => sessionStorage.getItem(name),
    privateKeyStorage,
  );
  expect(key, "the private key is unlocked in the tab").toBeTruthy();
  return key!;
}

test.describe("member onboarding", () => {
  test("invites over SCIM, accepts, confirms, opens the vault, revokes and restores", async ({
    browser,
    page: ownerPage,
    request,
  }) => {
    const state = e2eState();
    test.skip(
      !state.DATABASE_URL,
      "enabling SCIM needs the admin CLI, which cannot open the embedded database while the app runs; set TEST_DATABASE_URL",
    );
    test.setTimeout(240_000);
    const sql = postgres(state.DATABASE_URL, { max: 1, onnotice: () => {} });
    const bodies: string[] = [];
    recordBodies(ownerPage, bodies);

    try {
      // The owner signs up and creates the organization.
      const owner: Person = newPerson("Olivia Owner");
      await signUp(ownerPage, owner);
      await expect(ownerPage).toHaveURL(/\/organizations$/);
      const organizationId = await createOrganization(ownerPage, "Acme Vault");
      const { scimUrl, apiKey } = adminCli(
        "enable-scim",
        "--org",
        organizationId,
      );
      expect(scimUrl).toBe(`${state.APP_URL}/scim/v2/${organizationId}`);

      const scim = async (method: string, resource: string, body?: object) => {
        const response = await request.fetch(`${scimUrl}/${resource}`, {
          method,
          headers: {
            Authorization: `Bearer ${apiKey}`,
            "Content-Type": "application/scim+json; charset=utf-8",
            Accept: "application/scim+json",
            "User-Agent": "Okta SCIM Client 1.0.0",
          },
          data: body ? JSON.stringify(body) : undefined,
        });
        return {
          status: response.status(),
          body: await response.json().catch(() => undefined),
        };
      };

      // Okta pushes a user, exactly as it sends one.
      const member: Person = newPerson("Mia Member");
      const provisionedAt = Date.now();
      const created = await scim("POST", "Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: member.email,
        name: { givenName: "Mia", familyName: "Member" },
        emails: [{ primary: true, value: member.email, type: "work" }],
        displayName: "Mia Member",
        locale: "en-US",
        externalId: "00u1mia2member3okta",
        groups: [],
        password: "Okta-generated-Passw0rd",
        active: true,
      });
      expect(created.status).toBe(201);
      const memberId: string = created.body.id;

      const invitation = await waitForMail(member.email, /^Join Acme Vault$/);
      const deliveryMs = Date.now() - provisionedAt;
      console.info(
        `invitation delivered over SMTP ${deliveryMs} ms after the SCIM POST`,
      );
      expect(invitation.to).toEqual([member.email]);
      const link = invitation.text.match(
        /http:\/\/\S+\/invite\/[0-9a-f-]{36}\?token=[\w-]+/,
      )?.[0];
      expect(link).toContain(`/invite/${memberId}?token=`);

      // Signed in as someone else, the link refuses clearly.
      await ownerPage.goto(link!);
      await expect(
        ownerPage.getByRole("heading", {
          name: "This invitation is for someone else",
        }),
      ).toBeVisible();
      await expect(
        ownerPage.getByRole("button", { name: "Sign out and continue" }),
      ).toBeVisible();
      await captureScreens(ownerPage, "invite-wrong-account");

      // A tampered link.
      const stranger = await browser.newPage();
      await stranger.goto(link!.replace(/token=(.)/, "token=x$1").slice(0, -1));
      await expect(
        stranger.getByRole("heading", {
          name: "This invitation link does not work",
        }),
      ).toBeVisible();
      await captureScreens(stranger, "invite-invalid");

      // The member opens the link in a browser of their own and signs up.
      const memberContext = await browser.newContext();
      const memberPage = await memberContext.newPage();
      recordBodies(memberPage, bodies);
      await memberPage.goto(link!);
      await expect(
        memberPage.getByRole("heading", { name: "Join Acme Vault" }),
      ).toBeVisible();
      await expect(
        memberPage.getByText(`You were invited as ${member.email}`),
      ).toBeVisible();
      const emailField = memberPage.getByLabel("Email address");
      await expect(emailField).toHaveValue(member.email);
      await expect(emailField).toHaveAttribute("readonly", "");
      await captureScreens(memberPage, "invite-signup");

      await memberPage.getByLabel("Name", { exact: true }).fill(member.name);
      await memberPage
        .getByLabel("Master password", { exact: true })
        .fill(member.password);
      await memberPage
        .getByLabel("Confirm master password")
        .fill(member.password);
      await memberPage.getByRole("button", { name: "Create account" }).click();
      await expect(
        memberPage.getByRole("button", { name: "Accept invitation" }),
      ).toBeVisible();
      await captureScreens(memberPage, "invite-accept");
      await memberPage
        .getByRole("button", { name: "Accept invitation" })
        .click();
      await expect(
        memberPage.getByRole("heading", { name: "Invitation accepted" }),
      ).toBeVisible();
      const memberPhrase = await memberPage
        .getByTestId("fingerprint-phrase")
        .innerText();
      expect(memberPhrase.split("-")).toHaveLength(5);
      await captureScreens(memberPage, "invite-accepted");

      // The used link, opened again without an account.
      await stranger.goto(link!);
      await expect(
        stranger.getByRole("heading", {
          name: "This invitation was already accepted",
        }),
      ).toBeVisible();
      await captureScreens(stranger, "invite-used");
      await stranger.close();

      await memberPage.goto("/account");
      await expect(memberPage.getByTestId("fingerprint-phrase")).toHaveText(
        memberPhrase,
      );
      await captureScreens(memberPage, "account");

      await memberPage.goto(`/organizations/${organizationId}/vault`);
      await expect(
        memberPage.getByText("Waiting for an administrator"),
      ).toBeVisible();
      await captureScreens(memberPage, "vault-awaiting-confirmation");

      // The owner is told, and confirms after comparing the phrase.
      await waitForMail(owner.email, /needs confirmation in Acme Vault/);
      await ownerPage.goto(`/organizations/${organizationId}/members`);
      const row = ownerPage.getByRole("row").filter({ hasText: member.email });
      await expect(row.getByText("Needs confirmation")).toBeVisible();
      await row.getByRole("button", { name: "Confirm" }).click();
      const dialog = ownerPage.getByRole("dialog", {
        name: /Confirm Mia Member|Confirm .*@/,
      });
      await expect(dialog.getByTestId("fingerprint-phrase")).toHaveText(
        memberPhrase,
      );
      await captureScreens(ownerPage, "confirm-dialog");
      await dialog
        .getByRole("button", { name: "Phrase matches, confirm" })
        .click();
      await expect(dialog).toBeHidden();
      await expect(row.getByText("Needs confirmation")).toBeHidden();
      await waitForMail(member.email, /You now have access to Acme Vault/);

      // Okta pushes a group with the member; the owner grants it a collection.
      const group = await scim("POST", "Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: "Engineering",
        members: [{ value: memberId, display: member.email }],
      });
      expect(group.status).toBe(201);

      await ownerPage.goto(`/organizations/${organizationId}/vault`);
      await expect(ownerPage.getByText(/No collections yet/)).toBeVisible();
      await ownerPage.getByRole("button", { name: "New collection" }).click();
      await ownerPage.getByLabel("Collection name").fill("Servers");
      await ownerPage.getByLabel("Engineering").check();
      await captureScreens(ownerPage, "vault-new-collection");
      await ownerPage
        .getByRole("button", { name: "Create collection" })
        .click();
      await expect(
        ownerPage.getByText('Collection "Servers" created.'),
      ).toBeVisible();
      await expect(
        ownerPage.getByRole("heading", { name: "Servers" }),
      ).toBeVisible();

      const itemPassword = "S3cret-pa55word!-x9";
      await ownerPage.getByRole("button", { name: "New item" }).click();
      await ownerPage.getByLabel("Item name").fill("Production database");
      await ownerPage.getByLabel("Username").fill("dbadmin");
      await ownerPage
        .getByLabel("Password", { exact: true })
        .fill(itemPassword);
      await ownerPage.getByLabel("Note").fill("Rotate every month.");
      await captureScreens(ownerPage, "vault-new-item");
      await ownerPage.getByRole("button", { name: "Save item" }).click();
      await expect(
        ownerPage.getByText('Item "Production database" saved.'),
      ).toBeVisible();
      await expect(
        ownerPage.getByRole("heading", { name: "Production database" }),
      ).toBeVisible();
      await captureScreens(ownerPage, "vault-owner");

      // The member reads it, decrypted in their browser.
      await memberPage.goto(`/organizations/${organizationId}/vault`);
      await expect(
        memberPage.getByRole("heading", { name: "Servers" }),
      ).toBeVisible();
      await expect(
        memberPage.getByRole("heading", { name: "Production database" }),
      ).toBeVisible();
      await expect(memberPage.getByText("dbadmin")).toBeVisible();
      await expect(memberPage.getByText(itemPassword)).toHaveCount(0);
      await memberPage.getByRole("button", { name: "Reveal" }).click();
      await expect(memberPage.getByText(itemPassword)).toBeVisible();
      await expect(memberPage.getByText("Rotate every month.")).toBeVisible();
      await captureScreens(memberPage, "vault-member");

      // Okta deactivates the user: the member's next load has nothing.
      const patchActive = (active: boolean) =>
        scim("PATCH", `Users/${memberId}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", value: { active } }],
        });
      expect((await patchActive(false)).status).toBe(200);
      const revoked = await memberPage.reload();
      const revokedHtml = (await revoked?.text()) ?? "";
      await expect(
        memberPage.getByText("Your access has been revoked").first(),
      ).toBeVisible();
      await expect(memberPage.getByText("Production database")).toHaveCount(0);
      expect(revokedHtml).not.toMatch(/a1\.[\w-]{16}\.|r1\.[\w-]{300}/);
      await captureScreens(memberPage, "vault-revoked");

      expect((await patchActive(true)).status).toBe(200);
      await memberPage.reload();
      await expect(
        memberPage.getByRole("heading", { name: "Production database" }),
      ).toBeVisible();

      // What the server received never held a key or a password in the clear.
      const ownerPrivateKey = await privateKeyOf(ownerPage);
      const memberPrivateKey = await privateKeyOf(memberPage);
      const [{ organization_key: ownerCopy }] = await sql<
        { organization_key: string }[]
      >`select organization_key from members where organization_id = ${organizationId} and role = 'owner'`;
      const organizationKey = await decryptWithPrivateKey(
        ownerCopy,
        fromBase64(ownerPrivateKey),
      );
      const [{ organization_key: memberCopy }] = await sql<
        { organization_key: string }[]
      >`select organization_key from members where id = ${memberId}`;
      expect(
        toBase64(
          await decryptWithPrivateKey(memberCopy, fromBase64(memberPrivateKey)),
        ),
      ).toBe(toBase64(organizationKey));

      const secrets: Record<string, string> = {
        "owner's master password": owner.password,
        "member's master password": member.password,
        "owner's private key": ownerPrivateKey,
        "member's private key": memberPrivateKey,
        "owner's private key (base64)": Buffer.from(
          fromBase64(ownerPrivateKey),
        ).toString("base64"),
        "organization key (base64url)": toBase64(organizationKey),
        "organization key (base64)":
          Buffer.from(organizationKey).toString("base64"),
        "organization key (hex)": Buffer.from(organizationKey).toString("hex"),
        "organization key (bytes)": JSON.stringify(Array.from(organizationKey)),
        "item password": itemPassword,
      };
      expect(bodies.length).toBeGreaterThan(10);
      expect(
        bodies.some((body) => body.includes(memberCopy.slice(0, 60))),
      ).toBe(true);
      for (const [what, secret] of Object.entries(secrets)) {
        const leaks = bodies.filter(
          (body) => body.includes(secret) || body.includes(secret.slice(0, 32)),
        );
        expect(leaks, `${what} was sent to the server`).toEqual([]);
      }

      await memberContext.close();
    } finally {
      await sql.end();
    }
  });

  test("the development mail page does not exist in production", async ({
    request,
  }) => {
    expect((await request.get("/dev/mail")).status()).toBe(404);
  });
});
