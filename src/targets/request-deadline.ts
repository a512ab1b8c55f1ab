/**
 * A request's time limit over the whole exchange: connecting, waiting, and reading the
 * body, so a server that trickles its answer cannot hold a request past `--timeout`.
 * The signal is linked to the caller's (Ctrl-C) and released when the request settles.
 */
import { CareprobeError } from "../core/errors.js";

export interface Deadline {
  signal: AbortSignal;
  dispose(): void;
}

export function requestDeadline(
  caller: AbortSignal | undefined,
  timeoutMs: number | undefined,
  where: string,
): Deadline {
  const controller = new AbortController();
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            controller.abort(
              new CareprobeError("TIMEOUT", `${where}: no complete answer within ${timeoutMs} ms`, {
                retryable: true,
                hint: "Raise --timeout, or check that the server is not overloaded.",
              }),
            ),
          timeoutMs,
        );
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onAbort);
    },
  };
}
