// Every page: the menu button of narrow screens, and the focus on a confirmation placed
// where the page lands (feedback/_note.html).
//
// Without this script there is no menu button and the menu stays open: the header shows
// everything, as on wide screens. With it, narrow screens show the site name and a
// "Menü" disclosure button (aria-expanded, aria-controls); Escape closes the menu and
// returns to the button. Wide screens hide the button in CSS and always show the menu.

function setUpMenu() {
  const header = document.querySelector(".site-header");
  const button = header && header.querySelector(".menu-toggle");
  if (!button) return;
  const open = (yes) => {
    button.setAttribute("aria-expanded", String(yes));
    header.classList.toggle("site-header--open", yes);
  };
  header.classList.add("site-header--collapsible");
  open(false);
  button.hidden = false;
  button.addEventListener("click", () => open(button.getAttribute("aria-expanded") !== "true"));
  header.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    // Only where the button is shown (narrow screens): elsewhere Escape is not ours.
    if (!button.offsetParent) return;
    open(false);
    button.focus();
    event.preventDefault();
  });
}

function focusPlacedNote() {
  // Screen readers say a status that is already there when the page loads only when it
  // takes the focus; sighted users see it where the page scrolled to. After "load": going
  // to the page's #anchor moves the focus to the anchor (or to nothing) once more.
  const note = document.querySelector("[data-focus-on-load]");
  if (!note) return;
  const focus = () => note.focus();
  if (document.readyState === "complete") focus();
  else window.addEventListener("load", focus, { once: true });
}

setUpMenu();
focusPlacedNote();
