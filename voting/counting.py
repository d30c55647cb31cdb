"""From a consultation's ballots to its results: reads the box, calls the pure
tally functions in voting.tally. (Filled in with the tally package.)"""

from .models import Phase


def results_visible_to_public(consultation):
    return consultation.interim_results and consultation.phase in (Phase.OPEN, Phase.CLOSED)


def count(consultation):
    raise NotImplementedError
