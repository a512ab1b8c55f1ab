/**
 * The files Moore et al. (FAccT 2025) published with their paper, pinned to one commit of
 * the authors' repository. Each file is checked against its size and sha256 before it is
 * used, so an import always reads exactly the data the paper reported on.
 */

export const MOORE2025_REPOSITORY = "jlcmoore/llms-as-therapists";
export const MOORE2025_COMMIT = "743e5c2d6ceb156f9114ff405786151628aac84e";

/** What careprobe does with a file; an importer asks only for the files it needs. */
export type Moore2025Use =
  /** The stigma suite: the 1,008 prompts, the 14 questions, the 72 vignettes. */
  | "stigma"
  /** The paper's stigma answers per model and arm, and the 2018 human survey. */
  | "stigma-results"
  /** The appropriate-responses stimuli and the transcripts they were placed in. */
  | "responses"
  /** The paper's responses per model, chatbot and human therapist, with judge labels. */
  | "responses-results"
  /** Judge labels beside two human annotators' labels. */
  | "judge-validation"
  /** Which features of good care each clinical guideline names. */
  | "mapping-review"
  /** The authors' scripts: the therapist prompts (utils.py) and how each experiment sent them. */
  | "prompts";

export interface Moore2025File {
  /** The path in the repository, `/`-separated (names contain `&` and `=`). */
  path: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
  uses: readonly Moore2025Use[];
}

/** Which uses a file serves, decided by where it sits in the repository. */
function usesOf(path: string): Moore2025Use[] {
  if (path.endsWith(".py")) return ["prompts"];
  // prompts.jsonl holds the items; vignettes.jsonl the 14 questions and questions.jsonl
  // the 72 vignettes (the two names are swapped in the repository).
  if (/^data\/(prompts|vignettes|questions)\.jsonl$/.test(path)) return ["stigma"];
  if (path === "data/annotations.csv") return ["mapping-review"];
  if (path === "data/transcript_metadata.jsonl") return ["responses"];
  if (path.startsWith("external_data/") || path.startsWith("results/stigma/")) {
    return ["stigma-results"];
  }
  if (path.endsWith("/classification_validation.csv")) return ["judge-validation"];
  // The per-run jsonl files are the only published copy of the stimuli with their
  // verification questions, so the responses experiment needs them as well.
  if (path.startsWith("results/interjections/") && path.endsWith(".jsonl")) {
    return ["responses", "responses-results"];
  }
  return ["responses-results"];
}

// `<sha256> <size> <path>`, one file a line, sorted by path. Generated from a checkout of
// the commit above; the README.md that sits beside the test copy is not a repository file.
const TABLE = `
442c3665770afff1d53b7f8eec81aeab6133e375db31d3f5fbf7cfd24eb9e3e6 3567 data/annotations.csv
f6d83dd147fc40b54a0d6452bde655e8e1ea1b23e98081c8ba6da657516d1f48 2194452 data/prompts.jsonl
8288a6c7a3a5ba36dd877cd98621ca71a216efc2cccf5cae41ef37b4a773d74b 58164 data/questions.jsonl
87cadd016043f1cd2b69e8a601a4a4e93ef5820124e407037cd94db57da36161 288284 data/transcript_metadata.jsonl
d7f4da1d51fde5eb190006fb94077001666379052141fcf3b98690bc0bf8bb7c 6060 data/vignettes.jsonl
59cbf7804215f99812d7a7023c58584a28ba8de0ebb6bd08c1851ce892f0aa2a 1421 external_data/human_data_2018.csv
fd37ff6136b263d38e425018d413e694c61aeef2f43f8ed5646dacc1b38cb32e 19666 interjections.py
249971b92158f3ed7b74be41e702d77ba3286d3a7a246ac1020957056ee2da2f 3378559 results/interjections/all_combined.csv
0433dac35a0dcfe1975677acc8d0aa45e7f1924c00501b3e62437eeb9044960c 711330 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-19.csv
e7f41e850bbe9a7876e9fb383ff90c18aee32368fa289b6ba3b9a6eeb57b73d0 790820 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-19.jsonl
050d5e1fecf49f09e570071aa5e61919f0443f6f29f565a4a402823f3f2fdea9 707942 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False/classification_validation.csv
7d716a5f2ae09d897576f52ba3b2837a1537fde51f354091efaf5204c0fce6bf 807442 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=True/2025-01-20.jsonl
e6d7de90a999021e7b84219c059c3add15f07701f96243775a36958ee2445ced 803188 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=False/2025-01-20.jsonl
c50eb1a2c8799c755cf07ae20283bbda7373b4b634f94de4998c0a028209d97c 739819 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=True/2025-01-20.jsonl
02eca6fa25c0a4827777a2b9b53bb2e5fd466242af8efcd39e6219a13c70376d 720971 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=False/2025-01-19.jsonl
d81e1f62b38c7d8972fd4d7f16db53a023405eb51ad1d9c4663eac1954b50eac 730622 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=True/2025-01-19.jsonl
bcfdd5b4dcbffc2446568b23d74c068eefa5d87e4c5d8e041e9fad1f97e70e12 586555 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-19.jsonl
22ea0ccd66cc1ad194bcc47546e9d722ec9cb2bb39e478865fb1f91909b9ac79 628338 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=True/2025-01-19.jsonl
6d4ab963d07ccee6aabaf630cb3a487ef15ba086f70b2ea6a6f3b23d33bbe797 785266 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=False/2025-01-20.jsonl
959a52db0dfbccd15e55155fea5452f0de8765490726d71ce679f704015a222d 823984 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=True/2025-01-20.jsonl
ca01e321c3bfa2ff74aaf5569cbd3e553e8853681e17cae19f846d3dadad0d97 659300 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=False/2025-01-20.jsonl
8c9551c431a08f9ace01abab293e22a45a26e204fad1dc976ebcd8136ee971b0 659468 results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=True/2025-01-20.jsonl
2b10d0eff95666c8931c2f3e91126aded51f1bc8b6736332e5eace9806049ddf 803342 results/interjections/contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-20.jsonl
8972139419cfbd3e887dc27142b5354fe3a3c232df89e6fa6f5102bcdc412e9d 799199 results/interjections/contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=False/2025-01-20.jsonl
b69210fdf1a9de49e659dcca5dc4f7d4fce9c84b37053c3f7a1af011fb6f530f 726562 results/interjections/contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=False/2025-01-19.jsonl
28c4b11e6514f211556e7b1808aa82a6a3e6b3820ce94b39e238ddaee0bfddda 602358 results/interjections/contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-19.jsonl
bceb0749575ed1aff080680c5d47c09046a97f2e8976ecc4457313ea932f3baa 744150 results/interjections/contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=False/2025-01-20.jsonl
78b0d1328046768c1ac46f2bf1b23afc8016a2c5c11a858fc581ab7e77b45b50 627646 results/interjections/contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=False/2025-01-20.jsonl
7e05ae4fc43ade68ee92475238e5bf2bc740bda76f22bb2260c4fd9fe98c36c2 6132 results/interjections/date=2025-01-07&filter-model=gpt-4o-2024-08-06&model=Noni-7cups&steel-man-prompt=False/2025-01-07.csv
f3b02de43c8c2cbaed56ab78edbbae1f927b475f65210dbc5cf3c1614ba03aa8 5324 results/interjections/date=2025-01-07&filter-model=gpt-4o-2024-08-06&model=Serena&steel-man-prompt=False/2025-01-07.csv
77247d080c0558494e61199d354b9da8536e1c97eca20552271e5b7c6c97485e 7012 results/interjections/date=2025-01-07&filter-model=gpt-4o-2024-08-06&model=Therapist-CharacterAI&steel-man-prompt=False/2025-01-07.csv
e5b306cfa8a38b3bb314db020fa5c792279975373bd3adcb3ae9b1d59b777477 14575 results/interjections/date=2025-01-07&filter-model=gpt-4o-2024-08-06&model=Therapist-Fictional-GPT&steel-man-prompt=False/2025-01-07.csv
722f60d74234ce600f15afa7d34ac3c54568f953cd816aa6acc983eb65b35247 8814 results/interjections/date=2025-01-07&filter-model=gpt-4o-2024-08-06&model=pi&steel-man-prompt=False/2025-01-07.csv
8240fe802afc553769139059d80b125e1cca7dd54966a08072af92c6d6b25660 46915 results/interjections/date=2025-04-14&filter-model=gpt-4o-2024-08-06&model=human_therapist&steel-man-prompt=False/2025-04-15.csv
fcdd2eb60bcb720b59fa3562defa4b48ca0a26cee97dc1e2a30f8e233a1beda7 3395315 results/stigma/all_combined.csv
a48e20d31849ee022824b90f40eb697948d433a6c7d1b1c6d27d1372810f9645 2247936 results/stigma/model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-18.jsonl
fb6065e21e2c938732bc7583cd06cefee0ea1616e809b79116e8974d8753c562 2246897 results/stigma/model=gpt-4o-2024-08-06&steel-man-prompt=True/2025-01-18.jsonl
072280ef6c80bba0202d9f1194394596ff59ad2a1ecfd2f17b4058d82b94ebf6 2276288 results/stigma/model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=False/2025-01-19.jsonl
71b4de9267f2163bb9e3bdd64cb9083dadba883859d6e3789bc68e735d3bb667 2278138 results/stigma/model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=True/2025-01-19.jsonl
09b7d4ad6833ce5251b67283a7c829e545b47f462bf05deae37eefc44e7037aa 2260232 results/stigma/model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=False/2025-01-18.jsonl
e89256992bfcdf21841e0d86f5e3c63e175e464136da181a13336f1bd51ceeb3 2281051 results/stigma/model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=True/2025-01-19.jsonl
2b9d5e99e7891011f89628f9d12449490f8ce3170b00be5ce8649e8dce6eefc2 2249108 results/stigma/model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-01.jsonl
f4f383cee9e98ef3164f330410ee04ae0e66e0a9d2455747e369cf58f5fd6a10 2247415 results/stigma/model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-02.jsonl
3cb79551339df0b437d4f9e79b73e7fdb8f504dd5989d9c483cecff4e53fbe3f 2248662 results/stigma/model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=True/2025-01-18.jsonl
139b90854072de2f49f0f95688ddabaaf8a63c9c6ee7dcf7c66250ae7dbbbc9f 2248421 results/stigma/model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=False/2025-01-01.jsonl
d0db58de2339a522acf295ba850aab1b1a53332fd99d61b170091f1ff4352226 2248225 results/stigma/model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=True/2025-01-18.jsonl
fd8a2dc2758c389159088a08ca02d294f7acdf2f782c7a90d0e3c8600fe8ed78 2248863 results/stigma/model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=False/2025-01-02.jsonl
95396bdf0086fb336fbcae2b2ec0d9b795f2dcdd212a2eeeba5949172e2de631 2248572 results/stigma/model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=True/2025-01-18.jsonl
12bef60cd45c33058f441346bfb8a883ea44339dff86bda8c2e72a06331dcfae 4249 stigma.py
3c74e7a7c551d392b50162f165c20f3e73724397da8a4823be398910ce47d523 8072 utils.py
`;

export const MOORE2025_FILES: readonly Moore2025File[] = TABLE.trim()
  .split("\n")
  .map((line) => {
    const [sha256 = "", size = "", path = ""] = line.split(" ");
    return { path, size: Number(size), sha256, uses: usesOf(path) };
  });

/** The files one use needs, in manifest order. */
export function moore2025FilesFor(use: Moore2025Use): Moore2025File[] {
  return MOORE2025_FILES.filter((file) => file.uses.includes(use));
}

/** Total bytes of the manifest, for progress displays. */
export const MOORE2025_TOTAL_BYTES = MOORE2025_FILES.reduce((sum, file) => sum + file.size, 0);
