from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET  # noqa: N817
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.measures.models import MeasureResponse
from confide.measures.registry import all_instruments
from confide.measures.services import response_submit, sharing_set
from confide.measures.tests.helpers import (
    NOW,
    answer_weekly,
    take_url,
    weekly_post,
)
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SVG = "{http://www.w3.org/2000/svg}"


def _text(response: Any) -> str:
    return response.content.decode()


# --- the home page and taking a measure ------------------------------------------------------


def test_due_measures_appear_once_on_the_home_page_gently(alex: User, pair: Pair) -> None:
    page = _text(client_for(alex).get(reverse("core:home")))
    assert "A short reflection, if you like" in page
    assert page.count(take_url(pair)) == 1
    assert page.count(take_url(pair, "closeness-picture")) == 1
    for pressure in ("streak", "overdue", "missed", "don't forget"):
        assert pressure not in page.lower()


def test_answered_measures_leave_the_home_page(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    client.post(take_url(pair), weekly_post(4, 5, 2, 4, 3, 5))
    client.post(take_url(pair, "closeness-picture"), {"item-overlap": "5"})
    assert "A short reflection" not in _text(client.get(reverse("core:home")))


def test_take_the_weekly_check_without_javascript(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    page = _text(client.get(take_url(pair)))
    assert page.count('type="radio"') == 30
    assert "My partner seemed to grasp what I was really going through." in page
    response = client.post(take_url(pair), weekly_post(4, 5, 2, 4, 3, 5), follow=True)
    assert response.redirect_chain[-1][0] == reverse("measures:progress")
    assert "only you can see them" in _text(response)
    assert MeasureResponse.objects.get().answers["heard"] == 5


def test_the_closeness_picture_is_a_radio_group_of_seven_drawn_pictures(
    alex: User, pair: Pair
) -> None:
    client = client_for(alex)
    page = _text(client.get(take_url(pair, "closeness-picture")))
    assert page.count('name="item-overlap"') == 7
    assert page.count('class="closeness-svg"') == 7
    assert "Two circles almost one" in page  # each picture's text alternative
    assert "style=" not in page and "<script>" not in page
    client.post(take_url(pair, "closeness-picture"), {"item-overlap": "6"})
    assert MeasureResponse.objects.get().total == 6.0


def test_submitting_twice_in_a_week_is_refused_with_a_clear_message(alex: User, pair: Pair) -> None:
    client = client_for(alex)
    client.post(take_url(pair), weekly_post(4, 5, 2, 4, 3, 5))
    page = _text(client.get(take_url(pair)))
    assert "You have already answered this one for now" in page
    response = client.post(take_url(pair), weekly_post(1, 1, 1, 1, 1, 1))
    assert response.status_code == 400
    assert "You have already answered this week" in _text(response)
    assert MeasureResponse.objects.get().answers["heard"] == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (weekly_post(9, 5, 2, 4, 3, 5), "Question 1: choose one of the answers from 1 to 5."),
        (weekly_post(4, 5, 2, 4, 3, "x"), "Question 6: choose one of the answers from 1 to 5."),
        (weekly_post(4, None, None, 4, 3, 5), "Please answer at least 5 of the 6 questions"),
        (
            {**weekly_post(4, 5, 2, 4, 3, 5), "item-mystery": "3"},
            "One answer was for a question this measure does not have",
        ),
        ({}, "Please answer at least 5 of the 6 questions"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    alex: User, pair: Pair, data: dict[str, str], message: str
) -> None:
    response = client_for(alex).post(take_url(pair), data)
    assert response.status_code == 400
    assert message in _text(response)
    assert not MeasureResponse.objects.exists()


def test_outsiders_and_wrong_routes_get_404(alex: User, casey: User, pair: Pair) -> None:
    assert client_for(casey).get(take_url(pair)).status_code == 404
    assert client_for(casey).post(take_url(pair), weekly_post(4, 5, 2, 4, 3, 5)).status_code == 404
    alex_client = client_for(alex)
    assert alex_client.get(take_url(pair, "no-such-thing")).status_code == 404
    # Circle measures are taken inside circles; a pair measure needs its pair.
    assert alex_client.get(take_url(pair, "meeting-rating")).status_code == 404
    assert alex_client.get(reverse("measures:take", args=["weekly-closeness"])).status_code == 404
    assert not MeasureResponse.objects.exists()


def test_a_person_measure_from_the_operators_folder_is_taken_alone(
    alex: User, operator_instruments: object
) -> None:
    client = client_for(alex)
    url = reverse("measures:take", args=["my-calm"])
    assert url in _text(client.get(reverse("core:home")))
    client.post(url, {"item-calm": "2", "item-rested": "1"})
    response = MeasureResponse.objects.get()
    assert (response.context, response.total) == ("", 3.0)
    page = _text(client.get(reverse("measures:progress")))
    assert "My calm" in page
    assert "SD 1.50 and reliability 0.80, as the measure's file gives them" in page


# --- progress, charts and consent -------------------------------------------------------------


def _weeks(person: User, pair: Pair, rows: Sequence[tuple[int, ...]], start: int = 0) -> None:
    for week, values in enumerate(rows, start=start):
        with time_machine.travel(NOW + timedelta(weeks=week), tick=False):
            answer_weekly(person, pair, *values)


ALEX_WEEKS = [(2, 2, 4, 2, 2, 2), (3, 3, 3, 3, 3, 3), (5, 4, 1, 5, 4, 5)]  # 2.0, 3.0, 4.67
BLAKE_WEEKS = [(1, 2, 5, 1, 2, 1), (1, 2, 5, 1, 2, 2)]  # 1.33, 1.5: distinctive


def _parse_chart(svg: bytes) -> dict[str, list[float]]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert element.tag not in {f"{SVG}script", f"{SVG}style", f"{SVG}a", f"{SVG}image"}
    found: dict[str, list[float]] = {}
    overlay = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "plot overlay")
    for index, series in enumerate(overlay.findall(f"{SVG}g")):
        found[str(index)] = [
            float(d.text or "") for d in series.iter(f"{SVG}desc") if d.get("class") == "value"
        ]
    return found


def test_the_chart_svg_parses_back_and_its_points_are_the_scores(alex: User, pair: Pair) -> None:
    _weeks(alex, pair, ALEX_WEEKS)
    url = reverse("measures:chart", args=["weekly-closeness"]) + f"?pair={pair.pk}"
    response = client_for(alex).get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert _parse_chart(response.content) == {"0": [2.0, 3.0, 4.67]}
    # The dots climb as the scores do (SVG's y axis points down).
    root = ET.fromstring(response.content)  # noqa: S314
    heights = [float(c.get("cy") or 0) for c in root.iter(f"{SVG}circle")]
    assert heights == sorted(heights, reverse=True)


def test_chart_of_someone_elses_or_a_junk_pair_is_not_found(
    alex: User, casey: User, pair: Pair
) -> None:
    _weeks(alex, pair, ALEX_WEEKS)
    url = reverse("measures:chart", args=["weekly-closeness"])
    assert client_for(casey).get(f"{url}?pair={pair.pk}").status_code == 404
    assert client_for(alex).get(f"{url}?pair=junk").status_code == 404
    assert client_for(alex).get(f"{url}?pair={pair.pk}").status_code == 200
    other = reverse("measures:chart", args=["no-such-measure"])
    assert client_for(alex).get(other).status_code == 404


def test_progress_page_has_a_chart_table_and_not_yet_available_rci(alex: User, pair: Pair) -> None:
    _weeks(alex, pair, ALEX_WEEKS)
    page = _text(client_for(alex).get(reverse("measures:progress")))
    assert 'src="/measures/progress/weekly-closeness/chart.svg?pair=' in page
    assert "<caption>Every score, oldest first</caption>" in page
    assert "<td>4.67</td>" in page
    assert "The reliable change figure is not yet available" in page
    assert "(so far: 0)" in page  # the scheduler's sweep counts the responses, hourly


def test_progress_shows_reliable_change_with_the_norms_it_used(
    alex: User, pair: Pair, operator_instruments: Any
) -> None:
    calm = all_instruments()["my-calm"]
    response_submit(person=alex, instrument=calm, answers={"calm": 0, "rested": 1})
    with time_machine.travel(NOW + timedelta(weeks=1), tick=False):
        response_submit(person=alex, instrument=calm, answers={"calm": 3, "rested": 3})
        page = _text(client_for(alex).get(reverse("measures:progress")))
    # SD 1.5, r .8: Sdiff = sqrt(2) * 1.5 * sqrt(.2) = 0.948683; RCI = 5 / 0.948683 = 5.27.
    # Words first; the numbers and the method behind "How is this worked out?".
    words = "<strong>Alex:</strong> Reliably better: a change bigger than day-to-day ups and downs"
    assert words in page
    how = page.index("How is this worked out?")
    assert page.index(words) < how
    assert page.index("Alex: reliably better, from 1 to 6 (reliable change index 5.27).") > how


def _pages_for(pair: Pair) -> list[str]:
    return [
        reverse("core:home"),
        reverse("measures:index"),
        reverse("measures:progress"),
        reverse("measures:pair", args=[pair.pk]),
        reverse("measures:pair_chart", args=[pair.pk, "weekly-closeness"]),
        reverse("measures:chart", args=["weekly-closeness"]) + f"?pair={pair.pk}",
        reverse("measures:export"),
    ]


def test_without_both_consents_a_partner_never_sees_the_others_scores(
    alex: User, blake: User, pair: Pair
) -> None:
    _weeks(alex, pair, ALEX_WEEKS)
    _weeks(blake, pair, BLAKE_WEEKS)
    sharing_set(pair=pair, person=blake, shared=True)  # only Blake shares
    client = client_for(alex)
    for url in _pages_for(pair):
        body = _text(client.get(url))
        assert "1.33" not in body and "1.5<" not in body, url
        assert '<th scope="col">Blake</th>' not in body, url
    chart = client.get(reverse("measures:pair_chart", args=[pair.pk, "weekly-closeness"]))
    assert _parse_chart(chart.content) == {"0": [2.0, 3.0, 4.67]}
    assert "Blake" not in chart.content.decode()


def test_with_both_consents_the_pair_sees_scores_side_by_side(
    alex: User, blake: User, pair: Pair
) -> None:
    _weeks(alex, pair, ALEX_WEEKS)
    _weeks(blake, pair, BLAKE_WEEKS)
    client_for(alex).post(reverse("measures:sharing", args=[pair.pk]), {"shared": "yes"})
    client_for(blake).post(reverse("measures:sharing", args=[pair.pk]), {"shared": "yes"})
    page = _text(client_for(alex).get(reverse("measures:pair", args=[pair.pk])))
    assert '<th scope="col">Alex</th><th scope="col">Blake</th>' in page
    assert "<td>1.33</td>" in page
    chart = client_for(alex).get(reverse("measures:pair_chart", args=[pair.pk, "weekly-closeness"]))
    assert _parse_chart(chart.content) == {"0": [2.0, 3.0, 4.67], "1": [1.33, 1.5]}
    # Alex's own progress page and export still hold only Alex's own scores.
    assert "1.33" not in _text(client_for(alex).get(reverse("measures:progress")))
    assert "1.33" not in _text(client_for(alex).get(reverse("measures:export")))
    # Withdrawing takes effect at once.
    client_for(blake).post(reverse("measures:sharing", args=[pair.pk]), {"shared": "no"})
    assert "1.33" not in _text(client_for(alex).get(reverse("measures:pair", args=[pair.pk])))


def test_sharing_form_refuses_nonsense_and_outsiders(alex: User, casey: User, pair: Pair) -> None:
    url = reverse("measures:sharing", args=[pair.pk])
    response = client_for(alex).post(url, {"shared": "maybe"}, follow=True)
    assert "Choose whether to share your scores." in _text(response)
    assert client_for(casey).post(url, {"shared": "yes"}).status_code == 404


def test_query_count_of_the_progress_page_does_not_grow_with_history(
    alex: User, blake: User, pair: Pair, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    _weeks(alex, pair, ALEX_WEEKS[:1])
    client.get(reverse("measures:progress"))  # warm the key cache like a running server
    with django_assert_max_num_queries(11):
        client.get(reverse("measures:progress"))
    _weeks(alex, pair, ALEX_WEEKS * 4, start=1)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("measures:progress")).status_code == 200
    sharing_set(pair=pair, person=alex, shared=True)
    sharing_set(pair=pair, person=blake, shared=True)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("measures:pair", args=[pair.pk])).status_code == 200


# --- export ------------------------------------------------------------------------------------


def test_export_is_a_csv_attachment_of_ones_own_answers_and_scores(
    alex: User, blake: User, pair: Pair
) -> None:
    _weeks(alex, pair, ALEX_WEEKS[:1])
    _weeks(blake, pair, BLAKE_WEEKS[:1])
    response = client_for(alex).get(reverse("measures:export"))
    assert response["Content-Disposition"] == 'attachment; filename="confide-measures.csv"'
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    answers = {r["name"]: r["value"] for r in rows if r["kind"] == "answer"}
    scores = {r["name"]: r["value"] for r in rows if r["kind"] == "score"}
    assert answers == {
        "understood": "2",
        "heard": "2",
        "held-back": "4",
        "turned-toward": "2",
        "time-together": "2",
        "appreciated": "2",
    }
    assert scores == {"total": "2", "attuned": "2", "valued": "2"}
    assert {r["period"] for r in rows} == {"2026-W10"}
    assert len(rows) == 9  # Blake's answers are not there


def test_export_of_someone_without_answers_is_just_the_header(casey: Client) -> None:
    response = client_for(casey).get(reverse("measures:export"))  # type: ignore[arg-type]
    assert response.content.decode().strip().startswith("instrument,instrument_version")
    assert len(response.content.decode().strip().splitlines()) == 1
