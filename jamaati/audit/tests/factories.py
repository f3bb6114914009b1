import factory
from factory.django import DjangoModelFactory

from jamaati.audit.models import AuditEvent


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = AuditEvent.Action.UPDATE
    target_type = "organisations.organisation"
    target_id = factory.Sequence(str)
    target_repr = factory.Sequence(lambda n: f"Object {n}")
