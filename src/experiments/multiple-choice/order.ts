/**
 * `--option-order` in a multiple-choice run: what enters the run's identity and config,
 * and the order a stored run recorded (docs/design/option-order.md).
 */
import type { RunConfig } from "../../store/records.js";
import { isOptionOrder, type OptionOrder } from "../../suites/option-order.js";
import type { RunSettings } from "../experiment.js";

export interface RunOrder {
  order: OptionOrder;
  seed: number;
}

export function settingsOrder(settings: RunSettings): RunOrder {
  return { order: settings.optionOrder ?? "fixed", seed: settings.optionSeed ?? 0 };
}

/** Only a counterbalanced run carries its order (and its seed where it has one): fixed runs keep their ids. */
export function orderIdentity({ order, seed }: RunOrder): Record<string, unknown> {
  if (order === "fixed") return {};
  if (order === "reversed") return { optionOrder: order };
  return { optionOrder: order, optionSeed: seed };
}

/** What the run records: its order always, the seed of the seeded orders. */
export function orderConfig({ order, seed }: RunOrder): Record<string, unknown> {
  return order === "balanced" || order === "shuffled"
    ? { optionOrder: order, optionSeed: seed }
    : { optionOrder: order };
}

/** The order a stored run recorded; runs from before counterbalancing are `fixed`. */
export function recordedOrder(config: RunConfig | undefined): RunOrder {
  const order = config?.optionOrder ?? "fixed";
  return { order: isOptionOrder(order) ? order : "fixed", seed: config?.optionSeed ?? 0 };
}
