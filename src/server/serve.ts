/** Starts the view server on a host and port; resolves once it listens. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { CareprobeError } from "../core/errors.js";
import { createViewApp } from "./app.js";
import { closeJudges, type ViewContext } from "./context.js";
import { isLoopback, newToken } from "./security.js";

export interface ViewServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Require the token even on loopback (tests, shared machines). Always on otherwise. */
  requireToken?: boolean;
}

export interface ViewServer {
  /** The address to open: with `?token=` when a token is required. */
  url: string;
  origin: string;
  token: string | null;
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export function startViewServer(
  context: ViewContext,
  options: ViewServerOptions,
): Promise<ViewServer> {
  const token = options.requireToken || !isLoopback(options.host) ? newToken() : null;
  let port = options.port;
  const loopback = isLoopback(options.host);
  const hosts = () =>
    [...new Set([hostForUrl(options.host), "localhost", "127.0.0.1", "[::1]"])].map((name) =>
      `${name}:${port}`.toLowerCase(),
    );
  const app = createViewApp(context, {
    ...(loopback ? { hosts } : {}),
    ...(token ? { token } : {}),
  });
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        port = info.port;
        const origin = `http://${hostForUrl(options.host)}:${port}`;
        resolve({
          url: token ? `${origin}/?token=${token}` : `${origin}/`,
          origin,
          token,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            }).then(closeJudges),
        });
      },
    );
    server.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new CareprobeError(
          "BAD_ARGUMENT",
          error.code === "EADDRINUSE"
            ? `Port ${options.port} on ${options.host} is in use; pick another with --port.`
            : `Cannot listen on ${options.host}:${options.port}: ${error.message}`,
        ),
      ),
    );
  });
}
