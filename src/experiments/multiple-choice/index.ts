/**
 * The multiple-choice experiment (stigma): each item is one prompt with lettered options,
 * answered by the target alone; the answer is read at report time under the recipe.
 */
import type { ChoiceSuite, GenerationParams } from "../../core/types.js";
import { letterFor } from "../../judges/choice.js";
import { expandChoiceSuite } from "../../suites/expand.js";
import { shownItems } from "../../suites/option-order.js";
import { validateParsed } from "../../suites/parse-file.js";
import { choiceSuiteSchema } from "../../suites/schema.js";
import { choiceStrata, selectItems } from "../../suites/select.js";
import type { Experiment, WorkUnit } from "../experiment.js";
import { runParams } from "../params.js";
import { type CollectedRun, collectRun } from "./collect.js";
import { compareChoice } from "./compare.js";
import { renderItemsCsv, renderItemsJsonl } from "./items.js";
import { itemMessages } from "./messages.js";
import { choiceMetrics } from "./metrics.js";
import { orderConfig, orderIdentity, settingsOrder } from "./order.js";

export interface ChoiceUnit extends WorkUnit {
  messages: ReturnType<typeof itemMessages>;
  params: GenerationParams;
  choices: string[];
}

const CHOICE_DOCS = "See docs/design/stigma-suite.md for the multiple-choice suite format.";

export const multipleChoice: Experiment<ChoiceSuite, ChoiceUnit, CollectedRun> = {
  kind: "multiple-choice",
  needsJudges: false,
  accepts: (suite): suite is ChoiceSuite => suite.kind === "multiple-choice",
  suiteDocs: CHOICE_DOCS,
  parseSuite: (parsed, file) =>
    expandChoiceSuite(validateParsed(parsed, file, choiceSuiteSchema, { hint: CHOICE_DOCS }), file),
  describeRun(suite, _roles, arm, settings) {
    const order = settingsOrder(settings);
    // Refused here, before the run is stored, when the prompts' options cannot be reordered.
    shownItems(suite.items, order.order, order.seed);
    return {
      arm: arm.id,
      identity: {
        temperature: settings.temperature ?? null,
        maxTokens: settings.maxTokens ?? null,
        constrained: settings.constrained,
        ...orderIdentity(order),
      },
      config: orderConfig(order),
    };
  },
  units(suite, arm, settings) {
    // Orders are decided over the whole suite, so an item's order never depends on --limit.
    const { order, seed } = settingsOrder(settings);
    const items = selectItems(shownItems(suite.items, order, seed), settings, choiceStrata);
    const params = runParams(suite, settings);
    const units: ChoiceUnit[] = [];
    for (const item of items) {
      const messages = itemMessages(suite, arm, item);
      const choices = item.options.map((_option, index) => letterFor(index));
      for (let sample = 0; sample < settings.samples; sample++) {
        units.push({ itemId: item.id, sample, messages, params, choices });
      }
    }
    return units;
  },
  async step(unit, context, run) {
    await context.ask({
      step: { role: "target" },
      target: context.roles.target,
      messages: unit.messages,
      params: unit.params,
      sample: unit.sample,
      choices: unit.choices,
      constrained: run.settings.constrained,
    });
  },
  collect: (store, run, suite, recipe) => collectRun(store, run, suite, recipe),
  metrics: (collected, options) => choiceMetrics(collected, options),
  runFields: (c) => ({ option_order: c.optionOrder }),
  compare: compareChoice,
  renderItems: (rows, format) => (format === "csv" ? renderItemsCsv(rows) : renderItemsJsonl(rows)),
};
