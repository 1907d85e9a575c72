"""Hostile form posts against every route: no server error, and nothing changed on refusal.

Every route of the authorisation matrix (tests/test_authz_matrix.py) gets posts built by
hypothesis, as the persona the matrix lets in (or the anonymous visitor): the form's own field
names (read from the page) and common ones, filled with hostile values — huge, every kind of
Unicode, control characters, bytes that are not UTF-8 (a lone surrogate's encoding), wrong
types (a list where one value is expected, a number where text is), and ids of things the
person may not see. The answer must be below 500, and a refusal (any 4xx, or the form shown
again with its errors) must leave every table's row count as it was.

The examples are derandomised and few per route (FUZZ_EXAMPLES), so the run is the same in CI
every time and takes well under a minute.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote_from_bytes

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.personas import client_for
from tests.test_authz_matrix import ANYONE, MATRIX, SIGNED_IN, World, world  # noqa: F401

FUZZ_EXAMPLES = 4
MAX_BODY = 200_000  # under DATA_UPLOAD_MAX_MEMORY_SIZE: the form itself has to refuse it

# Rows that any request may write without changing anything a person wrote: the session and
# its record, the one-time form keys, the access log of who looked.
VOLATILE_TABLES = frozenset(
    {
        "django_session",
        "accounts_sessionrecord",
        "core_idempotencykey",
    }
)

COMMON_FIELDS = (
    "title",
    "body",
    "text",
    "note",
    "notes",
    "mood",
    "visibility",
    "feelings",
    "needs",
    "kind",
    "content_note",
    "answer",
    "reason",
    "what",
    "day",
    "date",
    "start_date",
    "start_time",
    "time_zone",
    "rrule",
    "repeat",
    "member",
    "pair_id",
    "circle_id",
    "id",
    "next",
    "email",
    "password",
    "code",
    "version",
    "score",
    "rating",
)

FOREIGN_IDS = (
    str(uuid.UUID(int=0)),
    "7c0f8a7e-0000-4000-8000-000000000000",
    "0",
    "-1",
    "99999999999999999999999",
    "../../admin",
    "1 OR 1=1",
)

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20
    ),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202egnp.exe",
            "\x1b[31mred",
            "\r\n\r\n",
            "<script>alert(1)</script>",
            "{{ request }}",
            "%s%s%n",
            "NaN",
            "1e309",
            "-0",
            "2026-02-30",
            "9999-12-31",
            "0000-00-00",
            "25:61",
            "Mars/Olympus",
            "FREQ=DAILY;BYHOUR=" + ",".join(str(n) for n in range(24)),
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
            "\U0001f600" * 50,
            "https://example.com/",
            "//evil.example",
            *FOREIGN_IDS,
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from([1_000, 10_000, 100_000]).map(lambda n: "x" * n),
)
# Raw bytes for a value: valid UTF-8 mostly, sometimes a lone surrogate's encoding or junk.
HOSTILE_BYTES = st.one_of(
    HOSTILE_TEXT.map(lambda text: text.encode("utf-8")),
    st.sampled_from([b"\xed\xa0\x80", b"broken \xed\xb0\x80 here", b"\xff\xfe", b"\xc3"]),
)


def _form_fields(client: Client, url: str) -> list[str]:
    """The input names on the route's page (when it has one), and the common ones."""
    names: list[str] = []
    try:
        response = client.get(url)
    except Exception:  # noqa: BLE001 - a GET that fails is the matrix test's business
        response = None
    if response is not None and response.status_code == 200 and "html" in response["Content-Type"]:
        names = re.findall(r'name="([^"]{1,64})"', response.content.decode(errors="replace"))
    ignored = {"csrfmiddlewaretoken", "idempotency_key"}
    return sorted({*names, *COMMON_FIELDS} - ignored)


def _body(fields: dict[str, list[bytes]]) -> bytes:
    parts = []
    for name, values in fields.items():
        for value in values:
            parts.append(
                f"{quote_from_bytes(name.encode())}=".encode() + quote_from_bytes(value).encode()
            )
    return b"&".join(parts)[:MAX_BODY]


def _row_counts() -> dict[str, int]:
    tables = sorted(set(connection.introspection.table_names()) - VOLATILE_TABLES)
    query = " UNION ALL ".join(
        f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}"  # noqa: S608 - table names
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


def _persona(who: str | frozenset[str]) -> str | None:
    if isinstance(who, frozenset):
        return "alex" if "alex" in who else sorted(who)[0]
    if who in (ANYONE, SIGNED_IN):
        return "alex"
    if who == "anonymous":
        return None
    return who


def _refused(status: int) -> bool:
    return 400 <= status < 500 or status == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_hostile_posts_never_break_a_route_and_a_refusal_changes_nothing(
    name: str,
    world: World,  # noqa: F811 - the matrix's fixture
) -> None:
    kwargs, who, *_ = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs(world)
    url = reverse(name, kwargs=kwargs)
    persona = _persona(who)
    client = client_for(world.personas[persona] if persona else None)
    names = _form_fields(client, url)
    if client.post(url, b"", content_type="application/x-www-form-urlencoded").status_code == 405:
        pytest.skip("no POST on this route")

    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        database=None,
        # No shrinking: the failing example is reported as found, and a failure stays quick.
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.dictionaries(
            st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=8)),
            st.lists(HOSTILE_BYTES, min_size=1, max_size=3),
            max_size=len(names),
        )
    )
    # A bare word as the place to go back to: redirect() took it for a view name (a 500).
    @example({"next": [b"0"]})
    def post(fields: dict[str, list[bytes]]) -> None:
        before = _row_counts()
        response = client.post(url, _body(fields), content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (name, fields)
        if _refused(response.status_code):
            after = _row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after.get(t)}
            assert not changed, (name, response.status_code, changed, fields)

    post()
