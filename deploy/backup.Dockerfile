# syntax=docker/dockerfile:1
# The scheduled backup's image (deploy/compose.backup.yaml): the app image plus PostgreSQL's
# client tools, which `khs-crm backup` runs (pg_dump, pg_restore, psql). They must be the
# server's major version or newer (compose.yaml runs postgres:16), and Debian bookworm only
# ships 15, so they come from the PostgreSQL project's own apt repository (PGDG).
#   docker build -t khs-crm .  &&  docker build -t khs-crm-backup -f deploy/backup.Dockerfile .
ARG APP_IMAGE=khs-crm:latest
FROM ${APP_IMAGE}
ARG PG_MAJOR=16
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
    && rm -rf /var/lib/apt/lists/*
# The archives' folder belongs to the app user, so a fresh named volume mounted on it does too.
RUN mkdir -p /backups && chown khs:khs /backups
ENV KHS_PG_BIN_DIR=/usr/lib/postgresql/${PG_MAJOR}/bin \
    KHS_BACKUP_DIR=/backups
USER khs
CMD ["khs-crm", "backup"]
