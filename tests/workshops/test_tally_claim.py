"""One tally stream per poll for all processes (over real Redis): a process counts and
broadcasts only when it holds the poll's turn, and skips when a tally counted after its
votes has already reached it. Nobody's votes are left without a tally that covers them."""

import asyncio
import os
import uuid

import pytest

from workshops.redis_layer import WorkshopRedisChannelLayer


@pytest.fixture
def layer():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    return WorkshopRedisChannelLayer(hosts=[url], prefix=f"test-claim-{uuid.uuid4().hex[:8]}:")


def never(generation):
    return False


async def test_the_first_claim_counts_and_a_covered_one_skips(layer):
    first = await layer.claim_tally(7, 0.5, never)
    assert first >= 1
    # Within the turn, a tally with a generation at least this request's has arrived: skip.
    assert await layer.claim_tally(7, 0.5, lambda mine: first + 1 >= mine) is None


async def test_an_uncovered_claim_waits_for_the_turn_and_then_counts(layer):
    loop = asyncio.get_running_loop()
    first = await layer.claim_tally(8, 0.3, never)
    started = loop.time()
    second = await layer.claim_tally(8, 0.3, lambda mine: first >= mine)  # only older tallies arrived
    waited = loop.time() - started
    assert second > first
    assert waited >= 0.2  # it waited for the first turn to end


async def test_claims_from_many_processes_take_turns_and_each_is_covered(layer):
    loop = asyncio.get_running_loop()
    granted = []

    async def process(n):
        generation = await layer.claim_tally(9, 0.1, never)
        granted.append((loop.time(), generation))

    await asyncio.gather(*(process(n) for n in range(4)))
    granted.sort()
    generations = [g for _, g in granted]
    assert generations == sorted(generations) and generations[-1] == 4
    # Each turn lasts the interval: the four counts are spread over at least three turns.
    assert granted[-1][0] - granted[0][0] >= 0.25


async def test_with_redis_away_every_process_counts():
    layer = WorkshopRedisChannelLayer(hosts=["redis://127.0.0.1:1/0"])
    assert await layer.claim_tally(1, 0.1, never) == 0


async def test_a_hub_drops_a_tally_counted_before_one_it_already_has():
    """A slow process's tally can arrive after a newer one; it must not overwrite it."""
    from workshops.consumers import Hub

    hub = Hub("ABC123")

    def tally(generation, votes):
        return {"type": "workshop.tally", "generation": generation, "tally": {"poll": 3, "votes": votes}}

    hub.enqueue(tally(5, 40))
    hub.enqueue(tally(3, 25))  # outdated: dropped
    hub.enqueue(tally(6, 41))  # newer: replaces the one still waiting
    assert [m["tally"]["votes"] for m in hub.inbox] == [41]
    hub.enqueue(tally(None, 42))  # one process, no generations: always delivered
    assert hub.tallies_seen[3] == 6
