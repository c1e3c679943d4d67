"""Finding things: pg_trgm's similarity rule on both databases (trigram, rule), the
office's one search box over customers, jobs and people (everything), capped totals (totals)."""
