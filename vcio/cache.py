"""The Redis cache backend (`CACHES` when `REDIS_URL` is set): Django's own, keeping one client.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` on every cache call — and each
builds its table of about 170 response callbacks — though a client is only a thread-safe handle on
its connection pool. That was about half a millisecond of every API request (the rate limit reads
and writes its counter: two calls). This backend keeps one client per connection pool; the pools,
the connections and every cache operation stay Django's.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    # --- counting in a window (the API's rate limits: accounts.api_throttles) -----------------------

    def count_in_window(self, key: str, seconds: int) -> tuple[int, float]:
        """Count one more event under `key` in a window of `seconds` that starts with the window's
        first event: (the count, this one included; the seconds the window has left). One round trip
        (a transaction: create the counter with its expiry if it is not there, increment, read the
        expiry), whatever the count."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=seconds, nx=True)
            pipe.incr(key)
            pipe.pttl(key)
            _, count, left_ms = pipe.execute()
        if left_ms < 0:  # a counter without an expiry (made by hand, say) would never end its window
            client.expire(key, seconds)
            left_ms = seconds * 1000
        return count, left_ms / 1000

    def get_and_count(self, key: str, counter: str, seconds: int):
        """`get(key)` and `count_in_window(counter, seconds)` in one round trip: (the value or None,
        the count, the seconds its window has left) — an API request reads its key's cache entry and
        counts itself against the key's rate limit at once."""
        key, counter = self.make_and_validate_key(key), self.make_and_validate_key(counter)
        client = self._cache.get_client(counter, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.get(key)
            pipe.set(counter, 0, ex=seconds, nx=True)
            pipe.incr(counter)
            pipe.pttl(counter)
            raw, _, count, left_ms = pipe.execute()
        if left_ms < 0:
            client.expire(counter, seconds)
            left_ms = seconds * 1000
        return (None if raw is None else self._cache._serializer.loads(raw)), count, left_ms / 1000
