"""Log a staff member in as after both factors (password and authenticator code)."""

from jamaati.accounts.decorators import SECOND_FACTOR_TOTP, SESSION_SECOND_FACTOR


def log_in_verified(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_SECOND_FACTOR] = SECOND_FACTOR_TOTP
    session.save()
    return client
