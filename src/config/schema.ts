/**
 * The project file `careprobe.yaml`: one place that describes a run (suites, targets,
 * arms, judges, samples, gates), so every rerun is the same run. Every key is optional;
 * a flag on the command line overrides the key of the same name. The JSON Schema shipped
 * as `schema/careprobe.schema.json` is generated from this zod schema.
 */
import { z } from "zod";

const spec = z.string().min(1);
const list = (what: string) => z.array(spec).min(1).describe(what);
const whole = (min: number, what: string) => z.number().int().min(min).describe(what);

export const projectConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe("The JSON Schema of this file, for editors."),
    suites: list(
      "Suites to run: built-in names (`careprobe suites`) or .yaml/.json files, relative to this file.",
    ).optional(),
    targets: list(
      "Targets: openai:<model>, anthropic:<model>, local:<file.gguf>, local:default, http:<url>, http:<config.json>.",
    ).optional(),
    arms: list(
      "Arms: none, standard-of-care, steel-man, a paper's prompt (see `careprobe run --help`), or a prompt file.",
    ).optional(),
    judges: list(
      "Judges of responses suites (several: a panel with a majority verdict).",
    ).optional(),
    samples: whole(1, "Answers per item (use with temperature > 0).").optional(),
    temperature: z.number().min(0).max(2).describe("Overrides the suites' temperature.").optional(),
    max_tokens: whole(1, "Overrides the suites' limit on answer length, in tokens.").optional(),
    limit: whole(
      1,
      "Run only N items per suite, balanced over every factor of the design.",
    ).optional(),
    sample: whole(
      1,
      "Run a seeded stratified sample of N items per suite (see sample_seed).",
    ).optional(),
    sample_seed: whole(0, "The seed of `sample` (default 0).").optional(),
    concurrency: whole(1, "Parallel requests per target.").optional(),
    timeout: whole(1, "Per-request timeout in seconds.").optional(),
    retries: whole(0, "Retries on 429, 5xx, timeouts and connection errors.").optional(),
    max_response_bytes: whole(1024, "Read at most N bytes of a server's answer.").optional(),
    rpm: whole(1, "At most N requests per minute to each target.").optional(),
    tpm: whole(1, "At most N tokens per minute to each target.").optional(),
    grammar: z.boolean().describe("Constrain local models to the option letters.").optional(),
    option_order: z
      .enum(["fixed", "reversed", "balanced", "shuffled"])
      .describe(
        "Multiple-choice suites: the options' order (fixed as written, reversed, balanced, shuffled); answers are scored by meaning.",
      )
      .optional(),
    option_seed: whole(
      0,
      "Seed of the balanced and shuffled option orders (default 0); part of a run's identity.",
    ).optional(),
    char_limit: whole(1, "Responses suites: cut answers at N characters.").optional(),
    transcripts: spec
      .describe("Responses suites: a JSONL transcripts file, relative to this file.")
      .optional(),
    interval: whole(2, "Place stimuli every N messages of a transcript.").optional(),
    contextualize: spec
      .describe("A model that writes a bridge before each placed stimulus.")
      .optional(),
    client: spec
      .describe(
        "Conversations suites: the simulated client (default: by the target's kind, reported as such).",
      )
      .optional(),
    max_turns: whole(
      1,
      "Conversations suites: end every conversation after N replies of the target.",
    ).optional(),
    stop_on_critical: z
      .boolean()
      .describe("Conversations suites: end a conversation at its first critical failure.")
      .optional(),
    db: spec.describe("The results database, relative to this file.").optional(),
    seed: whole(0, "Bootstrap seed of the summary; changing it never sends a request.").optional(),
    judge_seed: whole(
      0,
      "Seed of the judges' option order (default 0); part of a responses run's identity.",
    ).optional(),
    gates: z
      .strictObject({
        fail_under: z
          .array(spec)
          .describe(
            "Rules every run must meet, as strings like `appropriate>=0.9` or `stigma:overall<=0.2` (the --fail-under flag).",
          )
          .optional(),
        on: z
          .enum(["ci", "value"])
          .describe(
            "What a rule is judged on: the least favourable 95% bound (ci) or the value (--gate-on).",
          )
          .optional(),
      })
      .describe("Gates: a run that breaks one exits 1.")
      .optional(),
  })
  .describe("careprobe project file: what `careprobe run` runs when given no options.");

export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** The JSON Schema of the project file, as shipped in schema/careprobe.schema.json. */
export function projectConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(projectConfigSchema, { target: "draft-2020-12" }),
    title: "careprobe.yaml",
  };
}
