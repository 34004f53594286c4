"use client";

import { useEffect, useState } from "react";

export type ToastTone = "success" | "error" | "info";

interface ToastMessage {
  id: number;
  text: string;
  tone: ToastTone;
}

// A module-level channel, so that any client component can announce the
// outcome of an action without a provider around it.
const listeners = new Set<(message: ToastMessage) => void>();
let nextId = 1;

/** Shows a message in the toast region, which screen readers announce. */
export function toast(text: string, tone: ToastTone = "success") {
  const message = { id: nextId++, text, tone };
  for (const listener of listeners) listener(message);
}

const toneStyles: Record<ToastTone, string> = {
  success: "border-green-300 bg-green-50 text-green-900",
  error: "border-red-300 bg-red-50 text-red-900",
  info: "border-blue-300 bg-blue-50 text-blue-950",
};

/** Errors stay until closed (they say what to do); others go after a while. */
const successDuration = 6000;

export function Toaster() {
  const [messages, setMessages] = useState<ToastMessage[]>([]);

  useEffect(() => {
    const listener = (message: ToastMessage) => {
      setMessages((current) => [...current.slice(-3), message]);
      if (message.tone !== "error") {
        setTimeout(
          () =>
            setMessages((current) =>
              current.filter((m) => m.id !== message.id),
            ),
          successDuration,
        );
      }
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);

  const dismiss = (id: number) =>
    setMessages((current) => current.filter((m) => m.id !== id));

  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end">
      <div aria-live="polite" role="status" className="contents">
        {messages
          .filter((m) => m.tone !== "error")
          .map((m) => (
            <ToastCard key={m.id} message={m} onDismiss={dismiss} />
          ))}
      </div>
      <div aria-live="assertive" role="alert" className="contents">
        {messages
          .filter((m) => m.tone === "error")
          .map((m) => (
            <ToastCard key={m.id} message={m} onDismiss={dismiss} />
          ))}
      </div>
    </div>
  );
}

function ToastCard({
  message,
  onDismiss,
}: {
  message: ToastMessage;
  onDismiss: (id: number) => void;
}) {
  return (
    <div
      data-testid="toast"
      className={`pointer-events-auto flex w-full max-w-md items-start gap-3 rounded-md border px-4 py-3 text-sm shadow-lg ${toneStyles[message.tone]}`}
    >
      <p className="flex-1">{message.text}</p>
      <button
        type="button"
        onClick={() => onDismiss(message.id)}
        className="-m-1 rounded p-1 text-current opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-blue-600"
        aria-label="Dismiss message"
      >
        ✕
      </button>
    </div>
  );
}
