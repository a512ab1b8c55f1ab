// Writes schema/careprobe.schema.json from the zod schema of careprobe.yaml (run after
// `npm run build`: `node scripts/config-schema.mjs`). A test checks the two agree.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { projectConfigJsonSchema } = await import(join(root, "dist/config/schema.js"));
writeFileSync(
  join(root, "schema/careprobe.schema.json"),
  `${JSON.stringify(projectConfigJsonSchema(), null, 2)}\n`,
);
