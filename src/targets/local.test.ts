import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { ChatRequest, Target } from "../core/types.js";
import { tinyModelPath } from "../testing/test-data.js";
import { createLocalTarget } from "./local.js";
import { gpuFromEnvironment } from "./local-models.js";

const TINY_MODEL = tinyModelPath();

function requireTinyModel(): string {
  if (!existsSync(TINY_MODEL)) {
    throw new Error(`The tiny test model is missing: expected it at ${TINY_MODEL}`);
  }
  return TINY_MODEL;
}

function request(user: string, maxTokens: number, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [
      { role: "system", content: "Answer with the letter of one option." },
      { role: "user", content: "Example question? (A) yes (B) no" },
      { role: "assistant", content: "A" },
      { role: "user", content: user },
    ],
    params: { temperature: 0, maxTokens },
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<CareprobeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CareprobeError);
  return error as CareprobeError;
}

function creationError(model: string): CareprobeError {
  try {
    createLocalTarget({ spec: `local:${model}`, model, home: tmpdir() });
  } catch (error) {
    expect(error).toBeInstanceOf(CareprobeError);
    return error as CareprobeError;
  }
  throw new Error(`createLocalTarget accepted ${model}`);
}

describe("local target on the tiny GGUF model", () => {
  let target: Target;

  beforeAll(() => {
    const model = requireTinyModel();
    target = createLocalTarget({
      spec: `local:${model}`,
      model,
      home: tmpdir(),
      constrainChoices: true,
      contextSize: 1024,
    });
  });

  afterAll(async () => {
    await target.close?.();
  });

  it("answers a conversation with text and token counts", async () => {
    const response = await target.chat(request("Is the sky green? (A) yes (B) no", 4));
    expect(typeof response.text).toBe("string");
    expect(response.promptTokens).toBeGreaterThan(10);
    expect(response.completionTokens).toBeGreaterThanOrEqual(0);
    expect(response.model).toBe("llama-2-tiny-random.gguf");
    expect(["stop", "length"]).toContain(response.finishReason);
  });

  it("stops at maxTokens", async () => {
    const response = await target.chat(request("Tell me a long story.", 3));
    expect(response.completionTokens).toBeLessThanOrEqual(3);
  });

  it("serves parallel requests on separate sequences", async () => {
    expect(target.maxConcurrency).toBe(2);
    const prompts = ["first question", "second question", "third question, queued"];
    const responses = await Promise.all(prompts.map((prompt) => target.chat(request(prompt, 3))));
    for (const response of responses) {
      expect(typeof response.text).toBe("string");
      expect(response.completionTokens).toBeLessThanOrEqual(3);
    }
  });

  it("constrains the answer to one of the choices", async () => {
    const choices = ["A", "B", "C", "D", "E"];
    const prompts = ["Pick one.", "How likely is it? (A) .. (E)", "¿Cuál?"];
    for (const prompt of prompts) {
      const response = await target.chat(request(prompt, 5, { choices }));
      expect(choices).toContain(response.text);
    }
    const two = await target.chat(request("Yes or no?", 5, { choices: ["Y", "N"] }));
    expect(["Y", "N"]).toContain(two.text);
  });

  it("samples at a temperature above 0", async () => {
    const response = await target.chat({
      ...request("Say something.", 2),
      params: { temperature: 0.8, maxTokens: 2 },
    });
    expect(response.completionTokens).toBeLessThanOrEqual(2);
  });

  it("rejects an already aborted request", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      target.chat(request("never sent", 4, { signal: controller.signal })),
    );
    expect(error.code).toBe("ABORTED");
  });

  it("rejects a request aborted while it runs", async () => {
    const controller = new AbortController();
    const pending = target.chat(
      request("a long answer, please", 200, { signal: controller.signal }),
    );
    setImmediate(() => controller.abort());
    const error = await rejection(pending);
    expect(error.code).toBe("ABORTED");
    // The sequence goes back to the pool: the target still answers afterwards.
    const after = await target.chat(request("still there?", 2));
    expect(after.completionTokens).toBeLessThanOrEqual(2);
  });

  it("refuses a conversation that does not end with a user message", async () => {
    const bad = request("x", 2);
    bad.messages.push({ role: "assistant", content: "A" });
    expect((await rejection(target.chat(bad))).code).toBe("BAD_ARGUMENT");
  });

  it("refuses a prompt that does not fit the context", async () => {
    const error = await rejection(target.chat(request("long ".repeat(2000), 4)));
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain("contextSize");
  });
});

describe("local target configuration", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "careprobe-local-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("names a missing model path and says what to do", () => {
    const path = join(dir, "no-such-model.gguf");
    const error = creationError(path);
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain(path);
    expect(error.message).toContain("local:default");
  });

  it("rejects a file that is not GGUF", async () => {
    const path = join(dir, "notes.gguf");
    await writeFile(path, "this is not a model\n");
    const error = creationError(path);
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain(path);
    expect(error.message).toContain("GGUF");
  });

  it("rejects a directory", () => {
    const error = creationError(dir);
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain(dir);
  });

  it("rejects a truncated GGUF file when loading it", async () => {
    const path = join(dir, "truncated.gguf");
    await writeFile(path, Buffer.from("GGUF\u0003\u0000\u0000\u0000", "latin1"));
    const target = createLocalTarget({ spec: "local:x", model: path, home: dir });
    const error = await rejection(target.chat(request("hello", 2)));
    await target.close?.();
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain(path);
  });

  it("rejects bad parallel and contextSize values", () => {
    const model = requireTinyModel();
    const make = (parallel: number, contextSize?: number) => () =>
      createLocalTarget({ spec: "local:x", model, home: dir, parallel, contextSize });
    expect(make(0)).toThrow(/parallel/);
    expect(make(1.5)).toThrow(/parallel/);
    expect(make(1, 10)).toThrow(/contextSize/);
  });

  it("rejects requests after close", async () => {
    const model = requireTinyModel();
    const target = createLocalTarget({ spec: "local:x", model, home: dir, parallel: 1 });
    await target.close?.();
    expect((await rejection(target.chat(request("hello", 2)))).code).toBe("ABORTED");
  });

  it("reads the GPU choice from CAREPROBE_LOCAL_GPU", () => {
    expect(gpuFromEnvironment({})).toBe(false);
    expect(gpuFromEnvironment({ CAREPROBE_LOCAL_GPU: "0" })).toBe(false);
    expect(gpuFromEnvironment({ CAREPROBE_LOCAL_GPU: "1" })).toBe("auto");
    expect(gpuFromEnvironment({ CAREPROBE_LOCAL_GPU: "CUDA" })).toBe("cuda");
    expect(() => gpuFromEnvironment({ CAREPROBE_LOCAL_GPU: "tpu" })).toThrow(/CAREPROBE_LOCAL_GPU/);
  });
});
