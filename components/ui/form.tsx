"use client";

import type { ComponentProps, FormEvent } from "react";

/**
 * A form that hands its data to `submit` and keeps what was typed.
 *
 * A function given as a form's `action` makes React clear every field once
 * it finishes, even when the input was refused, and that reset can land
 * after the person has started typing again. Here the submit handler takes
 * the submission first, so nothing is cleared unless `submit` resets the
 * form itself. The function is still passed as `action`: before the page is
 * interactive, React renders it as a URL that does nothing, so the browser
 * never sends the fields (a master password among them) to the server.
 */
export function Form({
  submit,
  ...form
}: Omit<ComponentProps<"form">, "action" | "onSubmit"> & {
  submit: (data: FormData) => void | Promise<void>;
}) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void submit(new FormData(event.currentTarget, submitter));
  }
  return <form {...form} action={submit} onSubmit={onSubmit} />;
}
