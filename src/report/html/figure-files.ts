/** `careprobe report --figures DIR`: the report's figures as standalone SVG files. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CareprobeError } from "../../core/errors.js";
import type { BuiltReport } from "../build.js";
import { reportFigures } from "./figures.js";
import { svgFile } from "./svg.js";

/** Writes one `<id>.svg` per figure; returns the paths written. */
export function writeFigures(report: BuiltReport, dir: string): string[] {
  const written: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const figure of reportFigures(report.data)) {
      const path = join(dir, `${figure.id}.svg`);
      writeFileSync(path, svgFile(figure));
      written.push(path);
    }
  } catch (error) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `Cannot write figures into ${dir}: ${(error as Error).message}`,
      {
        hint: "Check that the folder can be created and written.",
      },
    );
  }
  return written;
}
