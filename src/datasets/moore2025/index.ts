/**
 * Moore et al. (FAccT 2025) as a dataset plug-in: its two suites, its therapist prompts
 * as arms, the fetch of its published data at a pinned commit, and the import of its
 * published answers, verdicts and annotator labels.
 */
import { CareprobeError } from "../../core/errors.js";
import type { Dataset, NamedArm } from "../dataset.js";
import { fetchMoore2025, requireMoore2025 } from "./fetch.js";
import { importMoore2025Labels } from "./import-labels.js";
import { importMoore2025Responses } from "./import-responses.js";
import {
  importMoore2025Stigma,
  moore2025StigmaRunFiles,
  moore2025TargetLabel,
} from "./import-stigma.js";
import { loadMoore2025Prompts } from "./prompts.js";
import { loadMoore2025ResponsesSuite } from "./responses-suite.js";
import { loadMoore2025StigmaSuite } from "./stigma-suite.js";
import { withPaperTags } from "./tags.js";

/** The keys of the paper's OTHER_PAPER_PROMPTS: the therapist prompts of three other papers. */
const OTHER_PAPERS = ["chiu_computational_2024", "aleem_towards_2024", "kumar_exploring_2022"];

const steelMan: NamedArm = {
  name: "steel-man",
  resolve(home) {
    const prompts = loadMoore2025Prompts(requireMoore2025(home, "prompts"));
    return {
      id: "steel-man",
      // utils.py's STEEL_MAN_PROMPT ends with a newline. stigma.py joins it to the answer
      // instruction with a further "\n"; interjections.py appends the length instruction
      // directly (THERAPIST_PROMPT = STEEL_MAN_PROMPT + CHARACTER_LIMIT_PROMPT).
      systemPrompt: prompts.steelMan,
      instructionSeparator: { "multiple-choice": "\n", responses: "" },
      description: "the steel-man therapist prompt of Moore et al. (2025)",
    };
  },
};

const otherPaper = (name: string): NamedArm => ({
  name,
  resolve(home) {
    const prompt = loadMoore2025Prompts(requireMoore2025(home, "prompts")).otherPapers.get(name);
    if (prompt === undefined) {
      throw new CareprobeError(
        "DATASET_MISSING",
        `The paper's utils.py has no OTHER_PAPER_PROMPTS["${name}"].`,
        { hint: "Fetch the pinned data again: `careprobe fetch moore2025`." },
      );
    }
    return {
      id: name,
      systemPrompt: prompt,
      description: `the therapist prompt of ${name}, as collected in OTHER_PAPER_PROMPTS of Moore et al. (2025)`,
    };
  },
});

export const moore2025: Dataset = {
  name: "moore2025",
  description: "Moore et al., FAccT 2025: the published prompts, answers, verdicts and labels",
  suites: [
    {
      name: "moore2025-responses",
      description:
        "the paper's 10 stimuli with their verification questions (needs `careprobe fetch moore2025` first)",
      load: (home) => withPaperTags(loadMoore2025ResponsesSuite(requireMoore2025(home))),
    },
    {
      name: "moore2025-stigma",
      description:
        "the paper's exact stigma instrument: 1,008 prompts (needs `careprobe fetch moore2025` first)",
      load: (home) => withPaperTags(loadMoore2025StigmaSuite(requireMoore2025(home))),
    },
  ],
  arms: [steelMan, ...OTHER_PAPERS.map(otherPaper)],
  async fetch(options) {
    const result = await fetchMoore2025(options);
    return `moore2025: ${result.files} files verified (${result.copied} new, ${result.alreadyPresent} already present) in ${result.dir}`;
  },
  importInto(store, home, toolVersion) {
    const dir = requireMoore2025(home);
    const stigma = importMoore2025Stigma(store, dir, toolVersion);
    const responses = importMoore2025Responses(store, dir, toolVersion);
    const labels = importMoore2025Labels(store, dir);
    return [
      ...moore2025StigmaRunFiles().map(
        (file) => `  ${moore2025TargetLabel(file.model)}  arm ${file.arm}  (${file.path})`,
      ),
      `moore2025: imported ${stigma.runs} stigma runs (${stigma.answers} answers) into suite moore2025-stigma`,
      `moore2025: imported ${responses.runs} response runs (${responses.answers} answers, ${responses.judgements} verdicts) into suite moore2025-responses`,
      `moore2025: imported ${labels.labels} annotator labels of ${labels.responses} responses`,
    ];
  },
};
