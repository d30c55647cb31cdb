// Ranking ballot: an ordered list moved with buttons ("nach oben", "nach unten"), a
// "gleichauf mit vorheriger" checkbox for ties, and a pool of measures not ranked.
// Everything is buttons and checkboxes, so it works by keyboard and screen reader alike.
//
// State: `ranked` is the shown order, each entry {id, tie}; tie means "the same place
// as the entry above". Places are counted per group of ties.

import { h, t } from "./ballot-common.js";

export function setup(form, data) {
  const container = form.querySelector("#ranking");
  const fallback = container.querySelector(".ranking-fallback");
  const options = new Map(data.options.map((option) => [option.id, option]));
  let ranked = [];

  // Start from the plain form (filled in by the server from a stored ballot, if any).
  const places = [];
  for (const option of data.options) {
    const select = container.querySelector(`#rank-${option.id}`);
    if (select && select.value) places.push({ id: option.id, place: Number(select.value) });
  }
  places.sort((a, b) => a.place - b.place);
  ranked = places.map((entry, i) => ({ id: entry.id, tie: i > 0 && places[i - 1].place === entry.place }));

  // The plain selects stay in the page for browsers without scripts; here they are replaced.
  fallback.hidden = true;
  for (const select of fallback.querySelectorAll("select")) select.disabled = true;

  const live = h("p", { class: "visually-hidden", id: "ranking-live", "aria-live": "polite" });
  const rankedList = h("ol", { class: "ranking-list", "aria-labelledby": "ranked-title" });
  const rankedEmpty = h("p", { class: "ranking-empty" });
  const pool = h("ul", { class: "ranking-pool", "aria-labelledby": "unranked-title" });
  const poolEmpty = h("p", { class: "ranking-empty" });
  container.append(
    h(
      "div",
      { class: "ranking-widget" },
      h("h3", { id: "ranked-title" }, t("ranked_title")),
      rankedList,
      rankedEmpty,
      h("h3", { id: "unranked-title" }, t("unranked_title")),
      pool,
      poolEmpty,
      live,
    ),
  );

  const title = (id) => options.get(id)?.title ?? String(id);

  function placeOf(index) {
    let place = 0;
    for (let i = 0; i <= index; i++) if (i === 0 || !ranked[i].tie) place += 1;
    return place;
  }

  function groupCount() {
    return ranked.filter((entry, i) => i === 0 || !entry.tie).length;
  }

  function groups() {
    const result = [];
    ranked.forEach((entry, i) => {
      if (i === 0 || !entry.tie) result.push([]);
      result[result.length - 1].push(entry.id);
    });
    return result;
  }

  // The entry at `index` passes the one above it; ties are kept where they still make sense.
  function moveUp(index) {
    if (index <= 0 || index >= ranked.length) return;
    const above = ranked[index - 1];
    const moving = ranked[index];
    const below = ranked[index + 1];
    const movingWasTied = moving.tie;
    moving.tie = above.tie;
    above.tie = false;
    // The entry below was tied to the moving one: it stays behind, now on its own place.
    if (below && below.tie && !movingWasTied) below.tie = false;
    ranked[index - 1] = moving;
    ranked[index] = above;
    ranked[0].tie = false;
  }

  function remove(index) {
    const [entry] = ranked.splice(index, 1);
    const next = ranked[index];
    // Whoever was tied to the removed entry keeps its place in that group.
    if (next && next.tie) next.tie = entry.tie;
    if (ranked.length) ranked[0].tie = false;
  }

  function announce(id) {
    const index = ranked.findIndex((entry) => entry.id === id);
    live.textContent =
      index < 0
        ? t("rank_removed", { title: title(id) })
        : t("rank_now", { title: title(id), place: placeOf(index), total: groupCount() });
  }

  function act(action, id) {
    const index = ranked.findIndex((entry) => entry.id === id);
    if (action === "up") moveUp(index);
    else if (action === "down") moveUp(index + 1);
    else if (action === "tie") ranked[index].tie = !ranked[index].tie && index > 0;
    else if (action === "remove") remove(index);
    else if (action === "add") ranked.push({ id, tie: false });
    render();
    announce(id);
    restoreFocus(action, id);
  }

  function restoreFocus(action, id) {
    const inRanked = (name) => rankedList.querySelector(`[data-id="${id}"] [data-action="${name}"]:not(:disabled)`);
    let target = null;
    if (action === "up") target = inRanked("up") || inRanked("down");
    else if (action === "down") target = inRanked("down") || inRanked("up");
    else if (action === "tie") target = inRanked("tie");
    else if (action === "remove") target = pool.querySelector(`[data-id="${id}"] [data-action="add"]`);
    else if (action === "add") {
      // Next in the pool, so that measures can be added one after another in order of preference.
      target = pool.querySelector('[data-action="add"]') || inRanked("up") || inRanked("remove");
    }
    if (target) target.focus();
  }

  function button(action, id, visible, label, disabled = false) {
    return h(
      "button",
      { type: "button", class: `ranking-button ranking-button--${action}`, dataset: { action }, "aria-label": label, disabled },
      visible,
    );
  }

  function render() {
    rankedList.replaceChildren(
      ...ranked.map((entry, index) => {
        const name = title(entry.id);
        const tools = [
          button("up", entry.id, t("up"), t("rank_up", { title: name }), index === 0),
          button("down", entry.id, t("down"), t("rank_down", { title: name }), index === ranked.length - 1),
        ];
        if (index > 0) {
          const box = h("input", {
            type: "checkbox",
            id: `tie-${entry.id}`,
            dataset: { action: "tie" },
            "aria-label": t("rank_tie", { title: name }),
          });
          box.checked = entry.tie;
          tools.push(h("span", { class: "ranking-tie" }, box, h("label", { for: `tie-${entry.id}` }, t("tie"))));
        }
        tools.push(button("remove", entry.id, t("remove"), t("rank_remove", { title: name })));
        return h(
          "li",
          { class: `ranking-item${entry.tie ? " ranking-item--tied" : ""}`, dataset: { id: entry.id } },
          h("span", { class: "ranking-place" }, t("rank_place", { place: placeOf(index) })),
          h("span", { class: "ranking-title" }, name),
          h("span", { class: "ranking-tools" }, tools),
        );
      }),
    );
    const rankedIds = new Set(ranked.map((entry) => entry.id));
    pool.replaceChildren(
      ...data.options
        .filter((option) => !rankedIds.has(option.id))
        .map((option) =>
          h(
            "li",
            { class: "ranking-item", dataset: { id: option.id } },
            h("span", { class: "ranking-title" }, option.title),
            h("span", { class: "ranking-tools" }, button("add", option.id, t("add"), t("rank_add", { title: option.title }))),
          ),
        ),
    );
    rankedEmpty.textContent = ranked.length ? "" : t("ranked_none");
    rankedEmpty.hidden = Boolean(ranked.length);
    poolEmpty.textContent = t("unranked_none");
    poolEmpty.hidden = ranked.length < data.options.length;
  }

  container.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control || !container.contains(control) || control.disabled || control.dataset.action === "tie") return;
    const item = control.closest("[data-id]");
    if (item) act(control.dataset.action, Number(item.dataset.id));
  });
  container.addEventListener("change", (event) => {
    const control = event.target.closest('[data-action="tie"]');
    if (control) act("tie", Number(control.closest("[data-id]").dataset.id));
  });

  render();

  return {
    collect() {
      if (!ranked.length) return { error: t("ranking_missing"), focus: pool.querySelector('[data-action="add"]') };
      return { ballot: { ranking: groups() } };
    },
    fill(ballot) {
      ranked = [];
      for (const group of ballot.ranking || []) {
        group.forEach((id, i) => {
          if (options.has(Number(id))) ranked.push({ id: Number(id), tie: i > 0 });
        });
      }
      if (ranked.length) ranked[0].tie = false;
      render();
    },
  };
}
