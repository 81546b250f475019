"""What the commands share: the Redis connection of the app they run in."""
import redis as redis_lib
from flask import current_app


def app_redis(settings):
    """The app's own raw Redis client when the factory made one; else one from REDIS_URL."""
    queue = current_app.extensions.get("pearlbridge_queue")
    if queue:
        return queue[0]
    return redis_lib.Redis.from_url(settings["REDIS_URL"])
