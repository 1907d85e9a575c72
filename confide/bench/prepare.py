"""The data set `confide bench` measures, made in its own throw-away data folder.

`python -m confide.bench.prepare small|large` (run with CONFIDE_DATA_DIR set, after `confide
demo`) adds what the demo lacks for the measured pages — a thread with 50 replies and today's
check-in for Alex — and, for `large`, 100 more pairs with a year of check-ins each, a year for
the demo pair too, and 20 circles with 5,000 posts in all. Rows are written with bulk inserts
through the models, so every text is sealed with its space's key as a service would seal it.
Prints, as JSON, the ids the bench needs.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from typing import Any

REPLIES = 50
LARGE_PAIRS = 100
LARGE_CIRCLES = 20
LARGE_POSTS = 5_000
DAYS = 365
BATCH = 2_000


def prepare(size: str, *, progress: Any = lambda _line: None) -> dict[str, str]:
    from confide.accounts.models import User
    from confide.circles.models import Membership, Thread
    from confide.circles.services.posts import reply_create
    from confide.pairs.models import CheckIn, Pair
    from confide.pairs.services.checkins import checkin_submit
    from confide.pairs.services.common import today_for
    from confide.safety.classifier import use_classifier

    alex = User.objects.get(email="alex@example.com")
    pair = Pair.objects.filter(members__user=alex).order_by("created_at").first()
    assert pair is not None  # noqa: S101 - `confide demo` made it
    owner = Membership.objects.select_related("circle", "user").get(
        user__email="dana@example.com", role="owner"
    )
    thread = Thread.objects.filter(circle=owner.circle).order_by("created_at").first()
    assert thread is not None  # noqa: S101
    with use_classifier(None, "the bench's generated texts"):
        have = thread.replies.count()
        for n in range(have, REPLIES):
            reply_create(
                membership=owner,
                thread=thread,
                body=f"Thank you for sharing this; reply {n + 1} of the bench thread.",
                content_note="",
            )
        thread.refresh_from_db()
        today = today_for(alex)
        checkin = CheckIn.objects.filter(pair=pair, author=alex, day=today).first()
        if checkin is None:
            checkin = checkin_submit(
                pair=pair, author=alex, mood=4, feelings=[], needs=[], note="", visibility="shared"
            )
        if size == "large":
            _large(pair=pair, owner=owner, progress=progress)
    return {
        "pair": str(pair.pk),
        "circle": str(owner.circle_id),
        "thread": str(thread.pk),
        "checkin": str(checkin.pk),
    }


def _large(*, pair: Any, owner: Any, progress: Any) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from confide.accounts.models import User
    from confide.circles.models import Membership, Thread
    from confide.circles.services.membership import circle_create
    from confide.pairs.models import CheckIn
    from confide.pairs.services.pairing import pair_create

    password = make_password(None)  # unusable: nobody logs in as the generated people
    people = [
        User(email=f"bench-{n}@example.org", display_name=f"Person {n}", password=password)
        for n in range(2 * LARGE_PAIRS)
    ]
    with transaction.atomic():
        User.objects.bulk_create(people, batch_size=BATCH)
    people = list(User.objects.filter(email__startswith="bench-").order_by("pk"))
    pairs = [pair]
    for n in range(LARGE_PAIRS):
        pairs.append(pair_create(first=people[2 * n], second=people[2 * n + 1]))
    progress(f"  {len(pairs)} pairs")
    today = timezone.localdate()
    for count, each in enumerate(pairs, start=1):
        members = list(each.members.select_related("user"))
        taken = set(CheckIn.objects.filter(pair=each).values_list("author_id", "day"))
        rows = [
            CheckIn(
                pair=each,
                author=member.user,
                day=today - timedelta(days=back),
                mood=1 + (back + i) % 5,
                visibility="shared",
                space=each.space,
                feelings_text="calm",
                needs_text="rest",
                note=f"A generated note for day {back}.",
            )
            for back in range(1, DAYS + 1)
            for i, member in enumerate(members)
            if (member.user_id, today - timedelta(days=back)) not in taken
        ]
        with transaction.atomic():
            CheckIn.objects.bulk_create(rows, batch_size=BATCH)
        if count % 20 == 0:
            progress(f"  check-ins for {count}/{len(pairs)} pairs")
    circles = [owner.circle]
    for n in range(LARGE_CIRCLES - 1):
        circles.append(
            circle_create(
                owner=people[n],
                name=f"Bench circle {n}",
                purpose="A generated circle.",
                pseudonym=f"Host {n}",
                guidelines="Be kind.",
            )
        )
    per_circle = LARGE_POSTS // len(circles)
    for circle in circles:
        author = Membership.objects.filter(circle=circle).order_by("joined_at").first()
        threads = [
            Thread(
                circle=circle,
                space=circle.space,
                author=author,
                title=f"Generated thread {n}",
                body="A generated post, a few sentences long, as people write them.",
                status="published",
            )
            for n in range(per_circle)
        ]
        with transaction.atomic():
            Thread.objects.bulk_create(threads, batch_size=BATCH)
    progress(f"  {LARGE_POSTS} posts in {len(circles)} circles")


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in {"small", "large"}:
        sys.stderr.write("usage: python -m confide.bench.prepare small|large\n")
        sys.exit(2)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.settings")
    django.setup()
    ids = prepare(argv[0], progress=lambda line: sys.stderr.write(line + "\n"))
    sys.stdout.write(json.dumps(ids))


if __name__ == "__main__":
    main(sys.argv[1:])
