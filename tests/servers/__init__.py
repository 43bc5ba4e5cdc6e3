"""Real local servers for tests, each on 127.0.0.1 port 0 and scriptable to misbehave."""
