// The card tools' part of the board's data (brainwriting, reactions, merges): what
// BoardState keeps for them, loaded from a snapshot and changed by events. No DOM here.

const reactionKey = (card, emoji) => `${card}|${emoji}`;

export function loadCardTools(state, snapshot) {
  state.privateCount = snapshot.private_cards || 0; // cards waiting for the reveal, everyone's
  state.myReactions = new Set((snapshot.my_reactions || []).map(([card, emoji]) => reactionKey(card, emoji)));
  // One's own brainwriting cards: on one's own board, marked private.
  for (const card of snapshot.my_private_cards || []) state.cards.set(card.id, card);
}

export function hasReacted(state, card, emoji) {
  return state.myReactions?.has(reactionKey(card, emoji)) ?? false;
}

export function myPrivateCards(state) {
  return [...state.cards.values()].filter((card) => card.private).length;
}

// card.added: one's own private card counts; a card shown again brings its comments along.
export function cardAdded(state, data) {
  if (data.private && !state.cards.has(data.id)) state.privateCount = (state.privateCount || 0) + 1;
  if (Array.isArray(data.comments)) {
    for (const comment of data.comments) state.addComment(comment);
    delete data.comments;
  }
}

// card.deleted: one's own private card no longer waits for the reveal.
export function cardDeleted(state, id) {
  if (state.cards.get(id)?.private) state.privateCount = Math.max(0, (state.privateCount || 0) - 1);
}

export function applyCardTools(state, name, data) {
  switch (name) {
    case "card.private":
      state.privateCount = data.count;
      return { privateCount: data.count };
    case "cards.revealed": {
      for (const card of data.cards || []) state.cards.set(card.id, card);
      state.privateCount = 0;
      state.workshop.brainwriting = false;
      return { revealed: (data.cards || []).length };
    }
    case "cards.merged": {
      const kept = data.card;
      const removed = data.removed || [];
      const comments = state.comments.get(kept.id) || [];
      for (const id of removed) {
        for (const comment of state.comments.get(id) || []) {
          comment.card = kept.id;
          if (!comments.some((c) => c.id === comment.id)) comments.push(comment);
        }
        state.comments.delete(id);
        state.cards.delete(id);
        // What one liked or reacted to on a duplicate now sits on the kept card (as on the server).
        if (state.myLikes.delete(id)) state.myLikes.add(kept.id);
        for (const key of [...state.myReactions]) {
          const [card, emoji] = key.split("|");
          if (Number(card) === id) {
            state.myReactions.delete(key);
            state.myReactions.add(reactionKey(kept.id, emoji));
          }
        }
      }
      comments.sort((a, b) => a.id - b.id);
      if (comments.length) state.comments.set(kept.id, comments);
      state.cards.set(kept.id, kept);
      return { merged: { card: kept, count: removed.length } };
    }
    case "card.reacted": {
      const card = state.cards.get(data.card);
      if (card) {
        const reactions = { ...(card.reactions || {}) };
        if (data.count > 0) reactions[data.emoji] = data.count;
        else delete reactions[data.emoji];
        card.reactions = reactions;
      }
      if (state.you && data.participant === state.you.id) {
        const key = reactionKey(data.card, data.emoji);
        if (data.on) state.myReactions.add(key);
        else state.myReactions.delete(key);
      }
      return { reacted: data };
    }
    default:
      return {};
  }
}
