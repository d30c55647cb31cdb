// The consultation form (new and edit): shows only the settings of the chosen method,
// and for "Punkte verteilen" only the points or the budget and its ballot's settings. Without this script every
// setting stays visible under its method's heading and the server uses the chosen ones.
// Hidden groups get the `hidden` attribute: out of view, out of the tab order and
// unread by screen readers; their values are still sent and ignored by the server.

const form = document.querySelector("form.setup-form");
const settings = form && form.querySelector("[data-setup-settings]");

function chosenMethod() {
  const checked = form.querySelector('input[name="method"]:checked');
  return checked ? checked.value : "";
}

function update() {
  const method = chosenMethod();
  for (const group of settings.querySelectorAll("[data-method]")) {
    group.hidden = group.dataset.method !== method;
  }
  // Before a method is chosen there is nothing to set.
  settings.hidden = !method;
  const note = settings.querySelector("[data-setup-settings-note]");
  if (note) note.hidden = true;
  const costs = form.querySelector('input[name="use_costs"]');
  if (costs) {
    const style = form.querySelector('input[name="budget_ballot"]:checked')?.value || "knapsack";
    for (const field of settings.querySelectorAll("[data-costs]")) {
      field.hidden = !shown(field.dataset.costs, costs.checked, style);
    }
  }
}

// "on": only for a budget; "off": only without; "points": points without a budget or a
// budget voted by points; any other value: a budget whose ballot is that style.
function shown(when, budget, style) {
  if (when === "on") return budget;
  if (when === "off") return !budget;
  if (when === "points") return !budget || style === "points";
  return budget && style === when;
}

if (settings) {
  form.addEventListener("change", (event) => {
    if (["method", "use_costs", "budget_ballot"].includes(event.target.name)) update();
  });
  update();
}
