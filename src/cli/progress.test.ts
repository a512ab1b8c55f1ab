import { describe, expect, it } from "vitest";
import { createProgress } from "./progress.js";

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = "";
  const stream = {
    isTTY: false,
    write(chunk: string) {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

describe("progress", () => {
  it("shows tokens per second when the target says how many it wrote", () => {
    const { stream, text } = capture();
    const progress = createProgress(stream);
    progress.onEvent({ type: "plan", total: 2, cached: 0, toSend: 2, runs: 1 });
    const result = { type: "result", ok: true, cached: false, errors: 0, total: 2 } as const;
    progress.onEvent({ ...result, done: 1, target: "local:x", completionTokens: 40 });
    progress.onEvent({ ...result, done: 2, target: "local:x", completionTokens: 60 });
    expect(text()).toMatch(/2\/2 done · 0 errors · [\d.]+ req\/s · [\d.]+ tok\/s · ETA/);
  });

  it("leaves tokens out when no target reported them", () => {
    const { stream, text } = capture();
    const progress = createProgress(stream);
    progress.onEvent({ type: "plan", total: 1, cached: 0, toSend: 1, runs: 1 });
    progress.onEvent({
      type: "result",
      ok: true,
      cached: false,
      done: 1,
      errors: 0,
      total: 1,
      target: "openai:m",
    });
    expect(text()).toContain("1/1 done");
    expect(text()).not.toContain("tok/s");
  });
});
