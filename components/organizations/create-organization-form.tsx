"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { accountKeysAction } from "@/app/(auth)/actions";
import { createOrganizationAction } from "@/app/organizations/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import { encryptToPublicKey, generateOrganizationKey } from "@/lib/crypto";

export function CreateOrganizationForm() {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    const name = String(form.get("name") ?? "").trim();
    if (!name) {
      setError("Enter a name for the organization.");
      return;
    }
    if (name.length > 256) {
      setError("A name has at most 256 characters.");
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const keys = await accountKeysAction();
      if (!keys) {
        setError("Your session has ended. Sign in again.");
        return;
      }
      // The organization key is made here and leaves only encrypted to our own key.
      const ownerOrganizationKey = await encryptToPublicKey(
        generateOrganizationKey(),
        keys.publicKey,
      );
      const result = await createOrganizationAction({
        name,
        ownerOrganizationKey,
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.push(`/organizations/${result.organizationId}/members`);
    } catch {
      setError("Creating the organization failed. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Form
      submit={submit}
      className="flex flex-col gap-3 sm:flex-row sm:items-end"
      noValidate
    >
      <Field
        label="Organization name"
        name="name"
        className="flex-1"
        maxLength={256}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create organization"}
      </Button>
      {error ? (
        <div className="sm:basis-full">
          <Alert>{error}</Alert>
        </div>
      ) : null}
    </Form>
  );
}
