"""What an API key may do. A key carries a list of these; an endpoint names the ones it needs."""

from django.utils.translation import gettext_lazy as _

READ = "read"
WRITE = "write"
OPEN311 = "open311"

SCOPES = {
    READ: _("Read what the key's owner may see"),
    WRITE: _("Change data as the key's owner"),
    OPEN311: _("Submit and follow service requests through Open311"),
}
SCOPE_CHOICES = list(SCOPES.items())
