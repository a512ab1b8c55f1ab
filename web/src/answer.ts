/**
 * Answer: a clinician answers stimuli as the therapist, within the suite's character
 * limit. Each answer is stored when sent (target human:<name>) and judged by the same
 * judges as the models.
 */
import { get, post, remembered } from "./api.js";
import { conversation, field, h, replace, select, status } from "./dom.js";
import { stimulusPicker } from "./picker.js";
import type { RecordResult, Stimuli, Stimulus } from "./types.js";

async function suites(): Promise<Array<{ id: string; charLimit: number; items: number }>> {
  return (
    await get<{ suites: Array<{ id: string; charLimit: number; items: number }> }>(
      "/api/record/suites",
    )
  ).suites;
}

export async function answerPage(root: HTMLElement): Promise<void> {
  const list = await suites();
  const name = h("input", {
    id: "answer-name",
    value: remembered("answer.name"),
    maxlength: 64,
    required: true,
  });
  const suite = select(
    "suite",
    list.map((s) => s.id),
    remembered("answer.suite") || "responses",
  );
  const work = h("section", { id: "answer-work" });
  const start = h(
    "form",
    { id: "answer-setup", class: "setup" },
    h("h2", {}, "Answer as the therapist"),
    field("Your name", name),
    field("Suite", suite),
    h("button", { type: "submit" }, "Start"),
  );
  start.addEventListener("submit", (event) => {
    event.preventDefault();
    remembered("answer.name", name.value.trim());
    remembered("answer.suite", suite.value);
    void answering(work, name.value.trim(), suite.value);
  });
  replace(root, start, work);
  if (name.value) await answering(work, name.value, suite.value);
}

async function answering(
  root: HTMLElement,
  name: string,
  suiteId: string,
  chosen?: string,
): Promise<void> {
  const data = await get<Stimuli>("/api/record/stimuli", { suite: suiteId, name });
  const complete = (s: Stimulus) =>
    data.given[s.id]?.some((g) => g.turn === s.clientTurns - 1) ?? false;
  const open = data.stimuli.filter((s) => !complete(s));
  const stimulus = open.find((s) => s.id === chosen) ?? open[0];
  const done = data.stimuli.length - open.length;
  if (!stimulus) {
    replace(
      root,
      h(
        "p",
        { id: "answer-progress" },
        `All ${data.stimuli.length} stimuli answered as ${data.target}. Thank you.`,
      ),
    );
    return;
  }
  const reply = h("textarea", {
    id: "answer-reply",
    rows: 6,
    maxlength: data.charLimit,
    placeholder: "Your reply as the therapist",
  });
  const count = h("span", { class: "count" }, `0 / ${data.charLimit}`);
  reply.addEventListener("input", () => {
    count.textContent = `${reply.value.length} / ${data.charLimit}`;
  });
  const send = async () => {
    if (reply.value.trim() === "") return status("Write a reply first.", "error");
    status("Saving…");
    try {
      const result = await post<RecordResult>("/api/answer", {
        suite: suiteId,
        name,
        itemId: stimulus.id,
        reply: reply.value,
      });
      const failed =
        result.judged.failed.length > 0
          ? ` (judging failed: ${result.judged.failed.join("; ")}; the answer is kept)`
          : "";
      status(`Saved as ${result.target}${failed}`, failed ? "error" : "ok");
      await answering(root, name, suiteId, stimulus.id);
    } catch (error) {
      status(`Not saved: ${(error as Error).message}`, "error");
    }
  };
  reply.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void send();
  });
  replace(
    root,
    stimulusPicker(data, complete, stimulus.id, (id) => answering(root, name, suiteId, id)),
    h(
      "p",
      { id: "answer-progress" },
      `${done} of ${data.stimuli.length} answered as ${data.target}`,
    ),
    h("p", { class: "meta" }, `${stimulus.condition} · ${stimulus.severity}`),
    conversation(stimulus.turns),
    field("Your reply", reply),
    h(
      "p",
      {},
      count,
      " ",
      h(
        "button",
        { type: "button", id: "answer-send", onclick: () => void send() },
        "Send (Ctrl+Enter)",
      ),
    ),
  );
  reply.focus();
}
