import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import {
  loadChoiceSuiteFile as loadSuiteFile,
  loadChoiceSuiteText as loadSuiteText,
} from "./load.js";

const VALID = `format: careprobe-suite/1
id: tiny
kind: multiple-choice
version: "1"
description: two items
instruction: Answer with the letter only.
dont_know: Do not know
scales:
  likely: [Not likely, Likely]
factors:
  gender:
    - { id: man, label: man, vars: { he: he } }
    - { id: woman, label: woman, vars: { he: she } }
conditions:
  - id: control
    label: Control
    control: true
    vignette: "Sam is a {gender}; {he} is fine."
questions:
  - id: violent
    group: dangerousness
    text: How likely is violence?
    scale: likely
    stigma: [Likely]
`;

function errorOf(fn: () => unknown): CareprobeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CareprobeError) return error;
    throw error;
  }
  throw new Error("expected a CareprobeError");
}

describe("loadSuiteText", () => {
  it("expands conditions x factor levels x questions with filled templates", () => {
    const suite = loadSuiteText(VALID, "tiny.yaml");
    expect(suite.items.map((i) => i.id)).toEqual(["control/man/violent", "control/woman/violent"]);
    expect(suite.items[1]?.prompt).toBe(
      "Vignette:\nSam is a woman; she is fine.\n\nHow likely is violence?\n- (A): Not likely\n- (B): Likely\n- (C): Do not know",
    );
    expect(suite.items[0]?.options).toEqual(["Not likely", "Likely", "Do not know"]);
    expect(suite.items[0]?.stigmaOptions).toEqual(["Likely"]);
    expect(suite.params).toEqual({ temperature: 0, maxTokens: 10 });
  });

  it("gives the same hash for the same content written differently", () => {
    const reformatted = VALID.replace(
      "instruction: Answer with the letter only.",
      'instruction: "Answer with the letter only."',
    );
    expect(loadSuiteText(reformatted, "a.yaml").hash).toBe(loadSuiteText(VALID, "b.yaml").hash);
    expect(loadSuiteText(VALID.replace("is fine", "is well"), "c.yaml").hash).not.toBe(
      loadSuiteText(VALID, "b.yaml").hash,
    );
  });

  it("names the file, line and field of a schema error", () => {
    const broken = VALID.replace("scale: likely", "scale: 7");
    const error = errorOf(() => loadSuiteText(broken, "tiny.yaml"));
    expect(error.code).toBe("SUITE_INVALID");
    expect(error.message).toContain("tiny.yaml:23");
    expect(error.message).toContain("questions.0.scale");
  });

  it("names the line of a YAML syntax error", () => {
    const broken = VALID.replace("  likely: [Not likely, Likely]", "  likely: [Not likely, Likely");
    const error = errorOf(() => loadSuiteText(broken, "tiny.yaml"));
    expect(error.code).toBe("SUITE_INVALID");
    expect(error.message).toMatch(/^tiny\.yaml:\d+: not valid YAML/);
  });

  it("rejects unknown template variables, unknown scales and stigma options off the scale", () => {
    expect(
      errorOf(() => loadSuiteText(VALID.replace("{he} is fine", "{she} is fine"), "t.yaml"))
        .message,
    ).toContain("{she}");
    expect(
      errorOf(() => loadSuiteText(VALID.replace("scale: likely", "scale: willing"), "t.yaml"))
        .message,
    ).toContain("scale `willing`");
    expect(
      errorOf(() => loadSuiteText(VALID.replace("stigma: [Likely]", "stigma: [Maybe]"), "t.yaml"))
        .message,
    ).toContain('"Maybe"');
  });

  it("rejects unknown fields instead of ignoring typos", () => {
    const error = errorOf(() =>
      loadSuiteText(VALID.replace("control: true", "controll: true"), "t.yaml"),
    );
    expect(error.message).toContain("conditions.0");
  });

  it("reads JSON as well", () => {
    const dir = mkdtempSync(join(tmpdir(), "careprobe-suite-"));
    const file = join(dir, "tiny.json");
    const suite = loadSuiteText(VALID, "x.yaml");
    writeFileSync(
      file,
      JSON.stringify({
        format: "careprobe-suite/1",
        id: "tiny",
        kind: "multiple-choice",
        version: "1",
        description: "two items",
        instruction: "Answer with the letter only.",
        dont_know: "Do not know",
        scales: { likely: ["Not likely", "Likely"] },
        factors: {
          gender: [
            { id: "man", label: "man", vars: { he: "he" } },
            { id: "woman", label: "woman", vars: { he: "she" } },
          ],
        },
        conditions: [
          {
            id: "control",
            label: "Control",
            control: true,
            vignette: "Sam is a {gender}; {he} is fine.",
          },
        ],
        questions: [
          {
            id: "violent",
            group: "dangerousness",
            text: "How likely is violence?",
            scale: "likely",
            stigma: ["Likely"],
          },
        ],
      }),
    );
    expect(loadSuiteFile(file).hash).toBe(suite.hash);
  });

  it("says when the file does not exist", () => {
    const error = errorOf(() => loadSuiteFile("no/such/suite.yaml"));
    expect(error.code).toBe("SUITE_NOT_FOUND");
    expect(error.message).toContain("no/such/suite.yaml");
  });
});
