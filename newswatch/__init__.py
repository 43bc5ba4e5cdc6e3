"""newswatch: Choose France investment watch — shared core (config, models, database, CLI)."""
