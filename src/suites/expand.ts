/**
 * Expands a declarative multiple-choice suite into items: conditions × crossed factor
 * levels × questions, with every template filled in. Unknown template variables are
 * errors at load time, never literal braces sent to a model.
 */
import { CareprobeError } from "../core/errors.js";
import type { ChoiceItem, ChoiceSuite } from "../core/types.js";
import { letterFor } from "../judges/choice.js";
import { suiteHash } from "./hash.js";
import type { ChoiceSuiteFile } from "./schema.js";

type Level = ChoiceSuiteFile["factors"][string][number];
type Combination = Array<{ factor: string; level: Level }>;

export function fillTemplate(
  template: string,
  vars: Record<string, string>,
  where: string,
): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new CareprobeError(
        "SUITE_INVALID",
        `${where}: the template uses {${name}}, which no factor level defines`,
        {
          hint: `Define \`${name}\` in a factor level's vars (or by), or remove it from the template.`,
        },
      );
    }
    return value;
  });
}

function crossFactors(factors: ChoiceSuiteFile["factors"]): Combination[] {
  let combinations: Combination[] = [[]];
  for (const [factor, levels] of Object.entries(factors)) {
    combinations = combinations.flatMap((combo) =>
      levels.map((level) => [...combo, { factor, level }]),
    );
  }
  return combinations;
}

function variablesFor(combo: Combination): Record<string, string> {
  const vars: Record<string, string> = {};
  const chosen = new Map(combo.map(({ factor, level }) => [factor, level.id]));
  for (const { factor, level } of combo) {
    vars[factor] = level.label;
    Object.assign(vars, level.vars);
    for (const [otherFactor, byLevel] of Object.entries(level.by)) {
      const otherLevel = chosen.get(otherFactor);
      const extra = otherLevel === undefined ? undefined : byLevel[otherLevel];
      if (extra) Object.assign(vars, extra);
    }
  }
  return vars;
}

export function expandChoiceSuite(file: ChoiceSuiteFile, source: string): ChoiceSuite {
  const where = source;
  for (const q of file.questions) {
    const scale = file.scales[q.scale];
    if (!scale) {
      throw new CareprobeError(
        "SUITE_INVALID",
        `${where}: question \`${q.id}\` uses scale \`${q.scale}\`, which \`scales\` does not define`,
      );
    }
    // Options are lettered A–Z: a longer scale (with its "don't know") has no letters left.
    const options = scale.length + (file.dont_know ? 1 : 0);
    if (options > 26) {
      throw new CareprobeError(
        "SUITE_INVALID",
        `${where}: scale \`${q.scale}\` gives question \`${q.id}\` ${options} options; at most 26 (A–Z) can be lettered`,
      );
    }
    const unknown = q.stigma.filter((option) => !scale.includes(option));
    if (unknown.length > 0) {
      throw new CareprobeError(
        "SUITE_INVALID",
        `${where}: question \`${q.id}\` lists stigma option(s) ${unknown.map((o) => `"${o}"`).join(", ")} that are not on scale \`${q.scale}\``,
      );
    }
  }
  const items: ChoiceItem[] = [];
  const seen = new Set<string>();
  // Person outermost, then question, then condition: every prefix of the suite (what
  // --limit N runs) is balanced across conditions, so a quick look compares like with like.
  for (const combo of crossFactors(file.factors)) {
    const vars = variablesFor(combo);
    for (const q of file.questions) {
      const scale = file.scales[q.scale] ?? [];
      const options = file.dont_know ? [...scale, file.dont_know] : [...scale];
      const question = fillTemplate(q.text, vars, `${where}: question \`${q.id}\``);
      const rendered = options
        .map((text, index) =>
          fillTemplate(file.option_template, { letter: letterFor(index), text }, where),
        )
        .join("\n");
      for (const condition of file.conditions) {
        const vignette = fillTemplate(
          condition.vignette,
          vars,
          `${where}: condition \`${condition.id}\``,
        );
        const prompt = fillTemplate(
          file.prompt_template,
          { vignette, question, options: rendered },
          where,
        );
        const id = [condition.id, ...combo.map(({ level }) => level.id), q.id].join("/");
        if (seen.has(id)) {
          throw new CareprobeError("SUITE_INVALID", `${where}: two items share the id \`${id}\``, {
            hint: "Give every condition, factor level and question a distinct id.",
          });
        }
        seen.add(id);
        const attributes: Record<string, string> = { group: q.group };
        for (const { factor, level } of combo) attributes[factor] = level.id;
        items.push({
          id,
          condition: condition.id,
          questionId: q.id,
          question,
          attributes,
          prompt,
          options,
          ...(file.dont_know ? { dontKnow: file.dont_know } : {}),
          stigmaOptions: q.stigma,
          ...(q.features?.length ? { features: q.features } : {}),
        });
      }
    }
  }
  const params = { temperature: file.params.temperature, maxTokens: file.params.max_tokens };
  const fewShot = file.few_shot;
  const conditions = file.conditions.map(({ id, label, control }) => ({ id, label, control }));
  return {
    id: file.id,
    kind: "multiple-choice",
    version: file.version,
    description: file.description,
    source,
    instruction: file.instruction,
    fewShot,
    params,
    conditions,
    items,
    hash: suiteHash({ instruction: file.instruction, fewShot, params, conditions, items }),
  };
}
