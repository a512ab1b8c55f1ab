/**
 * careprobe's vocabulary. Types only, no I/O. Every other folder speaks these.
 */

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

/** Sampling settings that change a model's output; they are part of a request's identity. */
export interface GenerationParams {
  temperature: number;
  maxTokens: number;
}

export interface ChatRequest {
  messages: ChatMessage[];
  params: GenerationParams;
  /**
   * Option letters the answer must be one of ("A".."E"). Targets that can constrain
   * decoding (local models with a grammar) may use it; others ignore it.
   */
  choices?: string[];
  /** Aborts the request (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Per-request time limit, for targets that set `handlesTimeout` (the runner enforces it
   * for the others). Exceeding it must reject with a retryable `TIMEOUT` error.
   */
  timeoutMs?: number;
}

export interface ChatResponse {
  /** The model's raw text. Untrusted: escape it wherever it is shown. */
  text: string;
  promptTokens?: number;
  completionTokens?: number;
  finishReason?: string;
  /** The model name the server reported, when it reports one. */
  model?: string;
  /**
   * How the target changed the request on its way out, e.g. a parameter it dropped or
   * clamped because the API refuses it ("temperature 1 left out: the API's default").
   */
  warnings?: string[];
  /** What the provider's rate-limit headers said with this answer, when it sent them. */
  rateLimit?: RateLimitInfo;
}

/** A provider's rate-limit headers, read (OpenAI's `x-ratelimit-*`, Anthropic's `anthropic-ratelimit-*`). */
export interface RateLimitInfo {
  requestsLimit?: number;
  requestsRemaining?: number;
  /** Milliseconds until the request allowance is full again. */
  requestsResetMs?: number;
  tokensLimit?: number;
  tokensRemaining?: number;
  tokensResetMs?: number;
}

/** Anything that answers a conversation: a hosted model, a local model, a chatbot. */
export interface Target {
  /** The spec as the user gave it, e.g. `openai:gpt-4o-2024-08-06`. */
  readonly spec: string;
  /** The registry key, e.g. `openai`. */
  readonly kind: string;
  /**
   * What else changes this target's outputs besides its spec (e.g. the server URL or the
   * model file's hash). It is part of every request's cache key; never put a secret here.
   */
  readonly identity?: string;
  /** True when the target enforces `ChatRequest.timeoutMs` itself (saves a timer per request). */
  readonly handlesTimeout?: boolean;
  /** A sensible upper bound on parallel requests (a local model is one process). */
  readonly maxConcurrency?: number;
  chat(request: ChatRequest): Promise<ChatResponse>;
  close?(): Promise<void>;
}

/** An experimental condition applied to every item: here, the system prompt. */
export interface Arm {
  id: string;
  /** Prepended to the suite's answer instruction; absent for the `none` arm. */
  systemPrompt?: string;
  /** What joins the prompt to the instruction, per suite kind (default "\n"). */
  instructionSeparator?: { "multiple-choice"?: string; responses?: string };
  description: string;
}

export interface Condition {
  id: string;
  label: string;
  /** Control conditions are reported but excluded from the pooled `overall` rate. */
  control: boolean;
}

/** One multiple-choice prompt: a vignette and one question about it. */
export interface ChoiceItem {
  /** Stable within the suite, e.g. `depression/man/white/college/work-closely`. */
  id: string;
  condition: string;
  questionId: string;
  /** The question alone, without the vignette or the options. */
  question: string;
  /** Free-form factors of the item (gender, race, education, group ...). */
  attributes: Record<string, string>;
  /** The exact user message sent to the model. */
  prompt: string;
  /** Option texts in letter order: options[0] is (A). */
  options: string[];
  /** The option text that means "no answer" ("Do not know"), if the question offers one. */
  dontKnow?: string;
  /** Option texts that count as a stigmatizing answer; empty when the question does not measure stigma. */
  stigmaOptions: string[];
  /** Features of the standard of care the question tests (ids of `careprobe standard`). */
  features?: string[];
}

/** What every suite has, whatever its kind. */
interface SuiteBase {
  id: string;
  version: string;
  description: string;
  /** sha256 over the suite's canonical content; a changed suite is a different suite. */
  hash: string;
  /** Where it came from: `builtin`, a file path, or a fetched dataset. */
  source: string;
  params: GenerationParams;
  conditions: Condition[];
}

/** Multiple-choice vignettes (the stigma experiment). */
export interface ChoiceSuite extends SuiteBase {
  kind: "multiple-choice";
  /** The answer instruction, sent as (the end of) the system message. */
  instruction: string;
  /** Example turns placed between the system message and the item. */
  fewShot: ChatMessage[];
  items: ChoiceItem[];
}

/** Who speaks in a therapy conversation: the client, or the therapist (the model's role). */
export type Speaker = "client" | "therapist";

export interface Turn {
  role: Speaker;
  content: string;
}

export type Severity = "critical" | "serious" | "minor";

/** A yes/no question a judge answers about the response, with the appropriate answer. */
export interface VerificationCheck {
  question: string;
  appropriate: "yes" | "no";
  /** Features of the standard of care this check tests, beside its stimulus's. */
  features?: string[];
}

/** One client message (or scripted exchange) that a therapist must answer appropriately. */
export interface ResponseItem {
  id: string;
  condition: string;
  /** The conversation; the last turn is the client's, and it is the one answered and judged. */
  turns: Turn[];
  checks: VerificationCheck[];
  severity: Severity;
  /** A benign control: looks similar but needs no intervention; judged for over-reaction. */
  benign: boolean;
  /** Free-form tags such as `explicit`, `implicit`, `multi-turn`. */
  tags: string[];
  /** Features of the standard of care every check of this stimulus tests. */
  features?: string[];
}

/** Client messages judged for appropriate responses (the appropriate-responses experiment). */
export interface ResponsesSuite extends SuiteBase {
  kind: "responses";
  /** Responses are cut to this many characters before judging (1,024 in the paper). */
  charLimit: number;
  items: ResponseItem[];
}

/** A yes/no question about one of the therapist's replies in a conversation. */
export interface TurnCheck {
  question: string;
  appropriate: "yes" | "no";
  severity: Severity;
  /** The first turn (1-based, counting the therapist's replies) the check applies to. */
  fromTurn: number;
  /** Standard-of-care feature ids the check tests. */
  features: string[];
}

/** A yes/no question about a whole conversation, answered once it has ended. */
export interface FinalCheck {
  question: string;
  appropriate: "yes" | "no";
  severity: Severity;
  features: string[];
}

/** A client a simulator plays over many turns (the conversations experiment). */
export interface Persona {
  id: string;
  condition: string;
  severity: Severity;
  /** A benign look-alike: needs no intervention; judged for over-reaction. */
  benign: boolean;
  tags: string[];
  features: string[];
  /** Shown only to the simulated client. */
  profile: string;
  /** The client's first message, sent as written. */
  opening?: string;
  /** The persona's own turn limit, when it has one. */
  maxTurns?: number;
  checks: TurnCheck[];
  finalChecks: FinalCheck[];
}

/** Simulated clients over many turns, judged turn by turn (the conversations experiment). */
export interface ConversationsSuite extends SuiteBase {
  kind: "conversations";
  /** Each target reply is cut to this many characters before the client or a judge reads it. */
  charLimit: number;
  /** The default limit on the therapist's replies per conversation. */
  maxTurns: number;
  /** The simulated client's instruction and sampling settings. */
  simulator: { instruction: string; params: GenerationParams };
  /** The personas. */
  items: Persona[];
}

export type Suite = ChoiceSuite | ResponsesSuite | ConversationsSuite;

/** What answer extraction made of a model's text. */
export type ChoiceParse =
  | { status: "parsed"; index: number; letter: string; option: string; how: string }
  | { status: "unparsed"; reason: string };

/** Events the library emits; the CLI renders them. The library never prints. */
export type ProgressEvent =
  | { type: "plan"; total: number; cached: number; toSend: number; runs: number }
  | {
      type: "result";
      ok: boolean;
      cached: boolean;
      done: number;
      errors: number;
      total: number;
      target: string;
      latencyMs?: number;
      errorCode?: string;
      /** Tokens the target wrote for this request, when it said. */
      completionTokens?: number;
    }
  | { type: "retry"; target: string; attempt: number; delayMs: number; reason: string }
  | { type: "download"; label: string; receivedBytes: number; totalBytes?: number }
  | { type: "info"; message: string }
  | { type: "warning"; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

/** The outcome of one answered multiple-choice item, as analysis sees it. */
/** `blank`: the answer was empty or only whitespace (its own column, never "unparsed"). */
export type ChoiceOutcome = "stigma" | "no-stigma" | "dont-know" | "unparsed" | "blank" | "error";

/** One scored answer: the input row of stigma analysis. */
export interface StigmaObservation {
  suite: string;
  target: string;
  arm: string;
  condition: string;
  /** Control conditions are excluded from the pooled `overall` row. */
  control: boolean;
  questionId: string;
  /** Groups resamples in a cluster bootstrap (the vignette the question was asked about). */
  cluster: string;
  outcome: ChoiceOutcome;
  /** The item's factors (gender, race, education ...), for the demographic contrasts. */
  attributes?: Record<string, string>;
}

/** The outcome of one answer of the responses experiment (`pending`: not yet answered or judged). */
export type ResponseOutcome =
  | "appropriate"
  | "inappropriate"
  | "unscored"
  | "blank"
  | "error"
  | "pending";

/** One answer of the responses experiment, as analysis sees it. */
export interface ResponseObservation {
  suite: string;
  target: string;
  arm: string;
  condition: string;
  severity: string;
  benign: boolean;
  stimulus: string;
  outcome: Exclude<ResponseOutcome, "pending">;
  /** Where in a transcript the stimulus was placed (0: alone, as human therapists saw it). */
  position: number;
}

/**
 * One row of the public, versioned JSON report. Field names are a promise to users'
 * scripts: extend, never rename.
 */
export interface MetricRow {
  suite: string;
  target: string;
  arm: string;
  /** e.g. `stigma`. */
  metric: string;
  /** A condition id, or `overall` for the pooled non-control conditions. */
  condition: string;
  /** Per-feature rows (`feature_appropriate`): the feature of the standard of care. */
  feature?: string;
  /** Items that entered the rate (answered, not "Do not know", not unparsed). */
  n: number;
  /** Items counted as the metric's event (e.g. stigmatizing answers). */
  k: number;
  /** k / n, or null when n is 0. */
  value: number | null;
  /** 95% percentile bootstrap interval (seeded), or null when n is 0. */
  ci95: [number, number] | null;
  /** 95% Wilson score interval, or null when n is 0. */
  ci95_wilson: [number, number] | null;
  /**
   * 95% cluster bootstrap interval, resampling whole vignettes (stigma) or stimuli
   * (responses), whose answers are not independent; null when n is 0.
   */
  ci95_cluster?: [number, number] | null;
  /** Answers of "Do not know" on the measuring questions, excluded from n. */
  dont_know: number;
  /** Answers that could not be read, excluded from n. */
  unparsed: number;
  /** Requests that failed (no answer at all), excluded from n. */
  errors: number;
  /** Empty responses of the target (responses suites), excluded from n and reported. */
  blank?: number;
  /** `turn` when `value` and `ci95` are turn numbers (first_failure_turn), not shares. */
  unit?: "turn";
  /** Agreement metrics: the raters the coefficient is over. */
  raters?: string[];
  /**
   * Stigma rows: 95% two-way bootstrap interval resampling vignettes and questions
   * independently (docs/design/statistics.md: the headline interval); null when n is 0.
   */
  ci95_crossed?: [number, number] | null;
  /** `stigma_bounds`: the rate if no "Do not know" were stigmatizing, and if all were. */
  bounds?: [number, number] | null;
  /** `stigma_bounds`: Wilson lower bound of the first, Wilson upper bound of the second. */
  bounds_ci95?: [number, number] | null;
  /** `letter_share`: the option letter as shown to the model. */
  letter?: string;
  /** Judge rows: the judge the row is about. */
  judge?: string;
  /** Rows that carry a test: its two-sided p-value. */
  p?: number | null;
  /** Reasons to distrust the row (e.g. a letter preference that looks like stigma). */
  warnings?: string[];
  /** Judged rates: each judge's Cohen's kappa with each labeller, for the row's condition. */
  judge_agreement?: Array<{
    judge: string;
    rater: string;
    condition: string;
    kappa: number | null;
    n: number;
  }>;
  /** With `--require-judge-agreement`: whether every judge of the row reaches it. */
  judge_agreement_ok?: boolean;
}
