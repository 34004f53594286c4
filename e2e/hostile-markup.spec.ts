import { expect, test } from "@playwright/test";
import {
  createOrganization,
  enableScim,
  newPerson,
  signUp,
} from "./support/accounts.ts";

/**
 * An identity provider is trusted with names, not with markup: whatever an
 * administrator of Okta types as a display name must show as text in every
 * console page, and never run.
 */

const markup = [
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(2)>',
  "<script>alert(3)</script>",
];

test("names holding markup show as text on Members, Groups and the Event log", async ({
  page,
  request,
}) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const scriptErrors: string[] = [];
  page.on("pageerror", (error) => scriptErrors.push(error.message));

  const owner = newPerson("Mallory Owner");
  await signUp(page, owner);
  await expect(page).toHaveURL(/\/organizations$/);
  const organizationId = await createOrganization(page, "Markup Inc");
  const { scimUrl, apiKey } = await enableScim(page, organizationId, owner);
  const scim = async (resource: string, body: object) => {
    const response = await request.post(`${scimUrl}/${resource}`, {
      headers: {
        Authorization: `Bearer ${apiKey}`,
        "Content-Type": "application/scim+json",
      },
      data: JSON.stringify(body),
    });
    expect(response.status()).toBe(201);
    return (await response.json()) as { id: string };
  };

  const memberIds: string[] = [];
  for (const [index, name] of markup.entries()) {
    const user = await scim("Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: `markup.${index}.${Date.now()}@example.com`,
      displayName: name,
      name: { givenName: name, familyName: `Family ${index}` },
    });
    memberIds.push(user.id);
  }
  const group = await scim("Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: markup[0],
    members: memberIds.map((value) => ({ value })),
  });
  await scim("Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: markup[1],
  });

  const base = `/organizations/${organizationId}`;
  const pages: [string, string[]][] = [
    [`${base}/members`, markup],
    [`${base}/groups`, [markup[0], markup[1]]],
    [`${base}/groups/${group.id}`, markup],
    [`${base}/events`, [markup[0], markup[1]]],
  ];
  for (const [url, names] of pages) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    for (const name of names) {
      await expect(
        page.getByText(name, { exact: false }).first(),
        `${url} shows ${name} as text`,
      ).toBeVisible();
    }
    // Nothing the names hold became an element.
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator("svg[onload]")).toHaveCount(0);
    await page.waitForTimeout(300);
  }

  expect(dialogs).toEqual([]);
  expect(scriptErrors).toEqual([]);
});
