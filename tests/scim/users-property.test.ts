import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { members } from "@/db/schema";
import {
  oktaUser,
  startScimServer,
  type ScimTestServer,
} from "@/tests/support/scim";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let server: ScimTestServer;

beforeAll(async () => {
  server = await startScimServer();
});
afterAll(async () => {
  await server.close();
});

type Step =
  | { kind: "create"; slot: number; active: boolean }
  | { kind: "revoke" | "restore" | "delete"; slot: number };

const slots = 4;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("create" as const),
    slot: fc.nat(slots - 1),
    active: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom(
      "revoke" as const,
      "restore" as const,
      "delete" as const,
    ),
    slot: fc.nat(slots - 1),
  }),
);

describe("Users under random lifecycles", () => {
  it("keeps the database and what SCIM returns consistent", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 16 }),
        async (steps) => {
          const org = await server.organization();
          // Per slot: the SCIM id and whether the member is active, or nothing.
          const model = new Map<
            number,
            { id: string; active: boolean; body: ReturnType<typeof oktaUser> }
          >();
          const removed: string[] = [];

          for (const current of steps) {
            const existing = model.get(current.slot);
            if (current.kind === "create") {
              const body =
                existing?.body ?? oktaUser({ active: current.active });
              const response = await org.scim("/Users", {
                body: { ...body, active: current.active },
              });
              if (existing) {
                expect(response.status).toBe(409);
              } else {
                expect(response.status).toBe(201);
                model.set(current.slot, {
                  id: response.body.id,
                  active: current.active,
                  body,
                });
              }
              continue;
            }
            if (!existing) continue;
            if (current.kind === "delete") {
              const response = await org.scim(`/Users/${existing.id}`, {
                method: "DELETE",
              });
              expect(response.status).toBe(204);
              model.delete(current.slot);
              removed.push(existing.id);
              continue;
            }
            const active = current.kind === "restore";
            const response = await org.scim(`/Users/${existing.id}`, {
              method: "PATCH",
              body: {
                schemas: [PATCH_OP],
                Operations: [{ op: "replace", value: { active } }],
              },
            });
            expect(response.status).toBe(200);
            expect(response.body.active).toBe(active);
            existing.active = active;
          }

          const list = await org.scim("/Users");
          expect(list.body.totalResults).toBe(model.size);
          const rows = await db()
            .select()
            .from(members)
            .where(eq(members.organizationId, org.organizationId));
          expect(rows).toHaveLength(model.size);
          for (const { id, active } of model.values()) {
            const response = await org.scim(`/Users/${id}`);
            expect(response.body.active).toBe(active);
            const row = rows.find((candidate) => candidate.id === id)!;
            expect(row.status === "revoked").toBe(!active);
            if (!active)
              expect(["invited"]).toContain(row.statusBeforeRevocation);
            else expect(row.statusBeforeRevocation).toBeNull();
            expect(
              list.body.Resources.find((user: { id: string }) => user.id === id)
                ?.active,
            ).toBe(active);
          }
          for (const id of removed) {
            expect((await org.scim(`/Users/${id}`)).status).toBe(404);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
