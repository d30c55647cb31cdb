"""Every change of a live workshop, by domain: ``board``, ``polls``, ``workshop`` (phase,
settings, create, edit, join), ``participants`` (rights lost, accounts deleted), and
``commands`` with ``apply_command``, the one entry point for the WebSocket commands: it
validates, writes the change and its ``WorkshopEvent`` (with the next ``seq``) in one
transaction, remembers the command id, and broadcasts the events only after the commit
(``broadcast``). A command id seen before is acknowledged again and changes nothing.
What the rest of the project uses is importable from here.
"""

from .base import CommandError, Context, Outcome, check_command_id, rights_revoked
from .commands import HANDLERS, TRANSIENT, UNLOGGED, apply_command
from .moves import apply_moves, drag_refusal, drag_rules
from .participants import DELETED_ACCOUNT_NAME, anonymise_participants, revoke_lost_facilitators
from .polls import apply_votes, check_vote
from .workshop import EDITABLE_FIELDS, create_workshop, join_workshop, update_workshop

__all__ = [
    "DELETED_ACCOUNT_NAME",
    "EDITABLE_FIELDS",
    "HANDLERS",
    "TRANSIENT",
    "UNLOGGED",
    "CommandError",
    "Context",
    "Outcome",
    "anonymise_participants",
    "apply_command",
    "apply_moves",
    "apply_votes",
    "check_command_id",
    "check_vote",
    "create_workshop",
    "drag_refusal",
    "drag_rules",
    "join_workshop",
    "revoke_lost_facilitators",
    "rights_revoked",
    "update_workshop",
]
