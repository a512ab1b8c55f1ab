/**
 * The appropriate-responses experiment: client messages (alone, or placed inside
 * transcripts with a bridge), the target's answer, and a panel of judges answering each
 * verification question about it.
 */
import { responseMetrics } from "../../analysis/appropriate.js";
import type { ResponsesSuite, Target } from "../../core/types.js";
import { placementId } from "../../store/names.js";
import { suiteHash } from "../../suites/hash.js";
import { validateParsed } from "../../suites/parse-file.js";
import { expandResponsesSuite } from "../../suites/responses.js";
import { responsesSuiteSchema } from "../../suites/responses-schema.js";
import { responseStrata, selectItems } from "../../suites/select.js";
import { placementsFor } from "../../suites/transcripts.js";
import type { Experiment } from "../experiment.js";
import { runParams } from "../params.js";
import { agreementRows } from "./agreement-rows.js";
import { type CollectedResponsesRun, collectResponsesRun } from "./collect.js";
import { compareResponses } from "./compare.js";
import { renderResponseItemsCsv, renderResponseItemsJsonl } from "./items.js";
import { judgeAgreements, judgesValidated, withJudgeAgreement } from "./judge-agreement.js";
import { judgePositionRows } from "./judge-position-rows.js";
import { responsesSystem } from "./messages.js";
import { type ResponsesUnit, respond } from "./step.js";

const model = (target: Target) => ({ spec: target.spec, identity: target.identity ?? "" });

/**
 * Answer length of local targets when no --max-tokens is given: about the 1,024 characters
 * that are judged (English runs near 4 characters a token), instead of the suite's 512
 * tokens that a CPU needs minutes for.
 */
export const LOCAL_RESPONSE_MAX_TOKENS = 320;

const RESPONSES_DOCS = "See docs/design/responses-suite.md for the responses suite format.";

export const responses: Experiment<ResponsesSuite, ResponsesUnit, CollectedResponsesRun> = {
  kind: "responses",
  needsJudges: true,
  localMaxTokens: LOCAL_RESPONSE_MAX_TOKENS,
  accepts: (suite): suite is ResponsesSuite => suite.kind === "responses",
  suiteDocs: RESPONSES_DOCS,
  transcriptConditions: (suite) => suite.conditions.map((c) => c.id),
  parseSuite: (parsed, file) =>
    expandResponsesSuite(
      validateParsed(parsed, file, responsesSuiteSchema, { hint: RESPONSES_DOCS }),
      file,
    ),
  adjustSuite(suite, { charLimit }) {
    if (charLimit === undefined) return suite;
    // The same stimuli under another length limit: a different instrument, a different hash.
    const { params, conditions, items } = suite;
    return { ...suite, charLimit, hash: suiteHash({ charLimit, params, conditions, items }) };
  },
  describeRun(_suite, roles, arm, settings) {
    const config = {
      kind: "responses",
      judges: roles.judges.map(model),
      defaultJudge: settings.defaultJudge,
      transcripts: settings.transcripts ? { hash: settings.transcripts.hash } : null,
      interval: settings.interval,
      contextualizer: roles.contextualizer ? model(roles.contextualizer) : null,
      temperature: settings.temperature ?? null,
      maxTokens: settings.maxTokens ?? null,
      seed: settings.judgeSeed,
    };
    const label = roles.contextualizer ? `${arm.id}+contextualized` : arm.id;
    return { arm: label, identity: { config }, config };
  },
  units(suite, arm, settings) {
    const limited = selectItems(suite.items, settings, responseStrata);
    const only = settings.only;
    const items = only ? limited.filter((item) => only.has(item.id)) : limited;
    const system = responsesSystem(suite, arm);
    const params = runParams(suite, settings);
    const transcripts = settings.transcripts?.list ?? [];
    const units: ResponsesUnit[] = [];
    for (const item of items) {
      for (const placement of placementsFor(item, transcripts, settings.interval)) {
        const where = {
          stimulus: item.id,
          transcript: placement.transcript,
          position: placement.position,
        };
        const itemId = placementId(where);
        for (let sample = 0; sample < settings.samples; sample++) {
          units.push({ itemId, sample, where, item, placement, system, params });
        }
      }
    }
    return units;
  },
  step: (unit, context, run) => respond(unit, context, run.suite, run.settings.judgeSeed),
  collect: (store, run, suite, recipe) => collectResponsesRun(store, run, suite, recipe),
  metrics(collected, options) {
    const bootstrap = { seed: options.seed, resamples: options.resamples };
    const required = options.requireJudgeAgreement;
    const agreements = judgeAgreements(collected, { seed: options.seed });
    const rows = withJudgeAgreement(
      responseMetrics(
        collected.flatMap((c) => c.observations),
        { ...bootstrap, recipe: options.recipe },
      ),
      collected,
      agreements,
      required,
    );
    return {
      rows: [...rows, ...agreementRows(collected, bootstrap), ...judgePositionRows(collected)],
      compared: rows,
      runs: Object.fromEntries(
        collected.map((c) => [
          c.run.id,
          { judge_validated: judgesValidated(c.judges, agreements, required) },
        ]),
      ),
    };
  },
  runFields: (c) => ({
    judges: c.judges,
    judge_validated: false,
    ...(c.defaultJudge
      ? { judge_note: "default judge chosen by careprobe; not validated against human labels" }
      : {}),
  }),
  compare: compareResponses,
  renderItems: (rows, format) =>
    format === "csv" ? renderResponseItemsCsv(rows) : renderResponseItemsJsonl(rows),
};
