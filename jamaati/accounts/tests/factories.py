import factory
import pyotp
from django.utils import timezone
from factory.django import DjangoModelFactory

from jamaati.accounts.models import StaffTOTPDevice
from jamaati.organisations.tests.factories import StaffUserFactory, UserFactory

__all__ = ["PhoneCitizenFactory", "StaffTOTPDeviceFactory", "StaffUserFactory", "UserFactory"]


class PhoneCitizenFactory(UserFactory):
    email = None
    phone = factory.Sequence(lambda n: f"+2126{n:08d}")
    username = factory.LazyAttribute(lambda o: o.phone)
    password = factory.django.Password(None)


class StaffTOTPDeviceFactory(DjangoModelFactory):
    class Meta:
        model = StaffTOTPDevice

    user = factory.SubFactory(StaffUserFactory)
    secret = factory.LazyFunction(lambda: pyotp.random_base32(32))
    confirmed_at = factory.LazyFunction(timezone.now)
