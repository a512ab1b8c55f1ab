/** The app's pages, one per hash route: #/read, #/label, #/answer, #/capture. */
import { answerPage } from "./answer.js";
import { capturePage } from "./capture.js";
import { replace, status } from "./dom.js";
import { labelPage } from "./label.js";
import { leave } from "./leave.js";
import { readPage } from "./read.js";

const PAGES: Record<string, (root: HTMLElement) => Promise<void>> = {
  read: readPage,
  label: labelPage,
  answer: answerPage,
  capture: capturePage,
};

async function route(): Promise<void> {
  const name = location.hash.replace(/^#\/?/, "").split("?")[0] || "read";
  const page = PAGES[name] ?? readPage;
  const root = document.getElementById("page");
  if (!root) return;
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.getAttribute("data-page") === name);
  }
  leave();
  replace(root);
  status("");
  try {
    await page(root);
  } catch (error) {
    status(`Could not load the page: ${(error as Error).message}`, "error");
  }
}

window.addEventListener("hashchange", () => void route());
void route();
