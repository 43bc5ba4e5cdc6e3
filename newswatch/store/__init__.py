"""Storage: the schema, the database session, URL identity and the repository functions every stage shares."""
