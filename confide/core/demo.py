"""Demo content: people a newcomer can log in as. Later apps add their own demo content here."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from confide.accounts.models import User

DEMO_PASSWORD = "closeness-demo-2026"  # noqa: S105 - published on purpose, refused in production

DEMO_PEOPLE = [
    ("alex@example.com", "Alex", "Europe/Berlin"),
    ("blake@example.com", "Blake", "Europe/Berlin"),
    ("dana@example.com", "Dana", "America/New_York"),
    ("eli@example.com", "Eli", "Europe/London"),
]


@transaction.atomic
def demo_load(*, progress: Callable[[str], None] = lambda _: None) -> list[User]:
    people = []
    for email, name, zone in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=name,
                time_zone=zone,
                email_verified_at=timezone.now(),
            )
            progress(f"created {name}")
        else:
            progress(f"{name} is already there")
        people.append(user)
    from confide.accounts.demo import demo_second_factor

    demo_second_factor(people[2])  # Dana facilitates the demo circle: two-step login is required
    progress("Dana's demo authenticator is ready (confide demo code dana@example.com)")
    from confide.safety.classifier import use_classifier

    # The demo's texts are the project's own everyday words; screened by the rules alone, so a
    # false alarm of the learned heads cannot hide a demo entry from the other demo partner.
    with use_classifier(None, "the demo's own texts"):
        _demo_content(people, progress)
    return people


def _demo_content(people: list[User], progress: Callable[[str], None]) -> None:
    from confide.pairs.demo import demo_pair

    demo_pair(alex=people[0], blake=people[1], progress=progress)
    from confide.measures.demo import demo_measures

    demo_measures(alex=people[0], blake=people[1], progress=progress)
    from confide.reminders.demo import demo_reminders

    demo_reminders(alex=people[0], blake=people[1], progress=progress)
    from confide.rhythm.demo import demo_rhythm

    demo_rhythm(alex=people[0], blake=people[1], progress=progress)
    from confide.together.demo import demo_together

    demo_together(alex=people[0], blake=people[1], progress=progress)
    from confide.circles.demo import demo_circle

    demo_circle(
        dana=people[2],
        members=[people[0], people[1], people[3]],
        password=DEMO_PASSWORD,
        progress=progress,
    )
    from confide.care.demo import demo_care

    demo_care(alex=people[0], blake=people[1], eli=people[3], progress=progress)
