// Approval ballot: checkboxes, with the consultation's limit shown and kept.

import { t } from "./ballot-common.js";

export function setup(form, data) {
  const boxes = [...form.querySelectorAll('input[name="approve"]')];
  const counter = form.querySelector("#approval-count");
  const limit = data.settings.max_approvals || null;
  const chosen = () => boxes.filter((box) => box.checked);

  function update() {
    const n = chosen().length;
    counter.textContent = limit ? t("approval_count", { n, max: limit }) : t("approval_count_free", { n });
    counter.classList.remove("ballot-counter--warning");
  }

  for (const box of boxes) {
    box.addEventListener("change", () => {
      if (limit && box.checked && chosen().length > limit) {
        // Refuse the extra tick and say why; the counter is a live region.
        box.checked = false;
        counter.textContent = t("approval_limit", { max: limit });
        counter.classList.add("ballot-counter--warning");
        return;
      }
      update();
    });
  }
  update();

  return {
    collect() {
      return { ballot: { approve: chosen().map((box) => Number(box.value)) } };
    },
    fill(ballot) {
      const approved = new Set((ballot.approve || []).map(String));
      for (const box of boxes) box.checked = approved.has(box.value);
      update();
    },
  };
}
