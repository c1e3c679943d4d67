"""Operations: how the installation itself is doing (backups, background work)."""
