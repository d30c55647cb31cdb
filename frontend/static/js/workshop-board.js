// Entry module of workshops/board.html: the participant's live board.
import { attachAudience } from "./workshop-audience.js";
import { attachTools } from "./workshop-tools.js";
import { startBoard } from "./workshop-view.js";

const view = startBoard();
if (view) {
  attachTools(view);
  attachAudience(view);
}
