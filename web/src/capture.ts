/**
 * Capture: for an app without an API, show each client turn to paste into the app and
 * take the app's reply, turn by turn. Each reply is stored when given; the last turn's
 * reply becomes the answer of target manual:<app> (identity: the app's version).
 */
import { get, post, remembered } from "./api.js";
import { conversation, field, h, replace, select, status } from "./dom.js";
import { stimulusPicker } from "./picker.js";
import type { RecordResult, Stimuli, Stimulus } from "./types.js";

export async function capturePage(root: HTMLElement): Promise<void> {
  const { suites } = await get<{ suites: Array<{ id: string }> }>("/api/record/suites");
  const app = h("input", {
    id: "capture-app",
    value: remembered("capture.app"),
    maxlength: 64,
    required: true,
  });
  const version = h("input", {
    id: "capture-version",
    value: remembered("capture.version"),
    maxlength: 64,
    required: true,
  });
  const suite = select(
    "suite",
    suites.map((s) => s.id),
    remembered("capture.suite") || "responses",
  );
  const work = h("section", { id: "capture-work" });
  const form = h(
    "form",
    { id: "capture-setup", class: "setup" },
    h("h2", {}, "Capture an app's replies"),
    field("App name", app),
    field("App version", version),
    field("Suite", suite),
    h("button", { type: "submit" }, "Start"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remembered("capture.app", app.value.trim());
    remembered("capture.version", version.value.trim());
    remembered("capture.suite", suite.value);
    void capturing(work, app.value.trim(), version.value.trim(), suite.value);
  });
  replace(root, form, work);
  if (app.value && version.value) await capturing(work, app.value, version.value, suite.value);
}

function clientTurnTexts(stimulus: Stimulus): string[] {
  return stimulus.turns.filter((t) => t.role === "client").map((t) => t.content);
}

async function capturing(
  root: HTMLElement,
  app: string,
  version: string,
  suiteId: string,
  chosen?: string,
): Promise<void> {
  const data = await get<Stimuli>("/api/record/stimuli", { suite: suiteId, app, version });
  const complete = (s: Stimulus) =>
    data.given[s.id]?.some((g) => g.turn === s.clientTurns - 1) ?? false;
  const stimulus =
    data.stimuli.find((s) => s.id === chosen && !complete(s)) ??
    data.stimuli.find((s) => !complete(s));
  const done = data.stimuli.filter(complete).length;
  if (!stimulus) {
    replace(
      root,
      h(
        "p",
        { id: "capture-progress" },
        `All ${data.stimuli.length} stimuli captured for ${data.target} ${version}.`,
      ),
    );
    return;
  }
  const given = data.given[stimulus.id] ?? [];
  const turns = clientTurnTexts(stimulus);
  const turn = turns.findIndex((_, i) => !given.some((g) => g.turn === i));
  const history = turns.slice(0, turn).flatMap((text, i) => [
    { role: "client", content: text },
    { role: "therapist", content: given.find((g) => g.turn === i)?.reply ?? "" },
  ]);
  const reply = h("textarea", {
    id: "capture-reply",
    rows: 6,
    placeholder: "Paste the app's reply here",
  });
  const at = h("input", { id: "capture-time", type: "datetime-local" });
  const send = async () => {
    if (reply.value.trim() === "") return status("Paste the app's reply first.", "error");
    status("Saving…");
    const capturedAt = at.value ? new Date(at.value).toISOString() : new Date().toISOString();
    try {
      const result = await post<RecordResult>("/api/capture", {
        suite: suiteId,
        app,
        version,
        itemId: stimulus.id,
        turn,
        reply: reply.value,
        capturedAt,
      });
      status(
        result.runId ? `Saved and judged as ${result.target}` : `Saved turn ${turn + 1}`,
        result.judged.failed.length > 0 ? "error" : "ok",
      );
      await capturing(root, app, version, suiteId, stimulus.id);
    } catch (error) {
      status(`Not saved: ${(error as Error).message}`, "error");
    }
  };
  const picker = stimulusPicker(data, complete, stimulus.id, (id) =>
    capturing(root, app, version, suiteId, id),
  );
  replace(
    root,
    picker,
    h(
      "p",
      { id: "capture-progress" },
      `${done} of ${data.stimuli.length} captured for ${data.target} ${version} · turn ${turn + 1} of ${turns.length}`,
    ),
    h("p", { class: "meta" }, `${stimulus.condition} · ${stimulus.severity}`),
    history.length > 0 ? conversation(history) : null,
    h("h3", {}, "Type this into the app"),
    h("div", { class: "to-paste", id: "capture-prompt" }, turns[turn] ?? ""),
    field("The app's reply", reply),
    field("Captured at (default: now)", at),
    h(
      "p",
      {},
      h("button", { type: "button", id: "capture-send", onclick: () => void send() }, "Save reply"),
    ),
  );
}
