"""The calendar feed's secret: an HMAC of the feed's salt under SECRET_KEY (never stored), and the
SHA-256 of it that is stored for the lookup."""

import hashlib

from django.utils.crypto import constant_time_compare, salted_hmac

TOKEN_SALT = "vendors.calendar_feed"


def feed_token(feed) -> str:
    """The feed's secret (64 hex characters), recomputed from its salt and the server's SECRET_KEY."""
    return salted_hmac(TOKEN_SALT, feed.salt, algorithm="sha256").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(feed, token: str) -> bool:
    return constant_time_compare(feed_token(feed), token)
