import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { log } from "@/lib/log";
import { settings } from "@/lib/settings";

export interface MailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where the worker hands a message; `send` resolves once it was accepted. */
export interface MailTransport {
  readonly kind: "smtp" | "log";
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface SmtpTimeouts {
  /** To open the TCP (or TLS) connection. */
  connectMs: number;
  /** From connecting to the server's greeting, and between any two replies. */
  replyMs: number;
  /** For a whole message, whatever the server does. */
  messageMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectMs: 10_000,
  replyMs: 20_000,
  messageMs: 60_000,
};

/** An SMTP error the server will repeat however often it is retried. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

/**
 * SMTP with bounded waits: a server that accepts the connection and never
 * answers costs at most `messageMs`, so a delivery can neither block the
 * worker nor outlive its claim on the outbox row.
 */
export function smtpTransport(
  url: string,
  from: string,
  timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS,
): MailTransport {
  // Given a URL, createTransport would drop every other option: the SMTP
  // transport itself merges the URL with the timeouts.
  const transporter = nodemailer.createTransport(
    new SMTPTransport({
      url,
      connectionTimeout: timeouts.connectMs,
      greetingTimeout: timeouts.replyMs,
      socketTimeout: timeouts.replyMs,
      dnsTimeout: timeouts.connectMs,
    }),
  );

  return {
    kind: "smtp",
    async send(message) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `SMTP server did not accept the message within ${timeouts.messageMs} ms`,
              ),
            ),
          timeouts.messageMs,
        );
      });
      try {
        await Promise.race([
          transporter.sendMail({
            from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            html: message.html,
            messageId: `<${message.id}@outbox>`,
          }),
          deadline,
        ]);
      } catch (error) {
        throw classify(error);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      transporter.close();
    },
  };
}

/** A recipient refused with a 5xx reply will be refused again: no retry. */
function classify(error: unknown): Error {
  const smtp = error as { code?: string; responseCode?: number };
  const message = error instanceof Error ? error.message : String(error);
  if (
    smtp.code === "EENVELOPE" &&
    typeof smtp.responseCode === "number" &&
    smtp.responseCode >= 500
  ) {
    return new PermanentDeliveryError(message);
  }
  return error instanceof Error ? error : new Error(message);
}

/**
 * Without SMTP the message stays in the outbox (and on /dev/mail) and is
 * written to the log. Only in development does the line carry the body,
 * whose link is needed to accept an invitation locally: elsewhere the body
 * holds a live token and stays out of the logs.
 */
export function logTransport(environment = settings().NODE_ENV): MailTransport {
  return {
    kind: "log",
    async send(message) {
      log.info("email not sent: SMTP_URL is not set", {
        emailId: message.id,
        to: message.to,
        subject: message.subject,
        ...(environment === "development" ? { text: message.text } : {}),
      });
    },
    close() {},
  };
}

/** The transport the settings ask for. */
export function configuredTransport(): MailTransport {
  const { SMTP_URL, MAIL_FROM } = settings();
  return SMTP_URL ? smtpTransport(SMTP_URL, MAIL_FROM) : logTransport();
}
