/** The judges' agreement with the reviewers, per condition, as labels arrive. */
import { get } from "./api.js";
import { fmt, h, interval, replace } from "./dom.js";
import type { Agreement } from "./types.js";

let latest = 0;

export async function agreementPanel(root: HTMLElement, suite: string): Promise<void> {
  const asked = ++latest;
  const data = await get<Agreement>("/api/agreement", { suite });
  if (asked !== latest) return; // a newer refresh is on its way: an older answer must not win
  const rows = data.rows.map((row) =>
    h(
      "tr",
      {},
      h("td", {}, row.condition),
      h("td", {}, row.raters[0]),
      h("td", {}, row.raters[1]),
      h("td", { class: "num" }, row.n),
      h("td", { class: "num" }, fmt(row.percentAgreement)),
      h("td", { class: "num" }, `${fmt(row.kappa.value)} ${interval(row.kappa.ci95)}`),
    ),
  );
  replace(
    root,
    h("h2", {}, "Agreement with the judges"),
    h(
      "p",
      { id: "agreement-count" },
      `${data.labelled} labelled check(s) · reviewers: ${data.reviewers.join(", ") || "none yet"}`,
    ),
    rows.length === 0
      ? h("p", {}, "No pair of raters has labelled the same response yet.")
      : h(
          "table",
          { id: "agreement-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["condition", "rater", "rater", "n", "agreement", "Cohen's κ [95% CI]"].map((t) =>
                h("th", {}, t),
              ),
            ),
          ),
          h("tbody", {}, ...rows),
        ),
  );
}
