"use server";

import { z } from "zod";
import { currentAccount } from "@/lib/auth/session";
import { consoleMessage } from "@/lib/errors";
import { accountActor, requireManager } from "@/lib/organizations";
import { createCollection, createItem } from "@/lib/vault";

function partial(input: unknown): Record<string, unknown> {
  return typeof input === "object" && input !== null
    ? (input as Record<string, unknown>)
    : {};
}

type Result = { ok: true; id: string } | { ok: false; error: string };

async function asManager(
  organizationId: unknown,
  act: (
    organizationId: string,
    actor: ReturnType<typeof accountActor>,
  ) => Promise<{ id: string }>,
): Promise<Result> {
  try {
    const account = await currentAccount();
    if (!account) {
      return { ok: false, error: "Your session has ended. Sign in again." };
    }
    const id = z.uuid().safeParse(organizationId);
    if (!id.success) return { ok: false, error: "Organization not found" };
    await requireManager(account.id, id.data);
    const { id: created } = await act(id.data, accountActor(account));
    return { ok: true, id: created };
  } catch (error) {
    return { ok: false, error: consoleMessage(error) };
  }
}

/** The name arrives encrypted with the organization key; the server never reads it. */
export async function createCollectionAction(
  organizationId: string,
  input: unknown,
): Promise<Result> {
  return asManager(organizationId, async (id, actor) => {
    // The domain checks the shape again and answers a bad one as invalid.
    const fields = partial(input);
    return createCollection(
      id,
      fields.name as string,
      fields.groupIds as string[],
      actor,
    );
  });
}

export async function createItemAction(
  organizationId: string,
  input: unknown,
): Promise<Result> {
  return asManager(organizationId, async (id, actor) => {
    const fields = partial(input);
    return createItem(
      id,
      fields.collectionId as string,
      fields.data as string,
      actor,
    );
  });
}
