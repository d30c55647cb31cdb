// Score ballot: one radio group (0..5 or words, or "keine Angabe") per measure.

import { t } from "./ballot-common.js";

export function setup(form, data) {
  const ids = data.options.map((option) => option.id);

  return {
    collect() {
      const scores = {};
      for (const id of ids) {
        const checked = form.querySelector(`input[name="score-${id}"]:checked`);
        if (checked && checked.value !== "") scores[id] = Number(checked.value);
      }
      if (!Object.keys(scores).length) {
        return { error: t("score_missing"), focus: form.querySelector('input[type="radio"]:checked') };
      }
      return { ballot: { scores } };
    },
    fill(ballot) {
      const scores = ballot.scores || {};
      for (const id of ids) {
        const value = id in scores ? String(scores[id]) : String(scores[String(id)] ?? "");
        const radio = form.querySelector(`input[name="score-${id}"][value="${value}"]`);
        if (radio) radio.checked = true;
      }
    },
  };
}
