"""Pabulib ``.pb`` files (voting/pabulib.py) and ``manage.py count_pabulib``, on real budgets.

Data: three Pabulib files kept in the repository, read through ``tests/pabulib_data.py``
(source, citation and licence note there and in ``tests/data/pabulib/README.md``): Warsaw
2017 Anin (approval), Warsaw 2025 Mokotów (approval, up to 15) and Częstochowa 2024
Tysiąclecie (cumulative, 10 points). The city-wide Warsaw 2026 file (61,668 votes) is not
in the repository: its read time, round trip and the city's 3,000-vote threshold are
checked by ``bench/budget_count.py``.

Each file's ``selected`` column is the city's own outcome; the platform's greedy count
reproduces it wherever the city used the plain greedy rule.
"""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests import pabulib_data
from tests.pabulib_data import ANIN, CZESTOCHOWA, FILES, MOKOTOW
from voting.pabulib import (
    PabulibError,
    PBInstance,
    budget_profile,
    instance_from_count_data,
    option_ids,
    read_pb,
    write_pb,
)
from voting.tally.points import count_points

_read = {}


def real(name: str) -> PBInstance:
    """The file read once per test run."""
    if name not in _read:
        _read[name] = read_pb(pabulib_data.text(name))
    return _read[name]


# --- real files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_real_files_read_back_equal_after_writing(name):
    instance = real(name)
    text = write_pb(instance)

    again = read_pb(text)
    assert again == instance
    assert write_pb(again) == text
    assert text.startswith("META\nkey;value\ndescription;")
    assert "\nPROJECTS\nproject_id;cost;" in text
    assert "\nVOTES\nvoter_id;vote;" in text


@pytest.mark.parametrize(
    ("name", "projects", "votes", "vote_type"),
    [
        (ANIN, 17, 510, "approval"),
        (MOKOTOW, 73, 7625, "approval"),
        (CZESTOCHOWA, 52, 2602, "cumulative"),
    ],
)
def test_real_files_have_the_projects_and_votes_their_meta_names(name, projects, votes, vote_type):
    instance = real(name)

    assert len(instance.projects) == int(instance.meta["num_projects"]) == projects
    assert len(instance.votes) == int(instance.meta["num_votes"]) == votes
    assert instance.meta["vote_type"] == vote_type
    assert all(isinstance(project["cost"], Decimal) for project in instance.projects)
    # The votes column of PROJECTS counts the votes naming the project.
    named = {project["project_id"]: 0 for project in instance.projects}
    for vote in instance.votes:
        for pid in vote["vote"]:
            named[pid] += 1
    assert named == {project["project_id"]: int(project["votes"]) for project in instance.projects}


def test_anin_rows_keep_their_columns_as_text():
    instance = real(ANIN)

    assert list(instance.meta)[:3] == ["description", "country", "unit"]
    assert instance.meta["budget"] == "122468"
    first = instance.projects[0]
    assert list(first) == ["project_id", "cost", "votes", "name", "category", "beneficiaries", "selected"]
    assert first["project_id"] == "1828"
    assert first["cost"] == Decimal(90770)
    assert first["category"] == "education,sport,health"
    assert instance.votes[0] == {
        "voter_id": "1998",
        "vote": ["2523", "2533", "2571", "1998", "1149", "422", "2515", "2580", "2586", "418"],
        "points": None,
        "age": "48",
        "sex": "F",
        "voting_method": "internet",
    }


def test_budget_profile_of_anin_is_approval_by_project_id():
    options, ballots, costs, budget, vote_type = budget_profile(real(ANIN))

    assert vote_type == "approval"
    assert budget == Decimal(122468)
    assert options[:3] == [1828, 2451, 2533]
    assert len(options) == 17
    assert costs[1828] == Decimal(90770)
    assert len(ballots) == 510
    assert ballots[0] == dict.fromkeys([2523, 2533, 2571, 1998, 1149, 422, 2515, 2580, 2586, 418], 1)
    assert option_ids(real(ANIN))[1828] == "1828"


def test_budget_profile_of_czestochowa_carries_the_cumulative_points():
    instance = real(CZESTOCHOWA)
    options, ballots, costs, budget, vote_type = budget_profile(instance)

    assert vote_type == "cumulative"
    assert budget == Decimal(631874)
    # Line 76 of the file: 36;378,619;5,5;F;internet
    assert ballots[1] == {378: 5, 619: 5}
    assert all(0 < sum(ballot.values()) <= int(instance.meta["max_sum_points"]) for ballot in ballots)
    totals = count_points(options, ballots)["scores"]
    assert totals == {int(project["project_id"]): int(project["score"]) for project in instance.projects}
    assert totals[595] == 3422


@pytest.mark.parametrize("name", [ANIN, MOKOTOW, CZESTOCHOWA])
def test_the_platforms_greedy_count_reproduces_the_city_where_it_used_greedy(name):
    instance = real(name)
    assert instance.meta["rule"] == "greedy"
    options, ballots, costs, budget, _vote_type = budget_profile(instance)

    selected = count_points(options, ballots, costs=costs, budget=budget)["selected"]

    city = [int(project["project_id"]) for project in instance.projects if project["selected"] == "1"]
    assert selected == city  # the same projects, taken in the same order


def test_a_broken_real_file_names_its_line():
    lines = pabulib_data.text(ANIN).split("\r\n")  # its own line ends
    assert lines[46].startswith("2802;")  # line 47
    lines[46] = lines[46].replace("2584,", "9999,")

    with pytest.raises(PabulibError, match=r"^line 47: vote of voter '2802' names project '9999'") as caught:
        read_pb("\r\n".join(lines))
    assert caught.value.line == 47


# --- made-up files ----------------------------------------------------------------------

SMALL = """META
key;value
description;Test
num_projects;2
num_votes;2
budget;100
vote_type;cumulative
PROJECTS
project_id;cost;name
1;60;Bänke
2;50.5;Bäume
VOTES
voter_id;vote;points;age
a;1,2;3,2;30
b;2;5;
"""


def test_a_small_cumulative_file():
    instance = read_pb(SMALL)

    assert instance.projects[1] == {"project_id": "2", "cost": Decimal("50.5"), "name": "Bäume"}
    assert instance.votes[0] == {"voter_id": "a", "vote": ["1", "2"], "points": [3, 2], "age": "30"}
    assert instance.votes[1]["age"] == ""
    assert read_pb(write_pb(instance)) == instance
    assert budget_profile(instance) == ([1, 2], [{1: 3, 2: 2}, {2: 5}], {1: 60, 2: Decimal("50.5")}, 100, "cumulative")


def test_windows_line_ends_a_byte_order_mark_blank_lines_and_lower_case_sections_are_read():
    text = "\ufeff" + SMALL.replace("PROJECTS", "\nprojects").replace("\n", "\r\n")

    assert read_pb(text) == read_pb(SMALL)


def test_quoted_fields_survive_the_round_trip_and_keep_the_line_numbers():
    instance = read_pb(SMALL)
    instance.projects[0]["name"] = 'Bänke; "groß"\nund klein'
    text = write_pb(instance)
    assert '"Bänke; ""groß""\nund klein"' in text

    assert read_pb(text) == instance
    broken = text.replace("b;2;5;", "b;2;x;")
    # The quoted name spans two lines, so the last vote is on line 16.
    with pytest.raises(PabulibError, match=r"^line 16: points of voter 'b' are not whole numbers"):
        read_pb(broken)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("VOTES\n", "BALLOTS\n", 12, "unknown section 'BALLOTS'"),
        ("b;2;5;", "b;3;5;", 15, "vote of voter 'b' names project '3', which is not in PROJECTS"),
        ("a;1,2;3,2;30", "a;1,1;3,2;30", 14, "vote of voter 'a' names project '1' twice"),
        ("2;50.5;", "2;fifty;", 11, "cost of project '2' 'fifty' is not a number"),
        ("2;50.5;", "2;-5;", 11, "cost of project '2' '-5' is not a number of 0 or more"),
        ("a;1,2;3,2;30", "a;1,2;3,zwei;30", 14, "points of voter 'a' are not whole numbers"),
        ("a;1,2;3,2;30", "a;1,2;3;30", 14, "voter 'a' gives 1 points value(s) for 2 project(s)"),
        ("budget;100\n", "", 1, "META has no budget"),
        ("budget;100", "budget;viel", 6, "budget 'viel' is not a number"),
        ("vote_type;cumulative\n", "", 1, "META has no vote_type"),
        ("vote_type;cumulative", "vote_type;ranked", 7, "unknown vote_type 'ranked'"),
        ("2;50.5;Bäume", "1;50.5;Bäume", 11, "project '1' appears again (first on line 10)"),
        ("b;2;5;", "a;2;5;", 15, "voter 'a' appears again (first on line 14)"),
        ("b;2;5;", "b;2;5", 15, "VOTES row has 3 field(s), the header 4"),
        ("num_votes;2", "num_votes;3", 5, "num_votes is 3, but the file has 2 votes"),
        ("num_projects;2", "num_projects;zwei", 4, "num_projects 'zwei' is not a whole number"),
        ("key;value\n", "", 2, "META must start with the header row 'key;value'"),
        ("project_id;cost;name", "project_id;price;name", 9, "PROJECTS header lacks the column(s) cost"),
        ("voter_id;vote;points;age", "voter_id;vote;age", 13, "VOTES of vote_type cumulative need a points column"),
        ("voter_id;vote;points;age", "voter_id;vote;points;vote", 13, "VOTES header names the column 'vote' twice"),
        ("META\n", "", 1, "the file must start with META"),
        ("PROJECTS\n", "VOTES\n", 8, "section VOTES where PROJECTS was expected"),
        ("b;2;5;\n", "b;2;5;\nMETA\n", 16, "section META appears again (first on line 1)"),
        ("b;2;5;", 'b;"2;5;', 15, "not readable as ';'-separated fields"),
        ("description;Test", "description;Test;mit;Semikolon", 3, "META row has 4 field(s), the header 2"),
    ],
)
def test_malformed_files_raise_an_error_naming_the_line(old, new, line, message):
    assert old in SMALL
    with pytest.raises(PabulibError) as caught:
        read_pb(SMALL.replace(old, new))

    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: {message}")


def test_a_file_without_votes_section_is_refused():
    with pytest.raises(PabulibError, match="the file has no VOTES section"):
        read_pb(SMALL[: SMALL.index("VOTES")])


def test_project_ids_that_are_not_plain_numbers_become_positions():
    instance = read_pb(SMALL.replace("\n2;", "\nB2;").replace(";1,2;", ";1,B2;").replace("b;2;", "b;B2;"))

    assert option_ids(instance) == {1: "1", 2: "B2"}
    assert budget_profile(instance).ballots == [{1: 3, 2: 2}, {2: 5}]
    leading_zero = read_pb(SMALL.replace("\n2;", "\n02;").replace(";1,2;", ";1,02;").replace("b;2;", "b;02;"))
    assert option_ids(leading_zero) == {1: "1", 2: "02"}


# --- export of a platform consultation -----------------------------------------------------


def test_instance_from_count_data_writes_a_file_that_reads_back():
    instance = instance_from_count_data(
        description="Bürgerhaushalt Heilbronn 2026",
        instance=2026,
        budget=Decimal(100_000),
        vote_type="points",
        rule="equal_shares",
        date_begin=date(2026, 3, 1),
        date_end="15.03.2026",
        extra_meta={"max_sum_points": 10},
        projects=[
            {"id": 11, "cost": Decimal(60_000), "name": "Radweg; Südstadt", "selected": True},
            {"id": 12, "cost": 30_000, "name": "Bänke", "selected": False},
            {"id": 13, "cost": "25000.50", "name": "Bäume", "selected": True},
        ],
        ballots=[{11: 6, 12: 4}, {13: 10, 12: 0}, {}],
    )

    assert instance.meta == {
        "description": "Bürgerhaushalt Heilbronn 2026",
        "country": "Germany",
        "unit": "Heilbronn",
        "instance": "2026",
        "num_projects": "3",
        "num_votes": "3",
        "budget": "100000",
        "vote_type": "cumulative",
        "rule": "equalshares",
        "date_begin": "01.03.2026",
        "date_end": "15.03.2026",
        "max_sum_points": "10",
        "language": "de",
        "currency": "EUR",
    }
    assert instance.projects[2] == {
        "project_id": "13",
        "cost": Decimal("25000.50"),
        "votes": "1",
        "score": "10",
        "name": "Bäume",
        "selected": "1",
    }
    assert [vote["voter_id"] for vote in instance.votes] == ["1", "2", "3"]
    assert instance.votes[1] == {"voter_id": "2", "vote": ["13"], "points": [10]}
    assert instance.votes[2] == {"voter_id": "3", "vote": [], "points": []}

    text = write_pb(instance)
    assert "\nrule;equalshares\n" in text
    assert '\n11;60000;1;6;"Radweg; Südstadt";1\n' in text
    assert "\nVOTES\nvoter_id;vote;points\n1;11,12;6,4\n" in text
    assert read_pb(text) == instance
    profile = budget_profile(read_pb(text))
    assert profile.ballots == [{11: 6, 12: 4}, {13: 10}, {}]
    assert profile.costs == {11: 60_000, 12: 30_000, 13: Decimal("25000.50")}


def test_instance_from_count_data_of_approval_ballots():
    instance = instance_from_count_data(
        description="Test",
        instance="2026",
        budget=50,
        vote_type="approval",
        rule="greedy",
        projects=[{"id": 1, "cost": 30, "name": "A"}, {"id": 2, "cost": 20, "name": "B"}],
        ballots=[[2, 1], {1: 1}],
    )

    assert instance.votes == [
        {"voter_id": "1", "vote": ["2", "1"], "points": None},
        {"voter_id": "2", "vote": ["1"], "points": None},
    ]
    assert [project["votes"] for project in instance.projects] == ["2", "1"]
    assert "selected" not in instance.projects[0]
    assert "\nVOTES\nvoter_id;vote\n1;2,1\n2;1\n" in write_pb(instance)
    assert read_pb(write_pb(instance)) == instance
    with pytest.raises(PabulibError, match="ballot 1 names projects that are not in the list: 3"):
        instance_from_count_data(
            description="Test",
            instance="2026",
            budget=50,
            vote_type="approval",
            rule="greedy",
            projects=[{"id": 1, "cost": 30, "name": "A"}],
            ballots=[[3]],
        )


# --- manage.py count_pabulib -------------------------------------------------------------


def test_count_pabulib_on_anin_agrees_with_the_city_by_the_greedy_rule():
    out = StringIO()
    with translation.override("de"):
        call_command("count_pabulib", str(pabulib_data.path(ANIN)), "--rule", "greedy", stdout=out)
    text = out.getvalue()

    assert "17 Projekte, 510 Stimmzettel (approval), Budget 122.468 PLN" in text
    assert "Nach Stimmen, solange das Geld reicht: 6 Projekte gefördert, 121.770 von 122.468 PLN" in text
    funded = [line.split()[0] for line in text.splitlines() if line.startswith("  ") and line.split()[0].isdigit()]
    assert funded == ["1828", "2533", "2515", "2584", "1998", "418"]
    assert "Vergleich mit der Auswahl der Stadt: 17 von 17 Projekten stimmen überein." in text
    assert "Nur hier gefördert" not in text
    assert "Methode der gleichen Anteile" not in text


def test_count_pabulib_counts_both_rules_by_default():
    out = StringIO()
    with translation.override("de"):
        call_command("count_pabulib", str(pabulib_data.path(ANIN)), stdout=out)
    text = out.getvalue()

    assert text.count("Vergleich mit der Auswahl der Stadt:") == 2
    assert text.index("Nach Stimmen, solange das Geld reicht:") < text.index("Methode der gleichen Anteile:")


def test_count_pabulib_refuses_an_unreadable_file_with_exit_code_2(tmp_path):
    broken = tmp_path / "broken.pb"
    broken.write_text(SMALL.replace("b;2;5;", "b;3;5;"), encoding="utf-8")

    with translation.override("de"), pytest.raises(CommandError) as caught:
        call_command("count_pabulib", str(broken))
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        f"Die Datei {broken} kann nicht gelesen werden: "
        "line 15: vote of voter 'b' names project '3', which is not in PROJECTS"
    )
    with pytest.raises(CommandError) as caught:
        call_command("count_pabulib", str(tmp_path / "missing.pb"))
    assert caught.value.returncode == 2
