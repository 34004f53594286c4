import { expect, test } from "@playwright/test";
import {
  alertMessage,
  createOrganization,
  newPerson,
  signIn,
  signOut,
  signUp,
  signUpAndWait,
} from "./support/accounts.ts";
import { captureScreens } from "./support/screens.ts";

test.describe("accounts and organizations", () => {
  test("signs up, signs out, and signs in only with the right password", async ({
    page,
  }) => {
    const person = newPerson();

    await page.goto("/signup");
    await captureScreens(page, "signup");
    await signUpAndWait(page, person);
    await expect(page.getByText(`Signed in as ${person.email}`)).toBeVisible();
    await captureScreens(page, "organizations-empty");

    await signOut(page);

    await signIn(page, {
      email: person.email,
      password: "not the password at all",
    });
    await expect(alertMessage(page)).toContainText(
      "Wrong email or master password",
    );
    await captureScreens(page, "login-wrong-password");

    await signIn(page, person);
    await expect(page).toHaveURL(/\/organizations$/);
  });

  test("rejects bad sign-up input with a message per field", async ({
    page,
  }) => {
    const taken = newPerson("Grace Hopper");
    await signUp(page, taken);
    await expect(page).toHaveURL(/\/organizations$/);
    await signOut(page);

    await page.goto("/signup");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter your name.")).toBeVisible();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Use at least 12 characters.")).toBeVisible();

    await page.getByLabel("Name", { exact: true }).fill("x".repeat(257));
    await page.getByLabel("Email address").fill("not-an-email");
    await page
      .getByLabel("Master password", { exact: true })
      .fill("long enough password");
    await page
      .getByLabel("Confirm master password")
      .fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(
      page.getByText("A name has at most 256 characters."),
    ).toBeVisible();
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
    await expect(page.getByText("The passwords do not match.")).toBeVisible();
    // What was typed stays, to be corrected rather than typed again.
    await expect(page.getByLabel("Email address")).toHaveValue("not-an-email");
    await expect(page.getByLabel("Confirm master password")).toHaveValue(
      "another long password",
    );
    await captureScreens(page, "signup-errors");

    await signUp(page, { ...taken, name: "Someone Else" });
    await expect(alertMessage(page)).toContainText("already exists");
    await expect(page).toHaveURL(/\/signup/);
  });

  test("creates organizations and switches between them", async ({ page }) => {
    const person = newPerson("Katherine Johnson");
    await signUpAndWait(page, person);

    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(alertMessage(page)).toContainText("Enter a name");

    const first = await createOrganization(page, "Acme Rockets");
    await expect(
      page.getByRole("navigation", { name: "Organization" }),
    ).toBeVisible();
    for (const label of [
      "Vault",
      "Members",
      "Groups",
      "Event log",
      "Settings",
    ]) {
      await expect(
        page.getByRole("link", { name: label, exact: true }),
      ).toBeVisible();
    }
    await captureScreens(page, "console-shell");

    const second = await createOrganization(page, "Globex Labs");
    expect(second).not.toBe(first);

    await page.getByText("Switch organization").click({ force: true });
    await page.getByRole("link", { name: "Acme Rockets" }).click();
    await expect(page).toHaveURL(new RegExp(`/organizations/${first}/`));

    await page.goto("/organizations");
    await expect(
      page.getByRole("link", { name: /Acme Rockets/ }),
    ).toBeVisible();
    await expect(page.getByRole("link", { name: /Globex Labs/ })).toBeVisible();
    await captureScreens(page, "organizations-list");
  });

  test("hides another account's organization", async ({ page, browser }) => {
    const owner = newPerson("Hedy Lamarr");
    await signUpAndWait(page, owner);
    const organizationId = await createOrganization(page, "Private Org");

    const other = await browser.newContext();
    const stranger = await other.newPage();
    await signUpAndWait(stranger, newPerson("Alan Turing"));
    const response = await stranger.goto(
      `/organizations/${organizationId}/members`,
    );
    expect(response?.status()).toBe(404);
    await other.close();
  });
});

test.describe("GET /api/health", () => {
  test("reports the database reachable", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      database: { reachable: true },
    });
  });
});
