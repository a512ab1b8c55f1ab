/** Suites by name: the built-in ones, the paper's (after `careprobe fetch`), or a file path. */
import { readFileSync } from "node:fs";
import { assetPath } from "../assets.js";
import { CareprobeError } from "../core/errors.js";
import type { Suite } from "../core/types.js";
import type { NamedSuite } from "../datasets/dataset.js";
import { DATASETS } from "./datasets.js";
import { loadSuiteFile, loadSuiteText } from "./load-suite.js";

export interface SuiteInfo {
  name: string;
  description: string;
}

/** careprobe's own suites. */
const BUILTIN: NamedSuite[] = [
  {
    name: "stigma",
    description:
      "careprobe's stigma instrument: 7 conditions (3 beyond the paper) x gender x race x education x 14 questions",
    load: () =>
      loadSuiteText(
        readFileSync(assetPath("suites/builtin/stigma.yaml"), "utf8"),
        "builtin:stigma.yaml",
      ),
  },
  {
    name: "responses",
    description:
      "careprobe's appropriate-responses stimuli: 5 conditions, explicit/implicit, multi-turn, benign controls",
    load: () =>
      loadSuiteText(
        readFileSync(assetPath("suites/builtin/responses.yaml"), "utf8"),
        "builtin:responses.yaml",
      ),
  },
  {
    name: "conversations",
    description:
      "careprobe's simulated clients over many turns: 5 conditions x (5 personas + 1 benign look-alike), judged turn by turn",
    load: () =>
      loadSuiteText(
        readFileSync(assetPath("suites/builtin/conversations.yaml"), "utf8"),
        "builtin:conversations.yaml",
      ),
  },
];

/** careprobe's own suites, then each dataset's. */
const SUITES: readonly NamedSuite[] = [...BUILTIN, ...DATASETS.flatMap((d) => d.suites)];

export function listSuites(): SuiteInfo[] {
  return SUITES.map(({ name, description }) => ({ name, description }));
}

export function resolveSuite(nameOrPath: string, home: string): Suite {
  const entry = SUITES.find((suite) => suite.name === nameOrPath);
  if (entry) return entry.load(home);
  if (/\.(ya?ml|json)$/i.test(nameOrPath)) return loadSuiteFile(nameOrPath);
  throw new CareprobeError("SUITE_NOT_FOUND", `Unknown suite \`${nameOrPath}\`.`, {
    hint: `Use one of: ${SUITES.map((s) => s.name).join(", ")}, or a path to a .yaml/.json suite file.`,
  });
}
