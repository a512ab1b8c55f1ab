/** `careprobe view`: the local web app over the store (Read, Label, Answer, Capture). */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { CareprobeError } from "../core/errors.js";
import { ReviewCache } from "../review/cache.js";
import { startViewServer } from "../server/serve.js";
import { Store } from "../store/store.js";
import { integerOption, withArgErrors } from "./args.js";
import { careprobeHome, databasePath, toolVersion } from "./context.js";
import type { CliIO } from "./io.js";

export const VIEW_USAGE = `Usage: careprobe view [--port N] [--host HOST] [--db FILE] [--open]
  Starts the local web app over the store and prints its address: Read (runs, metrics,
  items), Label (people's labels of responses, agreement with the judges), Answer (a
  clinician's answers as target human:<name>) and Capture (an app's replies pasted by hand
  as target manual:<app>).
  --port N          port (default 8470; 0 picks a free one)
  --host HOST       address to listen on (default 127.0.0.1). Any other than loopback needs
                    the token printed at start: open the printed URL once
  --require-token   need the token on loopback too
  --judge SPEC      judges for answers and captures (repeatable; default: the judges of the
                    suite's newest model run)
  --open            open the address in the default browser
  --seed N --resamples N   bootstrap settings for metrics and agreement (default 0, 1000)
  --db FILE         database (default: $CAREPROBE_HOME/careprobe.db)`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  db: { type: "string" },
  open: { type: "boolean" },
  "require-token": { type: "boolean" },
  judge: { type: "string", multiple: true },
  seed: { type: "string" },
  resamples: { type: "string" },
} as const;

function openInBrowser(url: string): void {
  const command =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", () => undefined);
  child.unref();
}

export async function viewCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    VIEW_USAGE,
  );
  if (positionals.length > 0) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[0]}\`.`, {
      hint: VIEW_USAGE,
    });
  }
  const port = integerOption(values.port, "port", 8470, 0);
  if (port > 65_535)
    throw new CareprobeError("BAD_ARGUMENT", `--port must be at most 65535 (got ${port}).`);
  const host = values.host ?? "127.0.0.1";
  const store = Store.open(databasePath(io.env, values.db));
  const bootstrap = {
    seed: integerOption(values.seed, "seed", 0, 0),
    resamples: integerOption(values.resamples, "resamples", 1000, 100),
    toolVersion: toolVersion(),
  };
  const server = await startViewServer(
    {
      store,
      cache: new ReviewCache(store, bootstrap),
      home: careprobeHome(io.env),
      env: io.env,
      ...(values.judge ? { judges: values.judge } : {}),
      ...bootstrap,
    },
    { host, port, requireToken: values["require-token"] ?? false },
  ).catch((error: unknown) => {
    store.close();
    throw error;
  });
  io.stdout.write(`careprobe view: ${server.url}\n`);
  if (server.token) {
    io.stdout.write(
      "Every request needs this token: open the address above once (it sets a cookie).\n",
    );
  }
  io.stderr.write("Press Ctrl-C to stop.\n");
  if (values.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await server.close();
  store.close();
  return 0;
}
