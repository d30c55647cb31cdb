// The Q&A as plain data: BoardState hands its snapshot and the question events to this module.
// state.questions: id -> {id, text, author_name, votes, answered, hidden}; state.myUpvotes and
// state.myQuestions: sets of question ids; state.myAskSeqs: seqs of one's acknowledged asks.

export function loadAudience(state, snapshot) {
  state.questions = new Map((snapshot.questions || []).map((q) => [q.id, q]));
  state.myUpvotes = new Set(snapshot.my_upvotes || []);
  state.myQuestions = new Set(snapshot.my_questions || []);
  if (!state.myAskSeqs) state.myAskSeqs = new Set();
}

// Applies one question event; returns a note for announcements.
export function applyAudience(state, event) {
  const data = event.data || {};
  if (!state.questions) loadAudience(state, {});
  switch (event.name) {
    case "question.added": {
      const known = state.questions.has(data.id);
      state.questions.set(data.id, data);
      // An ask of one's own is acknowledged before its event arrives.
      const mine = state.myAskSeqs.has(event.seq);
      if (mine) state.myQuestions.add(data.id);
      return known ? {} : { newQuestion: data, mine };
    }
    case "question.updated": {
      const before = state.questions.get(data.id);
      state.questions.set(data.id, data);
      return { questionUpdated: data, answeredNow: Boolean(data.answered && !before?.answered) };
    }
    case "question.removed":
      state.questions.delete(data.id);
      return {};
    case "question.voted": {
      const question = state.questions.get(data.question);
      if (question) question.votes = data.votes;
      if (state.you && data.participant === state.you.id) {
        if (data.on) state.myUpvotes.add(data.question);
        else state.myUpvotes.delete(data.question);
      }
      return {};
    }
    default:
      return {};
  }
}

// Open questions by votes (most first, then in the order asked); answered ones apart.
export function sortedQuestions(questions) {
  const order = (a, b) => (b.votes || 0) - (a.votes || 0) || a.id - b.id;
  const all = [...questions];
  return {
    open: all.filter((q) => !q.answered).sort(order),
    answered: all.filter((q) => q.answered).sort(order),
  };
}
