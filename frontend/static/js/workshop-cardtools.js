// The card tools in the list view: reactions as toggle buttons, badges (private, pinned,
// locked, hidden), the facilitator's card menu (lock, pin, hide, colour, merge into …),
// the brainwriting banner and, in the console, "Brainwriting starten" / "Karten aufdecken".
// BoardView calls decorateCard from createCard and patchCard from its patchCard.

import { choices, formatNumber, h, stringList, t, tn } from "./workshop-common.js";
import { hasReacted, myPrivateCards } from "./workshop-cardtools-state.js";

// [[emoji, name], …] in the server's order (models.REACTIONS), from the page's texts.
export function reactionList() {
  return stringList("cardtools_reactions");
}

function shorten(text, max = 60) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

class CardTools {
  constructor(view) {
    this.view = view;
    this.state = view.state;
    this.reactions = reactionList();
    this.banner = this.buildBanner();
    this.console = this.buildConsole();
    view.onRender(() => this.render());
    view.onEventApplied?.((frame, note) => this.announce(frame, note));
  }

  // --- brainwriting banner and console -----------------------------------------------

  buildBanner() {
    const section = document.getElementById("ws-add");
    if (!section) return null;
    const text = h("p", { text: t("bw_banner") });
    const count = h("p", { class: "ws-bw__count" });
    const el = h("div", { id: "ws-brainwriting", class: "notice ws-bw", hidden: true }, text, count);
    const heading = section.querySelector("h2");
    // In the console's side column the heading sits in a <summary>: the banner goes below it.
    (heading.closest("summary") ?? heading).after(el);
    return { el, count };
  }

  buildConsole() {
    const panel = document.getElementById("ws-control-title")?.closest("section");
    if (!panel) return null;
    const status = h("p", { class: "ws-bw__status" });
    const start = h("button", { type: "button", text: t("bw_start") });
    const reveal = h("button", { type: "button", text: t("bw_reveal") });
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    start.addEventListener("click", () => this.view.command("brainwriting.start", {}, error));
    reveal.addEventListener("click", () => this.view.command("brainwriting.reveal", {}, error));
    const el = h(
      "div",
      { class: "ws-bw-console" },
      h("h3", { id: "ws-bw-title", text: t("bw_title") }),
      status,
      h("div", { class: "form-actions" }, start, reveal),
      error,
    );
    // Inside the fold of the console's side column, so it folds with the phase controls.
    (panel.querySelector(".ws-fold") ?? panel).append(el);
    return { el, status, start, reveal };
  }

  render() {
    const { workshop, privateCount } = this.state;
    const on = Boolean(workshop.brainwriting);
    if (this.banner) {
      this.banner.el.hidden = !on;
      if (on) {
        const written = tn("bw_written", privateCount || 0);
        const mine = myPrivateCards(this.state);
        const text = mine ? `${written} ${tn("bw_yours", mine)}` : written;
        if (this.banner.count.textContent !== text) this.banner.count.textContent = text;
      }
    }
    if (this.console) {
      const { start, reveal, status } = this.console;
      // Hidden buttons hand focus on to the other one.
      const hadFocus = document.activeElement === start || document.activeElement === reveal;
      start.hidden = on;
      reveal.hidden = !on;
      status.textContent = on ? `${t("bw_on")} ${tn("bw_written", privateCount || 0)}` : t("bw_off");
      if (hadFocus) (on ? reveal : start).focus();
    }
  }

  announce(frame, note) {
    const announcer = this.view.announcer;
    if (frame.name === "workshop.updated" && frame.data?.brainwriting === true) announcer.say(t("bw_started"));
    if (note.revealed !== undefined) announcer.say(tn("bw_revealed", note.revealed));
    if (note.merged) {
      announcer.say(tn("merged", note.merged.count, { text: shorten(note.merged.card.text) }));
    }
  }

  // --- one card ----------------------------------------------------------------------

  decorateCard(entry) {
    const id = entry.el.dataset.card;
    const article = entry.el.querySelector("article");
    const actions = article.querySelector(".ws-card__actions");
    const error = article.querySelector(".form-error");
    entry.badges = h("p", { class: "ws-card__badges" });
    entry.meta.after(entry.badges);
    entry.reactions = h("div", { class: "ws-reactions", role: "group", "aria-label": t("reactions_label") });
    actions.after(entry.reactions);
    entry.toolsMenu = this.cardMenu(Number(id), error);
    error.before(entry.toolsMenu.el);
    // The merge targets are listed when the menu is opened (500 cards × 500 options is too much to keep current).
    entry.toolsMenu.el.addEventListener("toggle", () => {
      const card = this.state.cards.get(Number(id));
      if (card && entry.toolsMenu.el.open) this.patchMergeTargets(entry, card);
    });
    entry.toolsSig = null;
  }

  cardMenu(id, error) {
    const set = (fields) => this.view.command("card.set", { card: id, ...fields }, error);
    const toggle = (flag, label) => {
      const button = h("button", { type: "button", class: "ws-small ws-toggle", "aria-pressed": "false", text: label });
      button.addEventListener("click", () => set({ [flag]: button.getAttribute("aria-pressed") !== "true" }));
      return button;
    };
    const lock = toggle("locked", t("card_lock"));
    const pin = toggle("pinned", t("card_pin"));
    const hide = toggle("hidden", t("card_hide"));
    const colorId = `ws-card-${id}-set-color`;
    const color = h(
      "select",
      { id: colorId },
      Object.entries(choices("colors")).map(([value, label]) => h("option", { value, text: label })),
    );
    color.addEventListener("change", () => set({ color: color.value }));
    const mergeId = `ws-card-${id}-merge`;
    const target = h("select", { id: mergeId });
    const mergeButton = h("button", { type: "button", class: "ws-small", text: t("merge_button") });
    mergeButton.addEventListener("click", () => {
      const into = Number(target.value);
      const kept = this.state.cards.get(into);
      if (!kept) return;
      if (window.confirm(t("merge_confirm", { text: shorten(kept.text) }))) {
        this.view.command("card.merge", { card: into, cards: [id] }, error);
      }
    });
    const mergeNone = h("span", { class: "ws-card__merge-none", text: t("merge_none") });
    const merge = h(
      "span",
      { class: "ws-card__merge" },
      h("label", { for: mergeId, text: t("merge_into") }),
      target,
      mergeButton,
    );
    const el = h(
      "details",
      { class: "ws-card__menu", hidden: true },
      h("summary", { text: t("card_menu") }),
      h(
        "div",
        { class: "ws-card__menu-body" },
        h("div", { class: "ws-card__toggles" }, lock, pin, hide),
        h("span", { class: "ws-card__set-color" }, h("label", { for: colorId, text: t("card_color") }), color),
        merge,
        mergeNone,
      ),
    );
    return { el, lock, pin, hide, color, target, merge, mergeNone, mergeSig: null };
  }

  patchCard(entry, card) {
    if (!entry.badges) return;
    const state = this.state;
    const mayReact = state.mayComment && !card.private;
    const mine = this.reactions.map(([emoji]) => hasReacted(state, card.id, emoji));
    const sig = JSON.stringify([card, mine, mayReact, state.isFacilitator, state.boardOpen]);
    if (entry.toolsSig !== sig) {
      entry.toolsSig = sig;
      this.patchBadges(entry, card);
      this.patchReactions(entry, card, mayReact, mine);
      this.patchMenu(entry, card);
    }
    this.restrict(entry, card);
    if (entry.toolsMenu.el.open && !entry.toolsMenu.el.hidden) this.patchMergeTargets(entry, card);
  }

  // After the view's own patch, every time: what a locked or private card does not offer.
  restrict(entry, card) {
    // A locked card is the facilitator's: others lose edit, delete and move (the server refuses them).
    if (card.locked && !this.state.isFacilitator) {
      entry.editButton.hidden = true;
      entry.deleteButton.hidden = true;
      entry.move.hidden = true;
      entry.editForm.hidden = true;
    }
    // Likes and comments wait for the reveal.
    if (card.private) {
      entry.like.hidden = true;
      entry.commentForm.hidden = true;
    }
  }

  patchBadges(entry, card) {
    const badges = [];
    const badge = (kind, text) => h("span", { class: `badge ws-badge ws-badge--${kind}`, text });
    if (card.private) badges.push(badge("private", t("badge_private")));
    if (card.pinned) badges.push(badge("pinned", t("badge_pinned")));
    if (card.locked) badges.push(badge("locked", t("badge_locked")));
    if (card.hidden) badges.push(badge("hidden", t("badge_hidden")));
    entry.badges.replaceChildren(...badges);
    entry.badges.hidden = badges.length === 0;
    // Data attributes, not classes: the view rewrites the card's class list.
    for (const flag of ["private", "pinned", "locked", "hidden"]) {
      if (card[flag]) entry.el.dataset[flag] = "true";
      else delete entry.el.dataset[flag];
    }
  }

  patchReactions(entry, card, mayReact, mine) {
    const counts = card.reactions || {};
    const items = [];
    this.reactions.forEach(([emoji, name], index) => {
      const count = counts[emoji] || 0;
      if (mayReact) {
        const pressed = mine[index];
        const button = h(
          "button",
          {
            type: "button",
            class: "ws-reaction",
            "aria-pressed": String(pressed),
            "aria-label": t("reaction_button", { name, n: formatNumber(count) }),
            dataset: { emoji },
          },
          h("span", { "aria-hidden": "true", text: emoji }),
          " ",
          h("span", { "aria-hidden": "true", text: formatNumber(count) }),
        );
        button.addEventListener("click", () => {
          const on = button.getAttribute("aria-pressed") !== "true";
          this.view.command("card.react", { card: card.id, emoji, on }, entry.el.querySelector(".form-error"));
        });
        items.push(button);
      } else if (count) {
        items.push(
          h(
            "span",
            { class: "ws-reaction ws-reaction--count" },
            h("span", { "aria-hidden": "true", text: `${emoji} ${formatNumber(count)}` }),
            h("span", { class: "visually-hidden", text: t("reaction_button", { name, n: formatNumber(count) }) }),
          ),
        );
      }
    });
    // Focus stays on the same emoji's button when the row is redrawn.
    const focused = entry.reactions.contains(document.activeElement) ? document.activeElement.dataset.emoji : null;
    entry.reactions.replaceChildren(...items);
    entry.reactions.hidden = items.length === 0;
    if (focused) entry.reactions.querySelector(`[data-emoji="${focused}"]`)?.focus({ preventScroll: true });
  }

  patchMenu(entry, card) {
    const menu = entry.toolsMenu;
    menu.el.hidden = !(this.state.isFacilitator && this.state.boardOpen && !card.private);
    if (menu.el.hidden) return;
    menu.lock.setAttribute("aria-pressed", String(Boolean(card.locked)));
    menu.pin.setAttribute("aria-pressed", String(Boolean(card.pinned)));
    menu.hide.setAttribute("aria-pressed", String(Boolean(card.hidden)));
    menu.color.value = card.color;
  }

  // The other cards this one may be merged into (not private, not hidden); this card too must be visible.
  patchMergeTargets(entry, card) {
    const menu = entry.toolsMenu;
    const others = card.hidden
      ? []
      : [...this.state.cards.values()].filter((c) => c.id !== card.id && !c.private && !c.hidden);
    const sig = JSON.stringify(others.map((c) => [c.id, c.text]));
    if (menu.mergeSig === sig) return;
    menu.mergeSig = sig;
    const previous = menu.target.value;
    menu.target.replaceChildren(
      ...others
        .sort((a, b) => a.id - b.id)
        .map((c) => h("option", { value: c.id, text: `${shorten(c.text, 50)} (#${c.id})` })),
    );
    if (others.some((c) => String(c.id) === previous)) menu.target.value = previous;
    menu.merge.hidden = others.length === 0;
    menu.mergeNone.hidden = others.length > 0;
  }
}

export function attachCardTools(view) {
  return new CardTools(view);
}
