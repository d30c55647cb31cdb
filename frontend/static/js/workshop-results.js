// Poll results as horizontal bars with numbers; used by the board, the console and the projector.

import { renderWordCloud } from "./workshop-audience.js";
import { BoardState } from "./workshop-state.js";
import { formatNumber, h, t, tn } from "./workshop-common.js";

export function valueText(kind, row) {
  switch (kind) {
    case "dots":
      return tn("dots", row.value);
    case "scale":
      return row.value === null || row.value === undefined
        ? t("no_grades")
        : t("scale_value", { mean: formatNumber(row.value, 1), ratings: tn("ratings", row.count ?? 0) });
    case "ranking":
      return row.mean_rank === null || row.mean_rank === undefined
        ? tn("points", row.value)
        : t("ranking_value", { points: formatNumber(row.value), rank: formatNumber(row.mean_rank, 1) });
    default:
      return tn("votes", row.value);
  }
}

function barShare(kind, row, max) {
  if (kind === "scale") return row.value ? row.value / 5 : 0;
  return max > 0 ? (row.value || 0) / max : 0;
}

// Fills container with the poll's results. forShared: a projector shows hidden results
// only after the reveal, whatever role it has.
export function renderResults(container, poll, { forShared = false } = {}) {
  if (poll.kind === "words") {
    renderWordCloud(container, poll, { forShared });
    return;
  }
  const tally = poll.tally || { votes: 0, options: null };
  const hiddenHere = forShared && !BoardState.resultsPublic(poll);
  const rows = hiddenHere ? null : tally.options;
  const parts = [h("p", { class: "ws-results__votes", text: tn("votes_cast", tally.votes || 0) })];
  if (!rows) {
    // Numbers may be missing only while hidden, or before the first count of a public poll.
    const waiting = hiddenHere || !BoardState.resultsPublic(poll);
    parts.push(h("p", { class: "ws-results__hidden", text: waiting ? t("results_hidden") : t("no_votes_yet") }));
  } else {
    const max = Math.max(0, ...rows.map((row) => row.value || 0));
    const list = h("ol", { class: "ws-bars" });
    for (const row of rows) {
      const share = Math.max(0, Math.min(1, barShare(poll.kind, row, max)));
      const fill = h("span", { class: "ws-bar__fill" });
      // Set through CSSOM, which a strict CSP allows (a style attribute it would block).
      fill.style.width = `${(share * 100).toFixed(1)}%`;
      list.append(
        h(
          "li",
          { class: "ws-bar", dataset: { option: row.option } },
          h("span", { class: "ws-bar__label", text: row.label }),
          h("span", { class: "ws-bar__value", text: valueText(poll.kind, row) }),
          h(
            "span",
            { class: "ws-bar__track", "aria-hidden": "true" },
            fill,
          ),
        ),
      );
    }
    parts.push(list);
    if (!BoardState.resultsPublic(poll)) {
      parts.push(h("p", { class: "ws-results__note", text: t("results_only_facilitator") }));
    }
  }
  container.replaceChildren(...parts);
}

// One sentence naming the option(s) in front, for screen readers ("Vorn: Busse (2 Punkte)."),
// or "" while this reader may not see the numbers.
export function leaderSummary(poll, { isFacilitator = false } = {}) {
  const rows = poll.tally?.options;
  if (!rows || !rows.length || !(BoardState.resultsPublic(poll) || isFacilitator)) return "";
  const best = Math.max(...rows.map((row) => row.value ?? -Infinity));
  if (!Number.isFinite(best) || best <= 0) return "";
  const leaders = rows.filter((row) => row.value === best);
  return t("tally_leader", {
    // A word cloud's rows are words; many tie, so at most three are named.
    option: (poll.kind === "words" ? leaders.slice(0, 3) : leaders).map((row) => row.label ?? row.word).join(" / "),
    value: valueText(poll.kind, leaders[0]),
  });
}
