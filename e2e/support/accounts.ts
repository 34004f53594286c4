import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A new person with a unique email, so journeys never collide. */
export function newPerson(name = "Ada Lovelace"): Person {
  const tag = randomBytes(4).toString("hex");
  return {
    name,
    email: `${name.split(" ")[0].toLowerCase()}.${tag}@example.com`,
    password: `correct horse battery ${tag}`,
  };
}

export async function signUp(page: Page, person: Person, path = "/signup") {
  await page.goto(path);
  await page.getByLabel("Name", { exact: true }).fill(person.name);
  const email = page.getByLabel("Email address");
  if (!(await email.getAttribute("readonly"))) await email.fill(person.email);
  await page
    .getByLabel("Master password", { exact: true })
    .fill(person.password);
  await page.getByLabel("Confirm master password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs up on the sign-up page and waits for the organizations page. */
export async function signUpAndWait(page: Page, person: Person) {
  await signUp(page, person);
  await expect(page).toHaveURL(/\/organizations$/);
}

/** The page's own message (Next's empty route announcer is an alert too). */
export function alertMessage(page: Page) {
  return page.getByRole("alert").filter({ hasText: /\S/ });
}

export async function signIn(
  page: Page,
  person: Pick<Person, "email" | "password">,
) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Master password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login/);
}

/** Creates an organization from the organizations page and returns its id. */
export async function createOrganization(
  page: Page,
  name: string,
): Promise<string> {
  await page.goto("/organizations");
  await page.getByLabel("Organization name").fill(name);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/organizations\/[0-9a-f-]{36}\/members/);
  return page.url().match(/organizations\/([0-9a-f-]{36})/)![1];
}

/**
 * Turns SCIM on in the organization's settings, as an administrator does,
 * and reads the SCIM URL and, with the master password, the API key.
 */
export async function enableScim(
  page: Page,
  organizationId: string,
  person: Person,
): Promise<{ scimUrl: string; apiKey: string }> {
  await page.goto(`/organizations/${organizationId}/settings/scim`);
  await page.getByLabel("Enable SCIM").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toContainText("SCIM settings saved");
  await page.getByRole("button", { name: "Show API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Show the API key" });
  await dialog.getByLabel("Master password").fill(person.password);
  await dialog.getByRole("button", { name: "Show key" }).click();
  const key = page.getByLabel("API key", { exact: true });
  await expect(key).toHaveValue(/^scim_[A-Za-z0-9_-]+$/);
  return {
    scimUrl: await page.getByRole("textbox", { name: "SCIM URL" }).inputValue(),
    apiKey: await key.inputValue(),
  };
}
