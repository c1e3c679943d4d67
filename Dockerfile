# KHS CRM: build the frontend once, then a slim runtime that runs as a non-root user.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY khs_crm ./khs_crm
RUN python -m venv /venv && /venv/bin/pip install .
RUN mkdir -p /tools && cd /tools && echo '{"private":true}' > package.json && npm install bun@1
ENV PATH=/tools/node_modules/.bin:/venv/bin:$PATH
COPY rxconfig.py alembic.ini ./
COPY alembic ./alembic
COPY assets ./assets
COPY reflex.lock ./reflex.lock
RUN reflex export --frontend-only --no-zip

FROM python:3.11-slim AS runtime
ENV PATH=/venv/bin:$PATH KHS_ENV=production KHS_DATA_DIR=/data REFLEX_TELEMETRY_ENABLED=false
RUN useradd --create-home --uid 10001 khs && mkdir -p /data && chown khs /data
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build /app /app
RUN chown -R khs /app/.web
USER khs
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/health').status == 200 else 1)"
CMD ["sh", "-c", "alembic upgrade head && exec reflex run --env prod --backend-only --backend-port 8000"]
