import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/http/client-address";

function request(socket: string, forwardedFor?: string | string[]) {
  return {
    socket: { remoteAddress: socket },
    headers:
      forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  } as Pick<IncomingMessage, "headers" | "socket">;
}

describe("clientAddress", () => {
  it("is the socket's address when no proxy is trusted, whatever the header says", () => {
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), 0)).toBe(
      "203.0.113.9",
    );
  });

  it("believes as many entries from the right as there are trusted proxies", () => {
    const chain = request("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1");
    expect(clientAddress(chain, 1)).toBe("10.0.0.1");
    expect(clientAddress(chain, 2)).toBe("198.51.100.7");
  });

  it("does not let a client choose its address by writing the header itself", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the one proxy appended
    // the address it saw.
    const forged = request("10.0.0.1", "6.6.6.6, 198.51.100.7");
    expect(clientAddress(forged, 1)).toBe("198.51.100.7");
  });

  it("joins repeated headers and skips blank entries", () => {
    const repeated = request("10.0.0.1", ["198.51.100.7", " , 192.0.2.4"]);
    expect(clientAddress(repeated, 1)).toBe("192.0.2.4");
    expect(clientAddress(repeated, 2)).toBe("198.51.100.7");
  });

  it("uses the furthest address there is when the chain is shorter than expected", () => {
    expect(clientAddress(request("10.0.0.1"), 1)).toBe("10.0.0.1");
    expect(clientAddress(request("10.0.0.1", "192.0.2.4"), 3)).toBe(
      "192.0.2.4",
    );
  });
});
