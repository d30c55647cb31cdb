// The letters page: a print button (printing works from the browser menu too).

import { h, readJson } from "./ballot-common.js";

const strings = readJson("letters-strings", {});
const slot = document.getElementById("letters-print-slot");
if (slot) {
  slot.replaceWith(h("button", { type: "button", onclick: () => window.print() }, strings.print || "Print"));
}
