"""python manage.py mix_ballot_boxes: re-mix the ballot boxes that changed since their
last mix, and seal those of consultations that have closed (voting/mixing.py).

Run it every few minutes (cron or a systemd timer): the interval is the window in which
an operator watching the live database could still link new ballots to the register.
"""

from django.core.management.base import BaseCommand

from voting import mixing


class Command(BaseCommand):
    help = "Re-mix changed ballot boxes and seal those of closed consultations."

    def handle(self, **options):
        mixed = sealed = 0
        for consultation, seal in list(mixing.boxes_to_mix()):
            if seal:
                sealed += mixing.seal_ballot_box(consultation.pk)
            else:
                mixing.mix_ballot_box(consultation.pk)
                mixed += 1
        if mixed:
            # Superseded row versions of the open boxes: a plain VACUUM, which takes no lock
            # that would hold ballots back.
            mixing.vacuum_open_boxes()
        self.stdout.write(f"mixed {mixed} open ballot box(es), sealed {sealed} closed one(s)")
