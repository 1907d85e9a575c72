"""Every user-facing string of the shipped instrument files, for the translation catalogue.

Instrument files are data, so `makemessages` cannot find their text; it finds it here. The
pages translate each string with `gettext` when they show it. `test_i18n` keeps this list
in step with the files.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

STRINGS = (
    # circle-belonging
    gettext_noop("Belonging in this circle"),
    gettext_noop("Think about this circle over the past month. You may skip a question."),
    gettext_noop("Not true for me"),
    gettext_noop("A little true"),
    gettext_noop("Partly true"),
    gettext_noop("Mostly true"),
    gettext_noop("Very true for me"),
    gettext_noop("I have a place of my own in this circle."),
    gettext_noop("People here would notice if I stopped coming."),
    gettext_noop("I can be fully myself here, differences and all."),
    gettext_noop("I often feel I am looking in on this circle from the outside."),
    gettext_noop("What I bring to this circle is welcome."),
    # closeness-picture
    gettext_noop("Closeness picture"),
    gettext_noop(
        "Each picture shows two circles: one is you, one is your partner. "
        "Pick the picture that matches how connected you feel right now."
    ),
    gettext_noop("Two circles apart, not touching"),
    gettext_noop("Two circles just touching"),
    gettext_noop("Two circles overlapping a little"),
    gettext_noop("Two circles overlapping by about a third"),
    gettext_noop("Two circles overlapping by about half"),
    gettext_noop("Two circles overlapping most of the way"),
    gettext_noop("Two circles almost one"),
    gettext_noop("Which picture is closest to how connected you feel with your partner?"),
    # felt-understood
    gettext_noop("Felt understood"),
    gettext_noop("After your partner answers you, say how understood you felt."),
    gettext_noop("Not understood"),
    gettext_noop("A little"),
    gettext_noop("Partly"),
    gettext_noop("Mostly"),
    gettext_noop("Completely"),
    gettext_noop("How understood did you feel by your partner's answer?"),
    # meeting-rating
    gettext_noop("How was this meeting for you?"),
    gettext_noop(
        "A few quick questions about the meeting that just ended. Your answers are private to you."
    ),
    gettext_noop("Not at all"),
    gettext_noop("Somewhat"),
    gettext_noop("I felt listened to and respected in this meeting."),
    gettext_noop("We spent our time on things that matter to me."),
    gettext_noop("The way we shared and took turns worked for me."),
    gettext_noop("All in all, this meeting was good for me."),
    # weekly-closeness
    gettext_noop("Weekly closeness check"),
    gettext_noop(
        "Think about the past seven days with your partner. "
        "There are no right answers, and you may skip a question."
    ),
    gettext_noop("My partner seemed to grasp what I was really going through."),
    gettext_noop("When I spoke, my partner gave me their full attention."),
    gettext_noop("I kept something tender to myself because I was bracing for how it would land."),
    gettext_noop("When I reached for my partner, even in small ways, they answered."),
    gettext_noop("We had unhurried time together, without screens or errands in the way."),
    gettext_noop("I felt valued by my partner for who I am and what I do."),
    gettext_noop("Feeling understood"),
    gettext_noop("Feeling safe and valued"),
)
