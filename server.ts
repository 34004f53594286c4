/**
 * The production server: SCIM requests go straight to the SCIM handler, the
 * rest to Next. Same handler as the route files under app/scim/v2, minus
 * Next's routing on the path identity providers call most.
 */
import { createServer } from "node:http";
import next from "next";
import { handleScimRequest } from "@/lib/scim/handler";
import { clientAddress } from "@/lib/http/client-address";
import { toWebRequest, writeWebResponse } from "@/lib/http/node-adapter";
import { errorFields, log } from "@/lib/log";
import { checkedSettings, startApp } from "@/lib/startup";

const config = checkedSettings();
await startApp();

const app = next({ dev: false, dir: import.meta.dirname });
const handleNext = app.getRequestHandler();
await app.prepare();

const server = createServer(async (req, res) => {
  if (req.url?.startsWith("/scim/v2/")) {
    try {
      const response = await handleScimRequest(await toWebRequest(req), {
        clientAddress: clientAddress(req, config.TRUSTED_PROXIES),
      });
      await writeWebResponse(res, response);
    } catch (error) {
      // A client that hangs up mid-request is not a fault of ours.
      if (req.destroyed || res.destroyed) {
        log.info("scim client went away", { path: req.url?.split("?")[0] });
        return;
      }
      log.error("scim request failed outside the handler", errorFields(error));
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
    return;
  }
  handleNext(req, res);
});

server.keepAliveTimeout = 65_000;
server.listen(config.PORT, () => {
  log.info("listening", { port: config.PORT, url: config.APP_URL });
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    process.exit(0);
  });
}
