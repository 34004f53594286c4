import { createConnection, createServer, type Socket } from "node:net";
import { startMailServer } from "../../e2e/support/mail-server";
import { freePort } from "./app-server";

export type MailServerMode = "working" | "hanging" | "refusing";

/**
 * An SMTP endpoint whose behaviour a test switches at run time:
 * - working: a real SMTP server (smtp-server) behind it;
 * - hanging: accepts the connection and never says a word;
 * - refusing: greets with 421 (service not available) and hangs up.
 * Switching closes the connections held open so far, as a restarted mail
 * server would.
 */
export async function startFaultyMailServer() {
  const realPort = await freePort();
  const real = await startMailServer(realPort, await freePort());
  let mode: MailServerMode = "working";
  const sockets = new Set<Socket>();
  const connections: Record<MailServerMode, number> = {
    working: 0,
    hanging: 0,
    refusing: 0,
  };

  const front = createServer((socket) => {
    connections[mode] += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (mode === "hanging") return;
    if (mode === "refusing") {
      socket.end("421 4.3.2 Service not available, try again later\r\n");
      return;
    }
    const upstream = createConnection(realPort, "127.0.0.1");
    upstream.on("error", () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const port = (front.address() as { port: number }).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Connections accepted in each mode so far. */
    connections,
    /** Recipients of every message the real server accepted. */
    received: () => real.messages.flatMap((message) => message.to),
    switchTo(next: MailServerMode) {
      mode = next;
      for (const socket of sockets) socket.destroy();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await real.stop();
    },
  };
}
