// Points ballot: a number per measure against a budget of points. For a participatory
// budget (settings.use_costs) by settings.budget_ballot: "knapsack", projects chosen by
// checkbox whose costs must fit the budget; "approval", any projects one supports (at most
// max_projects); "points", points spread over the projects, their costs shown.

import { formatMoney, formatNumber, t } from "./ballot-common.js";

function wholeNumber(raw) {
  const text = raw.trim();
  if (text === "") return 0;
  return /^\d+$/.test(text) ? Number(text) : null;
}

function pointsBallot(form, data) {
  const total = data.settings.budget_points;
  const inputs = data.options.map((option) => ({ option, input: form.querySelector(`#points-${option.id}`) }));
  const counter = form.querySelector("#points-left");

  function given() {
    return inputs.reduce((sum, { input }) => sum + (wholeNumber(input.value) || 0), 0);
  }

  function update() {
    const sum = given();
    const over = sum > total;
    counter.textContent = over
      ? t("points_over", { over: formatNumber(sum - total), total: formatNumber(total) })
      : t("points_left", { left: formatNumber(total - sum), total: formatNumber(total) });
    counter.classList.toggle("ballot-counter--warning", over);
    for (const { input } of inputs) {
      if (wholeNumber(input.value) !== null && !over) input.removeAttribute("aria-invalid");
    }
  }

  for (const { input } of inputs) input.addEventListener("input", update);
  update();

  return {
    collect() {
      const points = {};
      for (const { option, input } of inputs) {
        const value = wholeNumber(input.value);
        if (value === null) {
          return { error: t("points_invalid"), focus: input, invalid: true };
        }
        if (value) points[option.id] = value;
      }
      const sum = Object.values(points).reduce((a, b) => a + b, 0);
      if (!sum) return { error: t("points_missing"), focus: inputs[0]?.input };
      if (sum > total) {
        return { error: t("points_over", { over: formatNumber(sum - total), total: formatNumber(total) }), focus: inputs[0]?.input };
      }
      return { ballot: { points } };
    },
    fill(ballot) {
      const points = ballot.points || {};
      for (const { option, input } of inputs) {
        const value = points[option.id] ?? points[String(option.id)];
        input.value = value ? String(value) : "";
      }
      update();
    },
  };
}

function budgetBallot(form, data) {
  // Counted in cents, so that sums of prices stay exact.
  const cents = (euros) => Math.round(Number(euros || 0) * 100);
  const euros = (amount) => formatMoney(amount / 100);
  const budget = cents(data.settings.budget);
  const boxes = data.options.map((option) => ({ option, box: form.querySelector(`#choose-${option.id}`) }));
  const counter = form.querySelector("#budget-total");
  const spent = () => boxes.reduce((sum, { option, box }) => sum + (box.checked ? cents(option.cost) : 0), 0);

  function update() {
    const sum = spent();
    counter.textContent = t("budget_total", { total: euros(sum), budget: euros(budget), left: euros(budget - sum) });
    counter.classList.remove("ballot-counter--warning");
  }

  for (const { option, box } of boxes) {
    box.addEventListener("change", () => {
      if (box.checked && spent() > budget) {
        box.checked = false;
        counter.textContent = t("budget_over", {
          title: option.title,
          cost: euros(cents(option.cost)),
          left: euros(budget - spent()),
        });
        counter.classList.add("ballot-counter--warning");
        return;
      }
      update();
    });
  }
  update();

  return chosenProjects(boxes, update);
}

// A budget ballot by checkbox: 1 point for each chosen project.
function chosenProjects(boxes, update) {
  return {
    collect() {
      const points = {};
      for (const { option, box } of boxes) if (box.checked) points[option.id] = 1;
      if (!Object.keys(points).length) return { error: t("budget_missing"), focus: boxes[0]?.box };
      return { ballot: { points } };
    },
    fill(ballot) {
      const points = ballot.points || {};
      for (const { option, box } of boxes) box.checked = Boolean(points[option.id] ?? points[String(option.id)]);
      update();
    },
  };
}

function approvalBudgetBallot(form, data) {
  // Approve the projects one supports; the count (equal shares, greedy) fits them to the budget.
  const limit = data.settings.max_projects || null;
  const boxes = data.options.map((option) => ({ option, box: form.querySelector(`#choose-${option.id}`) }));
  const counter = form.querySelector("#approval-count");
  const chosen = () => boxes.filter(({ box }) => box.checked).length;

  function update() {
    const n = chosen();
    counter.textContent = limit ? t("approval_count", { n: formatNumber(n), max: formatNumber(limit) }) : t("approval_count_free", { n: formatNumber(n) });
    counter.classList.remove("ballot-counter--warning");
  }

  for (const { box } of boxes) {
    box.addEventListener("change", () => {
      if (box.checked && limit && chosen() > limit) {
        box.checked = false;
        counter.textContent = t("projects_limit", { max: formatNumber(limit) });
        counter.classList.add("ballot-counter--warning");
        return;
      }
      update();
    });
  }
  update();

  return chosenProjects(boxes, update);
}

export function setup(form, data) {
  const style = data.settings.use_costs ? data.settings.budget_ballot || "knapsack" : null;
  if (style === "knapsack") return budgetBallot(form, data);
  if (style === "approval") return approvalBudgetBallot(form, data);
  return pointsBallot(form, data);
}
