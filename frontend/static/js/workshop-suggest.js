// Suggested clusters on the facilitator's console (workshops/_suggest_console.html): the
// server groups similar cards (clusters.suggest, answered to this socket only); each
// proposal can be renamed, trimmed by unticking cards, then accepted (cluster.add with
// its cards, which moves them into the new cluster for everyone) or rejected.

import { h } from "./workshop-common.js";

function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function shorten(text, max = 90) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

class SuggestPanel {
  constructor(view, root) {
    this.view = view;
    this.root = root;
    this.texts = root.dataset;
    this.button = root.querySelector("#ws-suggest-button");
    this.status = root.querySelector("#ws-suggest-status");
    this.error = root.querySelector("#ws-suggest-error");
    this.list = root.querySelector("#ws-suggest-list");
    this.template = root.querySelector("#ws-suggest-item");
    this.serial = 0;
    this.button.addEventListener("click", () => this.ask());
    view.onRender(() => this.markGone());
  }

  // Shown in the panel and read out through the page's announcer (#ws-announcer).
  say(text) {
    this.status.textContent = text;
    this.view.announcer.say(text);
  }

  async ask() {
    this.button.disabled = true;
    this.status.textContent = this.texts.asking;
    try {
      const ack = await this.view.command("clusters.suggest", {}, this.error);
      if (!ack) {
        this.status.textContent = "";
        return;
      }
      const groups = ack.reply?.groups || [];
      this.show(groups);
      const count = groups.length;
      if (!count) this.say(this.texts.none);
      else this.say(count === 1 ? this.texts.foundOne : fill(this.texts.foundOther, { n: count }));
    } finally {
      this.button.disabled = false;
    }
  }

  show(groups) {
    this.list.replaceChildren(...groups.map((group, index) => this.item(group, index + 1)));
    this.list.hidden = groups.length === 0;
  }

  item(group, number) {
    const key = `ws-suggest-${++this.serial}`;
    const item = this.template.content.firstElementChild.cloneNode(true);
    const slot = (name) => item.querySelector(`[data-slot="${name}"]`);
    slot("number").textContent = String(number);
    const title = slot("title");
    title.id = `${key}-title`;
    title.value = group.title;
    slot("title-label").setAttribute("for", title.id);
    const cards = slot("cards");
    for (const cardId of group.cards) {
      const id = `${key}-card-${cardId}`;
      const box = h("input", { type: "checkbox", id, checked: true, value: String(cardId) });
      const card = this.view.state.cards.get(cardId);
      const label = h("label", { for: id, text: card ? shorten(card.text) : `#${cardId}` });
      cards.append(h("li", { class: "ws-choice", dataset: { card: String(cardId) } }, box, label));
    }
    slot("accept").addEventListener("click", () => this.accept(item, title, cards, slot("error")));
    slot("reject").addEventListener("click", () => {
      this.remove(item);
      this.say(fill(this.texts.rejected, { title: title.value.trim() || group.title }));
    });
    return item;
  }

  // Cards taken away meanwhile (deleted, hidden, clustered elsewhere) can no longer be chosen.
  markGone() {
    for (const row of this.list.querySelectorAll("li[data-card]")) {
      const card = this.view.state.cards.get(Number(row.dataset.card));
      const gone = !card || card.cluster;
      const box = row.querySelector("input");
      if (gone && !box.disabled) {
        box.checked = false;
        box.disabled = true;
        row.querySelector("label").append(` ${this.texts.gone}`);
      }
    }
  }

  async accept(item, titleInput, cardList, errorTarget) {
    const title = titleInput.value.trim();
    errorTarget.hidden = true;
    if (!title) {
      this.view.showError(errorTarget, this.texts.titleMissing);
      titleInput.focus();
      return;
    }
    const chosen = [...cardList.querySelectorAll("input:checked:not(:disabled)")].map((box) => Number(box.value));
    if (!chosen.length) {
      this.view.showError(errorTarget, this.texts.noCards);
      return;
    }
    const ack = await this.view.command("cluster.add", { title, cards: chosen }, errorTarget);
    if (!ack) return;
    this.remove(item);
    this.say(fill(this.texts.accepted, { title, n: chosen.length }));
  }

  // Takes a handled proposal away; focus goes to the next one, else back to the button.
  remove(item) {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    if (next) {
      next.querySelector('[data-slot="title"]').focus();
    } else {
      this.list.hidden = true;
      this.button.focus();
    }
  }
}

export function attachSuggestions(view) {
  const root = document.getElementById("ws-suggest");
  return root ? new SuggestPanel(view, root) : null;
}
