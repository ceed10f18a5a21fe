"""Django's own Chinese says 你 where the portal says 您. Marking these msgids here keeps them in
the project catalogue (locale/), which Django consults before its own, so the password page and
the password validators address the user as 您 like the rest of the portal."""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES_SAID_WITH_NIN = [
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
]
