import { expect, test, type Page } from "@playwright/test";
import {
  createOrganization,
  enableScim,
  newPerson,
  signUp,
  type Person,
} from "./support/accounts.ts";
import { captureScreens } from "./support/screens.ts";

const oktaAgent = "Okta SCIM Client 1.0.0";

async function scim(
  page: Page,
  organizationId: string,
  apiKey: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
) {
  const baseURL = new URL(page.url()).origin;
  return fetch(`${baseURL}/scim/v2/${organizationId}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/scim+json",
      "user-agent": oktaAgent,
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
}

async function provision(
  page: Page,
  organizationId: string,
  apiKey: string,
  people: { email: string; given: string; family: string }[],
) {
  for (const person of people) {
    const response = await scim(page, organizationId, apiKey, "/Users", {
      method: "POST",
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: person.email,
        name: { givenName: person.given, familyName: person.family },
        displayName: `${person.given} ${person.family}`,
        emails: [{ value: person.email, type: "work", primary: true }],
        active: true,
      },
    });
    expect(response.status).toBe(201);
  }
}

/** Signs up and waits until the account is signed in. */
async function newAccount(page: Page, name: string): Promise<Person> {
  const person = newPerson(name);
  await signUp(page, person);
  await expect(page).toHaveURL(/\/organizations$/);
  return person;
}

function row(page: Page, text: string) {
  return page.getByRole("row").filter({ hasText: text });
}

test.describe("Settings → SCIM provisioning", () => {
  test("enables SCIM, reveals the key only with the master password, and rotates it", async ({
    page,
  }) => {
    const owner = await newAccount(page, "Ada Lovelace");
    const organizationId = await createOrganization(page, "Analytical Engines");

    await expect(
      page.getByText("You are the only member so far"),
    ).toBeVisible();
    await captureScreens(page, "console-members-empty");
    await page.getByRole("link", { name: "Connect Okta" }).click();
    await expect(page).toHaveURL(/\/settings\/scim$/);
    await expect(page.getByText("Tick Enable SCIM and save")).toBeVisible();
    await captureScreens(page, "console-scim-off");

    await page.getByLabel("Enable SCIM").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("toast")).toContainText(
      "SCIM settings saved",
    );
    await expect(page.getByLabel("SCIM URL", { exact: true })).toHaveValue(
      new RegExp(`/scim/v2/${organizationId}$`),
    );
    await expect(page.getByTestId("last-scim-request")).toHaveText(
      "No requests yet",
    );
    await expect(page.getByLabel("API key", { exact: true })).toHaveValue(
      /^scim_•+$/,
    );

    // A wrong master password: a clear error, and no key.
    await page.getByRole("button", { name: "Show API key" }).click();
    const reveal = page.getByRole("dialog", { name: "Show the API key" });
    await reveal.getByLabel("Master password").fill("not my password at all");
    await reveal.getByRole("button", { name: "Show key" }).click();
    await expect(reveal.getByRole("alert")).toContainText(
      "That master password is not right",
    );
    await captureScreens(page, "console-scim-wrong-password");

    await reveal.getByLabel("Master password").fill(owner.password);
    await reveal.getByRole("button", { name: "Show key" }).click();
    await expect(reveal).toBeHidden();
    const apiKey = await page
      .getByLabel("API key", { exact: true })
      .inputValue();
    expect(apiKey).toMatch(/^scim_[A-Za-z0-9_-]{40,}$/);

    expect((await scim(page, organizationId, apiKey, "/Users")).status).toBe(
      200,
    );
    await page.reload();
    await expect(page.getByTestId("last-scim-request")).toHaveText(
      "Okta, just now",
    );
    await captureScreens(page, "console-scim-on");

    // Rotation: a warning first, then the new key once; the old one is dead.
    await page.getByRole("button", { name: "Rotate" }).click();
    const rotate = page.getByRole("dialog", {
      name: "Rotate the SCIM API key?",
    });
    await expect(rotate).toContainText(
      "Current integrations stop working until you update the key",
    );
    await captureScreens(page, "console-scim-rotate-warning");
    await rotate.getByLabel("Master password").fill(owner.password);
    await rotate.getByRole("button", { name: "Rotate key" }).click();
    await expect(page.getByTestId("toast")).toContainText(
      "SCIM API key rotated",
    );
    const shown = page.getByRole("dialog", { name: "New SCIM API key" });
    const newKey = await shown.getByLabel("New API key").inputValue();
    expect(newKey).toMatch(/^scim_/);
    expect(newKey).not.toBe(apiKey);
    await captureScreens(page, "console-scim-new-key");
    await shown.getByRole("button", { name: "Done" }).click();

    expect((await scim(page, organizationId, apiKey, "/Users")).status).toBe(
      401,
    );
    expect((await scim(page, organizationId, newKey, "/Users")).status).toBe(
      200,
    );

    // The invitations switch is saved with the form.
    const invitations = page.getByRole("switch", {
      name: "Send invitations when members are provisioned",
    });
    await expect(invitations).toHaveAttribute("aria-checked", "true");
    await invitations.click();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("toast").last()).toContainText(
      "SCIM settings saved",
    );
    await page.reload();
    await expect(invitations).toHaveAttribute("aria-checked", "false");

    // Escape closes a dialog, and keyboard focus returns to the page.
    await page.getByRole("button", { name: "Show API key" }).focus();
    await page.keyboard.press("Enter");
    await expect(
      page.getByRole("dialog", { name: "Show the API key" }),
    ).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(
      page.getByRole("dialog", { name: "Show the API key" }),
    ).toBeHidden();
  });

  test("is not found for people who do not manage the organization", async ({
    page,
    browser,
  }) => {
    await newAccount(page, "Grace Hopper");
    const organizationId = await createOrganization(page, "Compilers Inc");

    const other = await browser.newContext();
    const stranger = await other.newPage();
    await newAccount(stranger, "Alan Turing");
    for (const path of [
      "settings/scim",
      "members",
      "groups",
      "events",
      "events/export",
    ]) {
      const response = await stranger.goto(
        `/organizations/${organizationId}/${path}`,
      );
      expect(response?.status(), path).toBe(404);
    }
    await other.close();

    const anonymous = await fetch(
      `${new URL(page.url()).origin}/organizations/${organizationId}/events/export`,
    );
    expect(anonymous.status).toBe(401);
  });
});

test.describe("Members", () => {
  test("invites, searches, acts on one member and on a selection", async ({
    page,
  }) => {
    const owner = await newAccount(page, "Katherine Johnson");
    const organizationId = await createOrganization(page, "Orbital Mechanics");
    const { apiKey } = await enableScim(page, organizationId, owner);
    const tag = Date.now().toString(36);
    const provisioned = [
      {
        email: `dorothy.${tag}@example.com`,
        given: "Dorothy",
        family: "Vaughan",
      },
      { email: `mary.${tag}@example.com`, given: "Mary", family: "Jackson" },
      {
        email: `christine.${tag}@example.com`,
        given: "Christine",
        family: "Darden",
      },
    ];
    await provision(page, organizationId, apiKey, provisioned);

    await page.goto(`/organizations/${organizationId}/members`);
    await expect(row(page, provisioned[0].email)).toContainText("SCIM");
    await expect(row(page, provisioned[0].email)).toContainText("Invited");
    await expect(
      page.getByRole("link", { name: /^Invited\s*3$/ }),
    ).toBeVisible();

    // The Invite member dialog: validation, then an invitation.
    await page.getByRole("button", { name: "Invite member" }).click();
    const invite = page.getByRole("dialog", { name: "Invite member" });
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(invite.getByRole("alert")).toContainText(
      "Enter the email address to invite",
    );
    await invite.getByLabel("Email address").fill("not-an-email");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(invite.getByRole("alert")).toContainText(
      "Enter a valid email address",
    );
    await captureScreens(page, "console-invite-dialog");
    const invitee = `evelyn.${tag}@example.com`;
    await invite.getByLabel("Email address").fill(invitee);
    await invite.getByLabel("Role").selectOption("admin");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByTestId("toast")).toContainText(
      `Invitation sent to ${invitee}`,
    );
    await expect(row(page, invitee)).toContainText("Invited");
    await expect(
      row(page, invitee).getByLabel(`Role of ${invitee}`),
    ).toHaveValue("admin");
    await captureScreens(page, "console-members");

    // Search by the start of a name.
    await page.getByLabel("Search members").fill("vaug");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("1 member matches “vaug”")).toBeVisible();
    await expect(row(page, provisioned[0].email)).toBeVisible();
    await expect(row(page, provisioned[1].email)).toHaveCount(0);
    await captureScreens(page, "console-members-search");
    await page.getByRole("link", { name: "Clear" }).click();

    // One member: revoke, then restore from the Revoked tab.
    await page
      .getByRole("button", { name: `Revoke ${provisioned[0].email}` })
      .click();
    await expect(page.getByTestId("toast").last()).toContainText(
      `${provisioned[0].email}: revoked.`,
    );
    await page.getByRole("link", { name: /^Revoked\s*1$/ }).click();
    await expect(row(page, provisioned[0].email)).toContainText("Revoked");
    await page
      .getByRole("button", { name: `Restore ${provisioned[0].email}` })
      .click();
    await expect(page.getByTestId("toast").last()).toContainText("restored");
    await page.getByRole("link", { name: /^All/ }).click();

    await page
      .getByRole("button", {
        name: `Resend invitation ${provisioned[1].email}`,
      })
      .click();
    await expect(page.getByTestId("toast").last()).toContainText(
      "invitation resent",
    );

    // A role change.
    await row(page, provisioned[2].email)
      .getByLabel(`Role of ${provisioned[2].email}`)
      .selectOption("admin");
    await expect(page.getByTestId("toast").last()).toContainText(
      `${provisioned[2].email} now has the admin role.`,
    );

    // A selection with the owner in it: the others are revoked, the owner skipped.
    await page.getByLabel("Select every member on this page").check();
    await expect(page.getByText("5 selected")).toBeVisible();
    await captureScreens(page, "console-members-selection");
    await page.getByRole("button", { name: "Revoke (5)" }).click();
    await expect(page.getByTestId("toast").last()).toContainText(
      "4 revoked, 1 skipped: you cannot revoke yourself",
    );
    await expect(
      page.getByRole("link", { name: /^Revoked\s*4$/ }),
    ).toBeVisible();

    await page.getByRole("link", { name: /^Revoked/ }).click();
    await page.getByLabel("Select every member on this page").check();
    await page.getByRole("button", { name: "Restore (4)" }).click();
    await expect(page.getByTestId("toast").last()).toContainText("4 restored");

    // Remove asks first.
    await page.getByRole("link", { name: /^All/ }).click();
    await page.getByLabel(`Select ${invitee}`).check();
    await page.getByLabel(`Select ${provisioned[1].email}`).check();
    await page.getByRole("button", { name: "Remove (2)" }).click();
    const remove = page.getByRole("dialog", { name: "Remove 2 members?" });
    await expect(remove).toContainText("identity provider");
    await captureScreens(page, "console-members-remove");
    await remove.getByRole("button", { name: "Remove 2 members" }).click();
    await expect(page.getByTestId("toast").last()).toContainText("2 removed");
    await expect(row(page, invitee)).toHaveCount(0);
  });
});

test.describe("Groups", () => {
  test("creates, fills, renames and deletes groups; marks SCIM groups", async ({
    page,
  }) => {
    const owner = await newAccount(page, "Barbara Liskov");
    const organizationId = await createOrganization(page, "Abstractions");
    const { apiKey } = await enableScim(page, organizationId, owner);
    const tag = Date.now().toString(36);
    const member = {
      email: `radia.${tag}@example.com`,
      given: "Radia",
      family: "Perlman",
    };
    await provision(page, organizationId, apiKey, [member]);
    const pushed = await scim(page, organizationId, apiKey, "/Groups", {
      method: "POST",
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: "Okta Engineers",
      },
    });
    expect(pushed.status).toBe(201);

    await page.goto(`/organizations/${organizationId}/groups`);
    await expect(row(page, "Okta Engineers")).toContainText("Managed by SCIM");
    await page.getByRole("button", { name: "Create group" }).click();
    await expect(page.getByText("Enter a name for the group")).toBeVisible();
    await page.getByLabel("New group name").fill("=Researchers");
    await page.getByRole("button", { name: "Create group" }).click();
    await expect(page.getByTestId("toast").last()).toContainText(
      "Group “=Researchers” created.",
    );
    await expect(row(page, "=Researchers")).toContainText("0");
    await captureScreens(page, "console-groups");

    await page.getByRole("link", { name: "=Researchers" }).click();
    await page
      .getByLabel("Add members by email")
      .fill(`${member.email}, ${owner.email}, nobody.${tag}@example.com`);
    await page.getByRole("button", { name: "Add to group" }).click();
    await expect(page.getByTestId("toast").last()).toContainText(
      `2 added; not members of the organization (invite them first): nobody.${tag}@example.com`,
    );
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "=Researchers",
    );
    await expect(page.getByText("2 members")).toBeVisible();
    await captureScreens(page, "console-group");

    await page
      .getByRole("button", { name: `Remove ${member.email} from the group` })
      .click();
    await expect(page.getByTestId("toast").last()).toContainText(
      `${member.email} removed from the group.`,
    );
    await page.getByLabel("Group name").fill("Research");
    await page.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByTestId("toast").last()).toContainText(
      "Group renamed to “Research”.",
    );
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Research",
    );

    await page.goto(`/organizations/${organizationId}/members`);
    await expect(row(page, owner.email)).toContainText("Research");

    await page.goto(`/organizations/${organizationId}/groups`);
    await page.getByRole("link", { name: "Okta Engineers" }).click();
    await expect(
      page.getByText("may overwrite changes you make here"),
    ).toBeVisible();
    await captureScreens(page, "console-group-scim");
    await page.getByRole("button", { name: "Delete group" }).click();
    const dialog = page.getByRole("dialog", {
      name: "Delete “Okta Engineers”?",
    });
    await expect(dialog).toContainText("may create it again");
    await dialog.getByRole("button", { name: "Delete group" }).click();
    await expect(page).toHaveURL(
      new RegExp(`/organizations/${organizationId}/groups$`),
    );
    await expect(page.getByTestId("toast").last()).toContainText(
      "Group “Okta Engineers” deleted.",
    );
    await expect(row(page, "Okta Engineers")).toHaveCount(0);
  });
});

test.describe("Event log", () => {
  test("filters by type and date and exports the filtered events as CSV", async ({
    page,
  }) => {
    const owner = await newAccount(page, "Frances Allen");
    const organizationId = await createOrganization(page, "Optimizers");
    const { apiKey } = await enableScim(page, organizationId, owner);
    const tag = Date.now().toString(36);
    await provision(page, organizationId, apiKey, [
      { email: `=cmd.${tag}@example.com`, given: "Formula", family: "Person" },
    ]);
    await page.goto(`/organizations/${organizationId}/groups`);
    await page.getByLabel("New group name").fill("+Danger");
    await page.getByRole("button", { name: "Create group" }).click();
    await expect(page.getByTestId("toast").last()).toContainText("created");

    await page.goto(`/organizations/${organizationId}/events`);
    await expect(row(page, "Created the organization")).toContainText(
      owner.name,
    );
    await expect(row(page, "Provisioned a member")).toContainText(
      "SCIM (Okta)",
    );
    await expect(row(page, "Revealed the SCIM API key")).toBeVisible();
    await captureScreens(page, "console-events");

    await page
      .getByLabel("Event", { exact: true })
      .selectOption("group.created");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/type=group.created/);
    await expect(page.getByRole("row")).toHaveCount(2);
    await expect(row(page, "Created a group")).toContainText("+Danger");

    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel("From", { exact: true }).fill("2000-01-01");
    await page.getByLabel("To", { exact: true }).fill("2000-01-31");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByText("No events match these filters")).toBeVisible();
    await page.getByLabel("From", { exact: true }).fill(today);
    await page.getByLabel("To", { exact: true }).fill("2000-01-01");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByRole("alert").first()).toContainText(
      "The From date is after the To date",
    );
    await page.getByLabel("To", { exact: true }).fill(today);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(row(page, "Created a group")).toBeVisible();
    await captureScreens(page, "console-events-filtered");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      /^event-log-\d{4}-\d{2}-\d{2}\.csv$/,
    );

    const csv = await page.request.get(
      `/organizations/${organizationId}/events/export?type=group.created&from=${today}&to=${today}`,
    );
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"Time (UTC)","Actor","Event","Event type","Target","Target type","Target id","Details"',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'+Danger"`);

    const all = await (
      await page.request.get(`/organizations/${organizationId}/events/export`)
    ).text();
    expect(all).toContain(`"'=cmd.${tag}@example.com"`);
    expect(all).toContain('"SCIM (Okta)","Provisioned a member"');
  });
});
