"""Who signs in: users, passwords, sessions, tokens."""
