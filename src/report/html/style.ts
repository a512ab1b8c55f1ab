/** The report's one stylesheet and one script; the page's CSP allows exactly these by hash. */

export const STYLE = `
:root { color-scheme: light; --ink: #111; --muted: #555; --line: #d6d6d6; --band: #f5f7fa; --accent: #0072B2; --bad: #D55E00; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 16px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.lede, .muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--band); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
details { border: 1px solid var(--line); border-radius: 4px; margin: .4rem 0; padding: .2rem .6rem; }
details > summary { cursor: pointer; font-weight: 600; padding: .2rem 0; }
details.group > summary .count { color: var(--muted); font-weight: 400; }
details.failure { background: #fcfcfc; }
.sev-critical > summary { color: var(--bad); }
pre.text { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--band); border-left: 3px solid var(--line); padding: .4rem .6rem; margin: .3rem 0; font: .85rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.reply { border-left-color: var(--accent); }
.role { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-top: .4rem; }
.gate-fail { color: var(--bad); font-weight: 600; }
.gate-pass { color: #007a55; }
.tools { margin: .5rem 0; }
.tools button { font: inherit; padding: .2rem .7rem; margin-right: .4rem; }
@media (max-width: 640px) {
  body { padding: 10px; font-size: 14px; }
  dl.meta { grid-template-columns: 1fr; }
  dl.meta dt { margin-top: .4rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .tools { display: none; }
  h2 { break-after: avoid; }
  figure, tr, details.failure { break-inside: avoid; }
  th { position: static; }
  details { border: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** Buttons to open and close every failure, and everything opens for printing. */
export const SCRIPT = `
(function () {
  function all(open) { document.querySelectorAll("details").forEach(function (d) { d.open = open; }); }
  var expand = document.getElementById("expand-all");
  var collapse = document.getElementById("collapse-all");
  if (expand) expand.addEventListener("click", function () { all(true); });
  if (collapse) collapse.addEventListener("click", function () { all(false); });
  window.addEventListener("beforeprint", function () { all(true); });
})();
`;
