"use client";

import Link from "next/link";
import { useState } from "react";
import { signInWithPassword } from "@/components/auth/sign-in";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";

export function LoginForm({
  email: fixedEmail,
  next = "/organizations",
  signUpHref = "/signup",
}: {
  email?: string;
  next?: string;
  signUpHref?: string;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError("Enter your email and master password.");
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const problem = await signInWithPassword(email, password);
      if (problem) {
        setError(problem);
        return;
      }
      window.location.assign(next);
    } catch {
      setError("Signing in failed. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Form submit={submit} className="space-y-4" noValidate>
      {error ? <Alert>{error}</Alert> : null}
      <Field
        label="Email address"
        name="email"
        type="email"
        autoComplete="username"
        defaultValue={fixedEmail}
        readOnly={Boolean(fixedEmail)}
        required
      />
      <Field
        label="Master password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        New here?{" "}
        <Link href={signUpHref} className="font-medium text-blue-700 underline">
          Create an account
        </Link>
      </p>
    </Form>
  );
}
