/** Ports of the servers the end-to-end run starts; override to run two at once. */
export const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
export const mailPort = Number(process.env.E2E_MAIL_PORT ?? 3125);
export const mailboxPort = Number(process.env.E2E_MAILBOX_PORT ?? 3126);
