# syntax=docker/dockerfile:1
# KHS CRM images, three stages:
#   build    Python + bun: installs the app, exports the frontend once
#   runtime  slim app image (default target): non-root, migrates, runs the Reflex backend
#   web      nginx (unprivileged) with the frontend build and its security headers
# docker build -t khs-crm .                 (runtime)
# docker build -t khs-crm-web --target web .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_USE_SYSTEM_BUN=1 \
    REFLEX_TELEMETRY_ENABLED=false
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm unzip \
    && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /tools && cd /tools && echo '{"private": true}' > package.json \
    && npm install --no-audit --no-fund bun@1
WORKDIR /app
# Dependencies first (a layer that survives code changes), then the app itself.
COPY pyproject.toml ./
RUN mkdir khs_crm && touch khs_crm/__init__.py \
    && python -m venv /venv && /venv/bin/pip install . \
    && /venv/bin/pip uninstall -y khs-crm && rm -rf khs_crm build
COPY khs_crm ./khs_crm
# Editable: the code stays in /app, where `khs-crm migrate` finds alembic.ini beside it.
RUN /venv/bin/pip install --no-deps -e . && rm -rf build
ENV PATH=/tools/node_modules/.bin:/venv/bin:$PATH
COPY rxconfig.py alembic.ini ./
COPY alembic ./alembic
COPY assets ./assets
COPY reflex.lock ./reflex.lock
COPY deploy ./deploy
# The pages find the backend on their own origin (wss://<host>/_event behind nginx).
RUN reflex export --frontend-only --no-zip \
    && python deploy/nginx_headers.py .web/build/client /out/security_headers.conf

FROM ${PYTHON_IMAGE} AS runtime
# REFLEX_FRONTEND_PORT=0: rxconfig names a frontend port, which `--backend-only` refuses.
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    KHS_ENV=production \
    KHS_DATA_DIR=/data \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_FRONTEND_PORT=0 \
    REFLEX_LOG_JSON=true
RUN useradd --create-home --uid 10001 --user-group khs \
    && mkdir -p /data /app/.web /app/.states \
    && chown khs:khs /data /app/.web /app/.states
WORKDIR /app
# Code and migrations belong to root (read-only for the app); only .web, .states and /data
# (Reflex's work folders, local uploads) are the app user's.
COPY --from=build /venv /venv
COPY --from=build /app/rxconfig.py /app/alembic.ini /app/pyproject.toml ./
COPY --from=build /app/alembic ./alembic
COPY --from=build /app/khs_crm ./khs_crm
USER khs
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4).status != 200)"]
CMD ["sh", "-c", "alembic upgrade head && exec reflex run --env prod --backend-only --backend-port 8000"]

FROM ${NGINX_IMAGE} AS web
COPY --from=build /app/.web/build/client /srv/khs/web
COPY --from=build /out/security_headers.conf /etc/nginx/khs/security_headers.conf
COPY deploy/proxy.conf /etc/nginx/khs/proxy.conf
COPY deploy/nginx.conf /etc/nginx/nginx.conf
USER nginx
EXPOSE 8080 8443
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health"]
