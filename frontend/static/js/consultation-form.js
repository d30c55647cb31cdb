// The consultation form (new and edit): shows only the settings of the chosen method,
// and for "Punkte verteilen" only the points or the budget. Without this script every
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
    for (const field of settings.querySelectorAll("[data-costs]")) {
      field.hidden = (field.dataset.costs === "on") !== costs.checked;
    }
  }
}

if (settings) {
  form.addEventListener("change", (event) => {
    if (event.target.name === "method" || event.target.name === "use_costs") update();
  });
  update();
}
