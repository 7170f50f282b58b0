"""Pages of accounts: logging in and passwords (`auth`), one's own profile and tokens
(`profile`), and the office of an ente's Amministratore (`users`, `enti`)."""
