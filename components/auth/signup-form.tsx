"use client";

import Link from "next/link";
import { useState } from "react";
import { registerAction } from "@/app/(auth)/actions";
import { signInWithPassword } from "@/components/auth/sign-in";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import {
  DEFAULT_KDF_ITERATIONS,
  deriveAuthHash,
  deriveMasterKey,
  generateAccountKeys,
  normalizeEmail,
} from "@/lib/crypto";

export const MIN_PASSWORD_LENGTH = 12;

type Errors = Partial<
  Record<"name" | "email" | "password" | "confirm", string>
>;

function validate(form: FormData): Errors {
  const errors: Errors = {};
  const name = String(form.get("name") ?? "").trim();
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const confirm = String(form.get("confirm") ?? "");

  if (!name) errors.name = "Enter your name.";
  else if (name.length > 256)
    errors.name = "A name has at most 256 characters.";
  if (!email) errors.email = "Enter your email address.";
  else if (email.length > 254)
    errors.email = "An email address has at most 254 characters.";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    errors.email = "Enter a valid email address.";
  if (password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (password.length > 1024) {
    errors.password = "A master password has at most 1024 characters.";
  }
  if (confirm !== password) errors.confirm = "The passwords do not match.";
  return errors;
}

export function SignupForm({
  email: fixedEmail,
  next = "/organizations",
  signInHref = "/login",
}: {
  email?: string;
  next?: string;
  signInHref?: string;
}) {
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    const found = validate(form);
    setErrors(found);
    setError(undefined);
    if (Object.keys(found).length > 0) return;

    const name = String(form.get("name")).trim();
    const email = normalizeEmail(String(form.get("email")));
    const password = String(form.get("password"));
    setPending(true);
    try {
      const masterKey = await deriveMasterKey(
        password,
        email,
        DEFAULT_KDF_ITERATIONS,
      );
      const keys = await generateAccountKeys(masterKey);
      const result = await registerAction({
        name,
        email,
        kdfIterations: DEFAULT_KDF_ITERATIONS,
        authHash: await deriveAuthHash(masterKey, password),
        ...keys,
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      const problem = await signInWithPassword(email, password);
      if (problem) {
        setError(problem);
        return;
      }
      window.location.assign(next);
    } catch {
      setError(
        "Creating the account failed. Check your connection and try again.",
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <Form submit={submit} className="space-y-4" noValidate>
      {error ? <Alert>{error}</Alert> : null}
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        error={errors.name}
        required
      />
      <Field
        label="Email address"
        name="email"
        type="email"
        autoComplete="username"
        defaultValue={fixedEmail}
        readOnly={Boolean(fixedEmail)}
        hint={
          fixedEmail ? "The invitation was sent to this address." : undefined
        }
        error={errors.email}
        required
      />
      <Field
        label="Master password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. It cannot be recovered: the server never sees it.`}
        error={errors.password}
        required
      />
      <Field
        label="Confirm master password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        error={errors.confirm}
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={signInHref} className="font-medium text-blue-700 underline">
          Sign in
        </Link>
      </p>
    </Form>
  );
}
