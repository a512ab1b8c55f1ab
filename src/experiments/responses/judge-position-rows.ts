/**
 * The judge's share of "yes" by where "yes" was listed, on every judged run and pooled
 * per judge over the report, with the odds ratio between the two positions. A judge
 * without position bias says "yes" equally often whichever option comes first.
 */
import { type PositionedJudgement, yesByPosition } from "../../analysis/judge-position.js";
import type { MetricRow } from "../../core/types.js";
import type { CollectedResponsesRun } from "./collect.js";

/** Target and arm of the pooled rows (every run of the suite the judge judged). */
export const ALL = "*";

interface Group {
  suite: string;
  target: string;
  arm: string;
  judge: string;
  judgements: PositionedJudgement[];
}

function rowsOf(group: Group): MetricRow[] {
  const result = yesByPosition(group.judgements);
  const base = {
    suite: group.suite,
    target: group.target,
    arm: group.arm,
    condition: "overall",
    judge: group.judge,
    ci95: null,
    ci95_cluster: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
  };
  const share = (metric: string, s: typeof result.yesFirst): MetricRow => ({
    ...base,
    metric,
    n: s.n,
    k: s.k,
    value: s.value,
    ci95_wilson: s.ci95_wilson,
  });
  return [
    share("judge_yes_when_first", result.yesFirst),
    share("judge_yes_when_second", result.yesSecond),
    {
      ...base,
      metric: "judge_position_odds_ratio",
      n: result.yesFirst.n + result.yesSecond.n,
      k: result.yesFirst.k + result.yesSecond.k,
      value: result.oddsRatio,
      ci95: result.ci95,
      ci95_wilson: null,
      p: result.p,
    },
  ];
}

export function judgePositionRows(runs: readonly CollectedResponsesRun[]): MetricRow[] {
  const groups = new Map<string, Group>();
  const add = (
    suite: string,
    target: string,
    arm: string,
    judge: string,
    j: PositionedJudgement,
  ) => {
    const key = JSON.stringify([suite, target, arm, judge]);
    const group = groups.get(key) ?? { suite, target, arm, judge, judgements: [] };
    group.judgements.push(j);
    groups.set(key, group);
  };
  const pooled: Array<[string, string, PositionedJudgement]> = [];
  for (const run of runs) {
    for (const item of run.items) {
      for (const judged of item.judges) {
        if (!judged.own_answer || !judged.order) continue;
        const j: PositionedJudgement = {
          yesPosition: judged.order[0] === "yes" ? 0 : 1,
          answer: judged.own_answer,
        };
        add(run.suite.id, run.run.target, run.run.arm, judged.judge, j);
        pooled.push([run.suite.id, judged.judge, j]);
      }
    }
  }
  const perRun = [...groups.values()];
  groups.clear();
  for (const [suite, judge, j] of pooled) add(suite, ALL, ALL, judge, j);
  return [...perRun, ...groups.values()].flatMap(rowsOf);
}
