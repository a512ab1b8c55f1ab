/**
 * The Experiment interface: everything that differs between kinds of suite lives behind
 * it, in one folder per kind (`src/experiments/<kind>/`), found by `experimentFor`. The
 * runner, the report builder and the CLI only speak this interface.
 *
 * Execution is a per-item async step function. It asks the run's roles (the target, the
 * judges, a contextualizer, a simulated client) in whatever order the kind needs, each
 * answer available before the next question is written, so a conversation where every
 * turn depends on the last answer is a loop inside `step`. Every ask is a request: stored
 * once by its key, never sent twice, resumed after a crash.
 * See docs/design/experiments.md.
 */

import type { ConversationComparison } from "../analysis/conversations-compare.js";
import type { DemographicContrast } from "../analysis/demographic.js";
import type { PairedContrast } from "../analysis/paired-stigma.js";
import type { Recipe } from "../core/recipe.js";
import type { Placement, StepRef } from "../core/run-record.js";
import type {
  Arm,
  ChatMessage,
  GenerationParams,
  MetricRow,
  Suite,
  Target,
} from "../core/types.js";
import type { RunRecord, Store } from "../store/store.js";
import type { OptionOrder } from "../suites/option-order.js";
import type { ParsedFile } from "../suites/parse-file.js";
import type { Transcript } from "../suites/transcripts.js";

/** The models a run uses, by role. Stored with the run. */
export interface Roles {
  /** The model under test. */
  target: Target;
  /** Judges of the target's answers (a panel: majority verdict); empty when none is needed. */
  judges: Target[];
  /** Writes bridges that join a stimulus to a transcript. */
  contextualizer?: Target;
  /** Plays the client in a conversation. */
  client?: Target;
}

export type { RoleName, StepRef } from "../core/run-record.js";

/** One request a step sends (or reads back from the store). */
export interface Ask {
  step: StepRef;
  target: Target;
  messages: ChatMessage[];
  params: GenerationParams;
  /** Which of several samples of the same request; 0 unless the run samples answers. */
  sample: number;
  /** Option letters the answer must be one of (for targets that can constrain decoding). */
  choices?: string[];
  /** Whether the target constrains decoding (changes the output, so it is part of the key). */
  constrained?: boolean;
  /** What the report needs to read this step back (e.g. a judge's option order). */
  meta?: Record<string, unknown>;
}

export type Answer =
  /** `warnings`: parameters the target dropped or changed for this request. */
  | { status: "ok"; key: string; text: string; warnings: string[] }
  | { status: "error"; key: string; error: string }
  /** Not sent: the run was interrupted or the target was given up on. Stop the item. */
  | { status: "skipped"; key: string };

/** What a step function gets: the run's roles and one way to ask them. */
export interface StepContext {
  readonly roles: Roles;
  /** Sends the request, or returns the stored answer, and records it as this item's step. */
  ask(request: Ask): Promise<Answer>;
}

/** Settings of `careprobe run` that experiments read; each kind uses those it needs. */
export interface RunSettings {
  samples: number;
  /** Only N items of the suite, balanced over its design (see suites/select.ts). */
  limit?: number;
  /** A seeded stratified sample of N items instead. */
  sample?: { size: number; seed: number };
  /** Overrides the suite's temperature. */
  temperature?: number;
  /** Overrides the suite's answer length limit (tokens). */
  maxTokens?: number;
  /** Whether the target constrains decoding to the option letters. */
  constrained: boolean;
  /** Multiple-choice: how each item's options are ordered (absent: `fixed`, as written). */
  optionOrder?: OptionOrder;
  /** Seed of the `balanced` and `shuffled` orders (part of those runs' identity). */
  optionSeed?: number;
  /** Transcripts to place stimuli in (responses). */
  transcripts?: { file: string; hash: string; list: Transcript[] };
  /** Every N messages of a transcript. */
  interval: number;
  /** True when careprobe chose the judge: reports say it is unvalidated. */
  defaultJudge: boolean;
  /** Seeds the judges' option order (part of a run's identity). */
  judgeSeed: number;
  /** Only these items (by id), e.g. answers recorded one at a time; not part of the identity. */
  only?: ReadonlySet<string>;
  /** Conversations: the limit on the therapist's replies, over every persona's own. */
  maxTurns?: number;
  /** Conversations: end a conversation at its first critical failure. */
  stopOnCritical?: boolean;
  /** True when the user gave no --client and careprobe chose one by the target's kind. */
  defaultClient?: boolean;
}

/** A unit of work: one item (or placement of one) and one sample. */
export interface WorkUnit {
  /** The item's id in the run (a placement id for stimuli placed in transcripts). */
  itemId: string;
  sample: number;
  /** Stimuli placed in transcripts: which stimulus, where (stored as columns). */
  where?: Placement;
}

/** How a run is identified and labelled; the runner hashes `identity` into the run id. */
export interface RunDescription {
  /** The arm as stored and reported (e.g. `none+contextualized`). */
  arm: string;
  /** Everything beyond suite, target, arm and samples that changes what is measured. */
  identity: Record<string, unknown>;
  /** Settings stored with the run (JSON), if any. */
  config?: Record<string, unknown>;
}

/** A stored run turned into item rows and analysis input. */
export interface Collected<Row = unknown, Observation = unknown> {
  run: RunRecord;
  suite: Suite;
  items: Row[];
  observations: Observation[];
  /** Counts shown in the report's run list (planned, answered, errors, pending, ...). */
  counts: Record<string, number>;
}

export interface MetricOptions {
  seed: number;
  resamples: number;
  recipe: Recipe;
  /** Also the paired and demographic contrasts, where a kind has them (`report --contrasts`). */
  contrasts?: boolean;
  /** Judged kinds: mark rates whose judge's kappa with people's labels is below this. */
  requireJudgeAgreement?: number;
}

/** Report sections beside the metric rows (JSON), where a kind computes them. */
export interface MetricSections {
  /** Stigma: paired, item-matched differences between targets and between arms. */
  paired_comparisons?: PairedContrast[];
  /** Stigma: differences between the levels of gender, race and education, matched. */
  demographic_contrasts?: DemographicContrast[];
}

export interface Metrics {
  /** Every metric row of this kind, in report order. */
  rows: MetricRow[];
  /** The rows that enter the comparisons between arms and conditions. */
  compared: MetricRow[];
  sections?: MetricSections;
  /** Run-list fields that depend on every run (e.g. whether its judges are validated), by run id. */
  runs?: Record<string, Record<string, unknown>>;
  /** Comparisons the kind computes itself, paired by cluster (conversations: by persona). */
  comparisons?: ConversationComparison[];
}

export type ItemFormat = "jsonl" | "csv";

/** One item of a run as `careprobe compare` pairs it with the same item of another run. */
export interface CompareItem {
  item_id: string;
  sample: number;
  condition: string;
  /** The stimulus's severity, where the kind has one. */
  severity: string | null;
  benign: boolean;
  /** Excluded from the pooled `overall` rows (control conditions). */
  control: boolean;
  prompt: string;
  /** good (appropriate, no stigma), bad, or null when the item has no verdict. */
  verdict: "good" | "bad" | null;
  output: string | null;
}

/** A rate `careprobe compare` reports: over which paired items, counting which verdict. */
export interface CompareRate {
  metric: string;
  condition: string;
  includes(item: Omit<CompareItem, "verdict" | "output">): boolean;
  event: "good" | "bad";
}

/** How a kind takes part in `careprobe compare`. */
export interface Comparing<C> {
  items(collected: C): CompareItem[];
  /** The rates to compare, given the paired items' identities. */
  rates(items: ReadonlyArray<Omit<CompareItem, "verdict" | "output">>): CompareRate[];
}

/**
 * One kind of experiment. Methods (not function properties) on purpose: a kind's
 * implementation narrows the types, and the registry holds it as `Experiment`.
 */
export interface Experiment<
  S extends Suite = Suite,
  U extends WorkUnit = WorkUnit,
  C extends Collected = Collected,
> {
  readonly kind: S["kind"];
  /** Whether a suite is of this kind (the one place that compares `kind`). */
  accepts(suite: Suite): suite is S;
  /**
   * Its suite files: validates a parsed file of this kind (errors name file, line and
   * field; see suites/parse-file.ts) and expands it into a suite.
   */
  parseSuite(parsed: ParsedFile, file: string): S;
  /** Where its suite file format is documented (shown with every file error). */
  readonly suiteDocs: string;
  /** Run-time settings that change the suite's instrument (e.g. `--char-limit`). */
  adjustSuite?(suite: S, options: { charLimit?: number }): S;
  /** Kinds that place stimuli in transcripts (`--transcripts`): the conditions they may name. */
  transcriptConditions?(suite: S): string[];
  /** The roles a run of this kind needs besides the target (e.g. judges). */
  needsJudges: boolean;
  /** Answer length (tokens) of `local:` targets when no --max-tokens is given; the suite's otherwise. */
  localMaxTokens?: number;
  /** Whether `run` gives the run a simulated client (`--client`, or the default by target kind). */
  needsClient?: boolean;
  describeRun(suite: S, roles: Roles, arm: Arm, settings: RunSettings): RunDescription;
  /** Expansion: the units of work of one run, in order. */
  units(suite: S, arm: Arm, settings: RunSettings): U[];
  /** Execution: one unit, asking the roles in sequence; resolves when the unit is done. */
  step(
    unit: U,
    context: StepContext,
    run: { suite: S; arm: Arm; settings: RunSettings },
  ): Promise<void>;
  /** Scoring: a stored run as item rows and observations, under a recipe. */
  collect(store: Store, run: RunRecord, suite: S, recipe: Recipe): C;
  metrics(collected: C[], options: MetricOptions): Metrics;
  /** Fields of the report's run list beyond the counts (e.g. the judges). */
  runFields(collected: C): Record<string, unknown>;
  /** `careprobe compare` of two runs of this kind (absent: the kind cannot be compared). */
  readonly compare?: Comparing<C>;
  /** The item rows of `careprobe report --items`, in one format. */
  renderItems(rows: C["items"], format: ItemFormat): string;
}
