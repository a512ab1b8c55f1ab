/**
 * Label: a reviewer gives their name once, then labels one response at a time with the
 * keyboard (y yes, n no, u unsure, ←/→ move, / note). Each label is sent when given and
 * shown as saved only once the server has stored it. Blinded by default: no target name
 * and no judge verdict while labelling.
 */

import { agreementPanel } from "./agreement.js";
import { get, post, remembered } from "./api.js";
import { conversation, field, h, replace, select, status } from "./dom.js";
import { onLeave } from "./leave.js";
import type { LabelTask, Tasks } from "./types.js";

interface Settings {
  reviewer: string;
  suite: string;
  reviewers: number;
  slot: number;
  overlap: number;
  blind: boolean;
}

function loadSettings(): Settings {
  return {
    reviewer: remembered("reviewer"),
    suite: remembered("label.suite"),
    reviewers: Number(remembered("label.reviewers") || 1),
    slot: Number(remembered("label.slot") || 1),
    overlap: Number(remembered("label.overlap") || 1),
    blind: remembered("label.blind") !== "0",
  };
}

function setupForm(root: HTMLElement, suites: string[], settings: Settings): void {
  const name = h("input", {
    name: "reviewer",
    id: "reviewer",
    value: settings.reviewer,
    required: true,
    maxlength: 64,
    autofocus: true,
  });
  const suite = select("suite", suites, settings.suite);
  const reviewers = h("input", {
    name: "reviewers",
    type: "number",
    min: 1,
    max: 20,
    value: settings.reviewers,
  });
  const slot = h("input", { name: "slot", type: "number", min: 1, max: 20, value: settings.slot });
  const overlap = h("input", {
    name: "overlap",
    type: "number",
    min: 0,
    max: 1,
    step: 0.05,
    value: settings.overlap,
  });
  const blind = h("input", { name: "blind", type: "checkbox", checked: settings.blind });
  const form = h(
    "form",
    { class: "setup", id: "label-setup" },
    h("h2", {}, "Label responses"),
    field("Your name", name),
    field("Suite", suite),
    h(
      "fieldset",
      {},
      h("legend", {}, "Assignment"),
      field("Reviewers sharing the work", reviewers),
      field("You are reviewer number", slot),
      field("Share every reviewer labels (0–1)", overlap),
    ),
    h("label", { class: "check" }, blind, " Blinded: hide the target and the judges' verdicts"),
    h("button", { type: "submit" }, "Start labelling"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remembered("reviewer", name.value.trim());
    remembered("label.suite", suite.value);
    remembered("label.reviewers", reviewers.value);
    remembered("label.slot", slot.value);
    remembered("label.overlap", overlap.value);
    remembered("label.blind", blind.checked ? "1" : "0");
    void labelPage(root);
  });
  replace(root, form);
  name.focus();
  if (suites.length === 0)
    status("No responses run is stored yet: run a responses suite first.", "info");
}

const labelOf = (task: LabelTask, reviewer: string, check: number) =>
  task.labels.find((l) => l.rater === reviewer && l.check === check);

const isDone = (task: LabelTask, reviewer: string) =>
  task.checks.every((c) => labelOf(task, reviewer, c.index) !== undefined);

function taskView(
  task: LabelTask,
  settings: Settings,
  currentCheck: number,
  onLabel: (check: number, label: string) => void,
) {
  const checks = task.checks.map((check) => {
    const given = labelOf(task, settings.reviewer, check.index);
    const buttons = (["yes", "no", "unsure"] as const).map((label) =>
      h(
        "button",
        {
          type: "button",
          class: given?.label === label ? "chosen" : "",
          "aria-pressed": given?.label === label ? "true" : "false",
          onclick: () => onLabel(check.index, label),
        },
        `${label} (${label[0]})`,
      ),
    );
    const judge = task.judges
      ?.filter((j) => j.check === check.index)
      .map((j) => `${j.judge}: ${j.answer ?? "unscored"}`);
    return h(
      "div",
      {
        class: `check${check.index === currentCheck ? " current" : ""}`,
        "data-check": check.index,
      },
      h("p", { class: "question" }, check.question),
      h("div", { class: "buttons" }, ...buttons),
      given ? h("p", { class: "saved" }, `Saved: ${given.label}`) : null,
      judge && judge.length > 0
        ? h("p", { class: "judges" }, `Judges — ${judge.join("; ")}`)
        : null,
    );
  });
  return h(
    "article",
    { class: "task", "data-key": task.key },
    h(
      "p",
      { class: "meta" },
      `${task.condition} · ${task.severity}`,
      task.target ? ` · ${task.target} · ${task.arm}` : "",
    ),
    conversation(task.conversation),
    h("h3", {}, "Reply"),
    h("div", { class: "reply" }, task.reply),
    ...checks,
  );
}

/** The labelling keys: y/n/u give a label, ←/→ (or j/k) move, / writes a note. */
function labelKeys(actions: {
  give(label: string): void;
  step(delta: number): void;
  note(): void;
}): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) {
      if (event.key === "Escape") (event.target as HTMLElement).blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const labels: Record<string, string> = { y: "yes", n: "no", u: "unsure" };
    const label = labels[event.key];
    if (label) actions.give(label);
    else if (event.key === "ArrowRight" || event.key === "j") actions.step(1);
    else if (event.key === "ArrowLeft" || event.key === "k") actions.step(-1);
    else if (event.key === "/") actions.note();
    else return;
    event.preventDefault();
  };
}

/** The labelling page around the task card: who labels what, progress, note, agreement. */
function sessionLayout(
  root: HTMLElement,
  settings: Settings,
  parts: {
    progressText: HTMLElement;
    bar: HTMLElement;
    card: HTMLElement;
    note: HTMLElement;
    agreement: HTMLElement;
  },
): HTMLElement {
  const change = h(
    "button",
    {
      type: "button",
      id: "change",
      onclick: () => {
        remembered("label.suite", "");
        void labelPage(root);
      },
    },
    "Change",
  );
  return h(
    "div",
    { class: "label-layout" },
    h(
      "section",
      { class: "labelling" },
      h(
        "p",
        { class: "who" },
        `Labelling as ${settings.reviewer} · ${settings.suite} · reviewer ${settings.slot} of ${settings.reviewers}${settings.blind ? " · blinded" : ""} `,
        change,
      ),
      h("p", {}, parts.progressText, " ", parts.bar),
      parts.card,
      field("Note", parts.note),
      h("p", { class: "keys" }, "Keys: y yes · n no · u unsure · ← → previous/next · / note"),
      h(
        "p",
        {},
        h(
          "a",
          { href: `/api/export.csv?suite=${encodeURIComponent(settings.suite)}`, download: "" },
          "Export labels (classification_validation.csv layout)",
        ),
      ),
    ),
    parts.agreement,
  );
}

async function session(root: HTMLElement, settings: Settings): Promise<void> {
  const data = await get<Tasks>("/api/label/tasks", {
    suite: settings.suite,
    reviewer: settings.reviewer,
    reviewers: settings.reviewers,
    slot: settings.slot,
    overlap: settings.overlap,
    blind: settings.blind ? "1" : "0",
  });
  const tasks = data.tasks;
  let index = Math.max(
    0,
    tasks.findIndex((t) => !isDone(t, settings.reviewer)),
  );
  let check = 0;
  let pending: Promise<void> = Promise.resolve();
  const card = h("div", { id: "task" });
  const note = h("textarea", {
    id: "note",
    rows: 2,
    maxlength: 4000,
    placeholder: "Optional note (press / to write, Esc to leave)",
  });
  const progressText = h("span", { id: "progress-text" });
  const bar = h("progress", { id: "progress", max: Math.max(1, tasks.length), value: 0 });
  const agreement = h("section", { id: "agreement" });
  const refreshAgreement = () => agreementPanel(agreement, settings.suite);

  const render = () => {
    const done = tasks.filter((t) => isDone(t, settings.reviewer)).length;
    progressText.textContent = `${done} of ${tasks.length} labelled · response ${tasks.length === 0 ? 0 : index + 1}`;
    bar.value = done;
    const task = tasks[index];
    if (!task) return replace(card, h("p", {}, "Nothing to label in this assignment."));
    note.value = labelOf(task, settings.reviewer, check)?.note ?? "";
    replace(
      card,
      taskView(task, settings, check, (c, label) => give(c, label)),
    );
  };

  const give = (checkIndex: number, label: string) => {
    pending = pending.then(async () => {
      const task = tasks[index];
      if (!task) return;
      status("Saving…");
      try {
        await post("/api/label", {
          key: task.key,
          check: checkIndex,
          reviewer: settings.reviewer,
          label,
          note: note.value,
        });
      } catch (error) {
        status(`Not saved: ${(error as Error).message}`, "error");
        return;
      }
      task.labels = task.labels.filter(
        (l) => !(l.rater === settings.reviewer && l.check === checkIndex),
      );
      task.labels.push({
        rater: settings.reviewer,
        check: checkIndex,
        label,
        note: note.value.trim(),
      });
      status(`Saved: ${label}`, "ok");
      const nextCheck = task.checks.find(
        (c) => c.index > checkIndex && !labelOf(task, settings.reviewer, c.index),
      );
      if (nextCheck) check = nextCheck.index;
      else move(1);
      render();
      void refreshAgreement();
    });
  };

  const move = (step: number) => {
    index = Math.min(tasks.length - 1, Math.max(0, index + step));
    check = tasks[index]?.checks[0]?.index ?? 0;
  };

  const onKey = labelKeys({
    give: (label) => give(check, label),
    step: (delta) => {
      pending = pending.then(() => {
        move(delta);
        render();
      });
    },
    note: () => note.focus(),
  });
  document.addEventListener("keydown", onKey);
  onLeave(() => document.removeEventListener("keydown", onKey));

  replace(root, sessionLayout(root, settings, { progressText, bar, card, note, agreement }));
  render();
  await refreshAgreement();
}

export async function labelPage(root: HTMLElement): Promise<void> {
  const { suites } = await get<{ suites: Array<{ id: string }> }>("/api/label/suites");
  const settings = loadSettings();
  const ids = suites.map((s) => s.id);
  if (!settings.reviewer || !ids.includes(settings.suite)) return setupForm(root, ids, settings);
  await session(root, settings);
}
