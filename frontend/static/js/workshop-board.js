// Entry module of workshops/board.html: the participant's live board.
import { startBoard } from "./workshop-view.js";

startBoard();
