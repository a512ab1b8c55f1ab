/** `--fail-under RULE` and `--gate-on` for `run` and `report`: parse early, judge at the end. */
import { CareprobeError } from "../core/errors.js";
import type { MetricRow } from "../core/types.js";
import { sanitizeForTerminal } from "../report/format.js";
import {
  describeGates,
  evaluateGates,
  type GateOn,
  type GateReport,
  type GateRule,
  parseGateRules,
} from "../report/gates.js";
import type { CliIO } from "./io.js";

export const GATE_USAGE = `  --fail-under RULE     exit 1 unless RULE holds for every matching row (repeatable):
                        metric[:condition](>=|<=|>|<)threshold, e.g. appropriate>=0.9,
                        appropriate_critical>=1, stigma:overall<=0.2, critical_failure<=0
  --gate-on W           ci (default: the 95% bound least favourable to the bot) or value`;

export const GATE_OPTIONS = {
  "fail-under": { type: "string", multiple: true },
  "gate-on": { type: "string" },
} as const;

export interface GateSettings {
  rules: GateRule[];
  on: GateOn;
}

/** Reads the gate flags; malformed rules are bad input (exit 2) before anything runs. */
export function gateSettings(values: {
  "fail-under"?: string[];
  "gate-on"?: string;
}): GateSettings {
  const on = values["gate-on"] ?? "ci";
  if (on !== "ci" && on !== "value") {
    throw new CareprobeError("BAD_ARGUMENT", `--gate-on ${on} is not known; use ci or value.`);
  }
  return { rules: parseGateRules(values["fail-under"] ?? []), on };
}

/** Judges the rules, writes the verdict to stderr; undefined when there are no rules. */
export function judgeGates(
  settings: GateSettings,
  metrics: readonly MetricRow[],
  io: CliIO,
): GateReport | undefined {
  if (settings.rules.length === 0) return undefined;
  const report = evaluateGates(settings.rules, metrics, settings.on);
  io.stderr.write(sanitizeForTerminal(describeGates(report)));
  return report;
}

/** Exit code: 1 when a gate failed, else the given code. */
export function gateExit(report: GateReport | undefined, code = 0): number {
  return report && !report.passed ? 1 : code;
}
