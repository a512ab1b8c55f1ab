/**
 * The judge careprobe uses when the user names none. It is a convenience, not a validated
 * instrument: reports say so. `careprobe judge validate` measures a judge against people.
 */
export function defaultJudgeSpec(kindOrSpec: string, targetSpec: string): string {
  if (kindOrSpec === "openai") return "openai:gpt-4o-2024-08-06"; // the paper's judge
  if (targetSpec.startsWith("anthropic:")) return targetSpec;
  return "local:default";
}

/**
 * The simulated client careprobe uses when the user names none (conversations): a capable
 * model of the target's own kind. Reports say it was careprobe's choice.
 */
export function defaultClientSpec(kindOrSpec: string, targetSpec: string): string {
  return defaultJudgeSpec(kindOrSpec, targetSpec);
}
