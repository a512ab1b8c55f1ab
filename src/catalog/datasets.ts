/** Every dataset plug-in careprobe knows (src/datasets/); adding one is one line here. */
import { CareprobeError } from "../core/errors.js";
import type { Dataset } from "../datasets/dataset.js";
import { moore2025 } from "../datasets/moore2025/index.js";

export const DATASETS: readonly Dataset[] = [moore2025];

/** The dataset of that name, or a clear error naming those there are. */
export function datasetNamed(name: string | undefined, command: string): Dataset {
  const found = DATASETS.find((d) => d.name === name);
  if (found) return found;
  const names = DATASETS.map((d) => d.name).join(", ");
  const example = `\`careprobe ${command} ${DATASETS[0]?.name}\``;
  throw new CareprobeError(
    "BAD_ARGUMENT",
    name === undefined
      ? `Name the dataset to ${command}: ${example}.`
      : `Unknown dataset \`${name}\`; name one to ${command}, e.g. ${example}.`,
    { hint: `Datasets: ${names}.` },
  );
}
