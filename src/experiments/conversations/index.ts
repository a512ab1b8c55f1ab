/**
 * The conversations experiment: a simulated client plays each persona turn by turn, the
 * target answers, and a panel of judges answers each turn's checks and the final checks.
 * See docs/design/conversations.md.
 */
import { conversationMetrics } from "../../analysis/conversations.js";
import { conversationComparisons } from "../../analysis/conversations-compare.js";
import type { ConversationsSuite, Target } from "../../core/types.js";
import { responseStrata, selectItems } from "../../suites/select.js";
import type { Collected, Experiment } from "../experiment.js";
import { runParams } from "../params.js";
import { type CollectedConversationsRun, collectConversationsRun } from "./collect.js";
import { compareConversations } from "./compare.js";
import { renderConversationItems } from "./items.js";
import type { ConversationItemRow } from "./rows.js";
import { armPromptFor, type ConversationUnit, converse } from "./step.js";
import { CONVERSATIONS_DOCS, conversationsHash, parseConversationsSuite } from "./suite.js";

const model = (target: Target | undefined) =>
  target ? { spec: target.spec, identity: target.identity ?? "" } : null;

export const conversations: Experiment<
  ConversationsSuite,
  ConversationUnit,
  CollectedConversationsRun
> = {
  kind: "conversations",
  needsJudges: true,
  needsClient: true,
  accepts: (suite): suite is ConversationsSuite => suite.kind === "conversations",
  suiteDocs: CONVERSATIONS_DOCS,
  parseSuite: parseConversationsSuite,
  adjustSuite(suite, { charLimit }) {
    if (charLimit === undefined) return suite;
    // The same personas under another length limit: a different instrument, a different hash.
    const adjusted = { ...suite, charLimit };
    return { ...adjusted, hash: conversationsHash(adjusted) };
  },
  describeRun(_suite, roles, arm, settings) {
    const config = {
      kind: "conversations",
      client: model(roles.client),
      defaultClient: settings.defaultClient ?? false,
      judges: roles.judges.map(model),
      defaultJudge: settings.defaultJudge,
      maxTurns: settings.maxTurns ?? null,
      stopOnCritical: settings.stopOnCritical ?? false,
      temperature: settings.temperature ?? null,
      maxTokens: settings.maxTokens ?? null,
      seed: settings.judgeSeed,
    };
    return { arm: arm.id, identity: { config }, config };
  },
  units(suite, arm, settings) {
    // --limit and --sample balance over condition and benign look-alikes, as for responses.
    const personas = selectItems(suite.items, settings, responseStrata);
    const params = runParams(suite, settings);
    return personas.flatMap((persona) =>
      Array.from({ length: settings.samples }, (_, sample) => ({
        itemId: persona.id,
        sample,
        persona,
        params,
        armPrompt: armPromptFor(persona, arm.systemPrompt),
      })),
    );
  },
  step: (unit, context, run) => converse(unit, context, run.suite, run.settings),
  collect: (store, run, suite) => collectConversationsRun(store, run, suite),
  metrics(collected, options) {
    const observations = collected.flatMap((c) => c.observations);
    const bootstrap = { seed: options.seed, resamples: options.resamples };
    return {
      rows: conversationMetrics(observations, bootstrap),
      compared: [],
      comparisons: conversationComparisons(observations, bootstrap),
    };
  },
  runFields: (c) => ({
    client: c.client,
    ...(c.defaultClient
      ? { client_note: "default client chosen by careprobe for this target's kind" }
      : {}),
    judges: c.judges,
    judge_validated: false,
    ...(c.defaultJudge
      ? { judge_note: "default judge chosen by careprobe; not validated against human labels" }
      : {}),
  }),
  compare: compareConversations,
  renderItems: (rows, format) => renderConversationItems(rows, format),
};

/** The conversation rows among collected runs of any kind (the HTML failures, JUnit cases). */
export function conversationItems(collected: readonly Collected[]): ConversationItemRow[] {
  return collected
    .filter((c) => conversations.accepts(c.suite))
    .flatMap((c) => c.items as ConversationItemRow[]);
}
