/**
 * `local:<path.gguf | name>`: a llama.cpp model embedded through node-llama-cpp.
 * node-llama-cpp is imported on first use, so other targets never pay for it.
 */

import { basename, resolve } from "node:path";
import type { ChatHistoryItem, LlamaChat, LlamaGrammar } from "node-llama-cpp";
import { CareprobeError, describeError, type ErrorCode } from "../core/errors.js";
import type {
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ProgressListener,
  Target,
} from "../core/types.js";
import {
  assertGgufFile,
  type Engine,
  ensureLocalModel,
  findLocalModel,
  type GpuChoice,
  gpuFromEnvironment,
  type LocalModelEntry,
  loadEngine,
} from "./local-models.js";
import { modelFileSha256, modelHashCachePath } from "./model-identity.js";

export interface LocalTargetOptions {
  spec: string;
  /** A .gguf path, or a catalog name such as `default`. */
  model: string;
  /** CAREPROBE_HOME: downloaded models go to `<home>/models/`. */
  home: string;
  /** Constrain answers to `request.choices` with a grammar. */
  constrainChoices?: boolean;
  /** Tokens per parallel sequence; defaults to min(4096, the model's training context). */
  contextSize?: number;
  /** Requests served at once, each on its own sequence of one context (default 2). */
  parallel?: number;
  fetch?: typeof fetch;
  onEvent?: ProgressListener;
  /** Download from here instead of the catalog URL (tests, mirrors). */
  downloadUrl?: string;
  /** Use this entry instead of the catalog's for `model` (tests, private mirrors). */
  catalogEntry?: LocalModelEntry;
}

export function createLocalTarget(options: LocalTargetOptions): Target {
  return new LocalTarget(options);
}

class LocalTarget implements Target {
  readonly spec: string;
  readonly kind = "local";
  readonly maxConcurrency: number;
  private readonly options: LocalTargetOptions;
  private readonly entry: LocalModelEntry | undefined;
  private readonly gpu: GpuChoice;
  /** Aborts a download or load still running when the target is closed. */
  private readonly lifetime = new AbortController();
  private enginePromise: Promise<Engine> | undefined;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly freeChats: LlamaChat[] = [];
  private readonly waiters: Array<{ take: (chat: LlamaChat) => void; fail: (e: Error) => void }> =
    [];
  private closed = false;
  private fileIdentity: string | undefined;

  constructor(options: LocalTargetOptions) {
    this.options = options;
    this.spec = options.spec;
    this.maxConcurrency = requireWhole("TARGET_CONFIG", "parallel", options.parallel ?? 2, 1);
    if (options.contextSize !== undefined) {
      requireWhole("TARGET_CONFIG", "contextSize", options.contextSize, 64);
    }
    this.gpu = gpuFromEnvironment();
    this.entry = options.catalogEntry ?? findLocalModel(options.model);
    // A wrong path is a configuration error: report it now, before a run starts.
    if (this.entry === undefined) assertGgufFile(options.model);
  }

  /**
   * The model file's sha256 (`sha256:<hex>`): a replaced file is another model. A catalog
   * model's hash is pinned (its download is verified against it); a user's file is hashed
   * on first use, and the hash is cached by path, size and mtime under CAREPROBE_HOME.
   */
  get identity(): string {
    if (this.entry !== undefined) return `sha256:${this.entry.sha256}`;
    this.fileIdentity ??= `sha256:${modelFileSha256(
      this.options.model,
      modelHashCachePath(this.options.home),
    )}`;
    return this.fileIdentity;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    this.assertOpen();
    const { signal } = request;
    throwIfAborted(signal);
    const history = toChatHistory(request.messages);
    const { maxTokens, temperature } = request.params;
    requireWhole("BAD_ARGUMENT", "maxTokens", maxTokens, 1);
    const engine = await untilAborted(this.engine(), signal);
    const grammar = await this.grammarFor(engine, request.choices);
    const chat = await this.acquireChat(signal);
    try {
      const promptTokens = chat.chatWrapper
        .generateContextState({ chatHistory: history })
        .contextText.tokenize(engine.model.tokenizer).length;
      if (promptTokens + maxTokens > engine.contextSize) {
        throw new CareprobeError(
          "TARGET_CONFIG",
          `The prompt (${promptTokens} tokens) plus maxTokens (${maxTokens}) does not fit the local model's ` +
            `context of ${engine.contextSize} tokens. Raise the local target's contextSize.`,
        );
      }
      let completionTokens = 0;
      const result = await chat.generateResponse(history, {
        maxTokens,
        temperature: Math.max(0, temperature),
        // Pure greedy decoding at temperature 0, comparable with hosted APIs' defaults.
        repeatPenalty: false,
        grammar,
        signal,
        onToken: (tokens) => {
          completionTokens += tokens.length;
        },
      });
      return {
        text: result.response,
        promptTokens,
        completionTokens,
        finishReason: finishReasonOf(result.metadata.stopReason),
        model: engine.modelName,
      };
    } catch (error) {
      if (error instanceof CareprobeError) throw error;
      if (signal?.aborted) throw abortedError();
      this.assertOpen();
      throw new CareprobeError(
        "MODEL_UNAVAILABLE",
        `The local model ${engine.modelName} failed while generating: ${describeError(error)}`,
        { cause: error },
      );
    } finally {
      this.releaseChat(chat);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lifetime.abort();
    for (const waiter of this.waiters.splice(0)) waiter.fail(closedError());
    const engine = await this.enginePromise?.catch(() => undefined);
    await engine?.dispose();
  }

  /** Loads once; every later request shares the result (or the failure). */
  private engine(): Promise<Engine> {
    if (this.enginePromise === undefined) {
      this.enginePromise = this.load();
      // Callers may stop waiting (abort); the failure is still reported to the next caller.
      this.enginePromise.catch(() => undefined);
    }
    return this.enginePromise;
  }

  private async load(): Promise<Engine> {
    const { options, entry } = this;
    const path =
      entry === undefined
        ? resolve(options.model)
        : await ensureLocalModel({
            entry,
            home: options.home,
            url: options.downloadUrl,
            fetch: options.fetch,
            onEvent: options.onEvent,
            signal: this.lifetime.signal,
          });
    assertGgufFile(path);
    const engine = await loadEngine({
      path,
      modelName: entry?.name ?? basename(path),
      gpu: this.gpu,
      contextSize: options.contextSize,
      sequences: this.maxConcurrency,
      onEvent: options.onEvent,
    });
    if (this.closed) {
      await engine.dispose();
      throw closedError();
    }
    this.freeChats.push(...engine.chats);
    return engine;
  }

  private grammarFor(
    engine: Engine,
    choices: string[] | undefined,
  ): Promise<LlamaGrammar> | undefined {
    if (!this.options.constrainChoices || choices === undefined || choices.length === 0) {
      return undefined;
    }
    const key = JSON.stringify(choices);
    let grammar = this.grammars.get(key);
    if (grammar === undefined) {
      // GBNF string literals accept JSON's escapes, so JSON.stringify quotes each choice safely.
      const rule = `root ::= ${choices.map((choice) => JSON.stringify(choice)).join(" | ")}`;
      grammar = engine.llama.createGrammar({ grammar: rule });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  /** Waits for a free sequence; requests beyond `parallel` queue here in arrival order. */
  private acquireChat(signal: AbortSignal | undefined): Promise<LlamaChat> {
    this.assertOpen();
    throwIfAborted(signal);
    const free = this.freeChats.pop();
    if (free !== undefined) return Promise.resolve(free);
    return new Promise<LlamaChat>((resolvePromise, rejectPromise) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        rejectPromise(abortedError());
      };
      const waiter = {
        take: (chat: LlamaChat) => {
          signal?.removeEventListener("abort", onAbort);
          resolvePromise(chat);
        },
        fail: (error: Error) => {
          signal?.removeEventListener("abort", onAbort);
          rejectPromise(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaseChat(chat: LlamaChat): void {
    if (this.closed) return;
    const next = this.waiters.shift();
    if (next === undefined) this.freeChats.push(chat);
    else next.take(chat);
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }
}

/** Maps careprobe messages onto node-llama-cpp's history; the model answers the last user turn. */
function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const last = messages.at(-1);
  if (last === undefined || last.role !== "user") {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "A local model request must end with a user message (the message the model answers).",
    );
  }
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    if (message.role === "system") return { type: "system", text: message.content };
    if (message.role === "user") return { type: "user", text: message.content };
    return { type: "model", response: [message.content] };
  });
  history.push({ type: "model", response: [] });
  return history;
}

function requireWhole(code: ErrorCode, name: string, value: number, min: number): number {
  if (Number.isInteger(value) && value >= min) return value;
  throw new CareprobeError(code, `${name} must be a whole number ≥ ${min} (got ${value}).`);
}

function finishReasonOf(stopReason: string): string {
  if (stopReason === "maxTokens") return "length";
  if (stopReason === "abort") return "abort";
  return "stop";
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

/** Resolves like `promise`, or rejects with ABORTED as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolvePromise, rejectPromise) => {
    const onAbort = () => rejectPromise(abortedError());
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolvePromise, rejectPromise).finally(() => {
      signal.removeEventListener("abort", onAbort);
    });
  });
}

function abortedError(): CareprobeError {
  return new CareprobeError("ABORTED", "The request to the local model was aborted.");
}

function closedError(): CareprobeError {
  return new CareprobeError("ABORTED", "The local model target was closed.");
}
