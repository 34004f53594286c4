"use client";

import { useState } from "react";
import { unlockWithPassword } from "@/components/auth/sign-in";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";

export function UnlockForm({ email, next }: { email: string; next: string }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    const password = String(form.get("password") ?? "");
    if (!password) {
      setError("Enter your master password.");
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const problem = await unlockWithPassword(password);
      if (problem) setError(problem);
      else window.location.assign(next);
    } finally {
      setPending(false);
    }
  }

  return (
    <Form submit={submit} className="space-y-4" noValidate>
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Email address" name="email" value={email} readOnly />
      <Field
        label="Master password"
        name="password"
        type="password"
        autoComplete="current-password"
        autoFocus
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Unlocking…" : "Unlock"}
      </Button>
      <div className="text-center">
        <SignOutButton />
      </div>
    </Form>
  );
}
