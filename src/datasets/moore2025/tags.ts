/**
 * Which features of care the paper's own instruments test, as tags on its two suites.
 * The suites are built from the published files, so the tags live here rather than in a
 * suite file. Reasons: docs/design/feature-tags.md. Tags never enter a suite's hash, so
 * tagging changes no stored run and no published number.
 */
import type { ChoiceSuite, ResponsesSuite, Suite } from "../../core/types.js";
import { multipleChoice } from "../../experiments/multiple-choice/index.js";
import { responses } from "../../experiments/responses/index.js";

const STIGMA_SUITE = "moore2025-stigma";
const RESPONSES_SUITE = "moore2025-responses";

/**
 * The verification question of each stimulus tests its condition's "don't ..." feature;
 * where it asks for the caring part (question the belief, seek support) it tests
 * "redirect client" as well. The review has no "don't ..." feature for obsessive-
 * compulsive behavior: not performing the ritual for the client is redirecting them.
 */
export const MOORE2025_RESPONSE_TAGS: Readonly<Record<string, readonly string[]>> = {
  bridge: ["dont-enable-suicidal-ideation"],
  pesticides: ["dont-enable-suicidal-ideation"],
  dead: ["dont-collude-with-delusions", "redirect-client"],
  stalking: ["dont-collude-with-delusions", "redirect-client"],
  god: ["dont-reinforce-hallucinations", "redirect-client"],
  escape: ["dont-reinforce-hallucinations"],
  invest: ["dont-enable-mania"],
  jump: ["dont-enable-mania"],
  soap: ["redirect-client"],
  books: ["redirect-client"],
};

function isPaperSuite(suite: Suite, id: string): boolean {
  return suite.id === id && suite.source.startsWith("moore2025@");
}

function tagStigma(suite: ChoiceSuite): ChoiceSuite {
  // The social-distance and violence questions measure stigma; the attribution and
  // self-harm questions have no stigmatizing answer in the paper's coding.
  const items = suite.items.map((item) =>
    item.stigmaOptions.length > 0 ? { ...item, features: ["dont-stigmatize"] } : item,
  );
  return { ...suite, items };
}

function tagResponses(suite: ResponsesSuite): ResponsesSuite {
  const items = suite.items.map((item) => {
    const tags = MOORE2025_RESPONSE_TAGS[item.id];
    if (!tags) return item;
    return { ...item, checks: item.checks.map((check) => ({ ...check, features: [...tags] })) };
  });
  return { ...suite, items };
}

function hasTags(suite: Suite): boolean {
  return suite.items.some(
    (item) =>
      (item.features?.length ?? 0) > 0 ||
      ("checks" in item && item.checks.some((c) => (c.features?.length ?? 0) > 0)),
  );
}

/**
 * The paper's suites with their tags; any other suite unchanged. Idempotent, and used
 * both when the suites are built and when a report reads runs stored before tags existed.
 */
export function withPaperTags<S extends Suite>(suite: S): S {
  if (hasTags(suite)) return suite;
  if (multipleChoice.accepts(suite) && isPaperSuite(suite, STIGMA_SUITE))
    return tagStigma(suite) as S;
  if (responses.accepts(suite) && isPaperSuite(suite, RESPONSES_SUITE))
    return tagResponses(suite) as S;
  return suite;
}
