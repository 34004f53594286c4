"use client";

import { toast } from "@/components/ui/toast";

export async function copyText(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied`);
  } catch {
    toast(
      `Copying the ${what.toLowerCase()} failed here. Select the text and copy it by hand.`,
      "error",
    );
  }
}
