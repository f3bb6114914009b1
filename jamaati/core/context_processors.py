from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi


def platform(request: HttpRequest) -> dict:
    """Expose what every page needs: text direction and demo mode."""
    return {
        "LANGUAGE_DIR": "rtl" if get_language_bidi() else "ltr",
        "CURRENT_LANGUAGE": get_language(),
        "DEMO_MODE": settings.DEMO_MODE,
    }
