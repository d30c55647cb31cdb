// Breakout groups in the BoardState: who is in which group, which groups run, and one's own group.

function takeOut(state, participant) {
  for (const group of state.groups.values()) {
    const index = group.members.indexOf(participant);
    if (index >= 0) {
      group.members.splice(index, 1);
      group.names.splice(index, 1);
    }
  }
}

// Applies breakout.started / .assigned / .ended; returns the note for announcements.
export function applyBreakout(state, name, data) {
  const you = state.you;
  if (name === "breakout.started") {
    state.workshop.breakout_mode = data.mode;
    for (const group of data.groups || []) {
      state.groups.set(group.id, { ...group, members: [...(group.members || [])], names: [...(group.names || [])] });
      if (you && group.members?.includes(you.id)) you.group = group.id;
    }
    return { breakout: { started: data } };
  }
  if (name === "breakout.assigned") {
    takeOut(state, data.participant);
    const group = state.groups.get(data.group);
    if (group) {
      group.members.push(data.participant);
      group.names.push(data.name ?? "");
    }
    const mine = Boolean(you) && data.participant === you.id;
    if (mine) you.group = data.group ?? null;
    return { breakout: { assigned: data, mine } };
  }
  // breakout.ended: everyone back in the plenary; the groups stay as areas of the board.
  state.workshop.breakout_mode = "";
  for (const id of data.groups || []) {
    const group = state.groups.get(id);
    if (group) Object.assign(group, { active: false, members: [], names: [] });
  }
  if (you) you.group = null;
  return { breakout: { ended: data } };
}
