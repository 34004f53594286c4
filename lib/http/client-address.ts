import type { IncomingMessage } from "node:http";

/**
 * The address a request came from, for throttling.
 *
 * Each reverse proxy appends the address it received the request from to
 * `X-Forwarded-For`. Behind `trustedProxies` of them, the client is that
 * many hops back from the socket's address: the nearest proxies' entries
 * are believed, anything further left was written by the client and is not
 * (a key guesser would rotate it). With no trusted proxies, or fewer
 * entries than proxies, the furthest believable address is used.
 */
export function clientAddress(
  req: Pick<IncomingMessage, "headers" | "socket">,
  trustedProxies: number,
): string | undefined {
  const socketAddress = req.socket.remoteAddress;
  if (trustedProxies === 0) return socketAddress;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Nearest first: the socket, then the header from its right end.
  const hops = [socketAddress, ...forwarded.reverse()];
  return hops[Math.min(trustedProxies, hops.length - 1)];
}
