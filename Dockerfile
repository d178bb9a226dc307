# Production image: gunicorn for web; the same image runs the Celery worker and beat.
# Front-end assets from npm, Python packages from uv.lock, static files collected at build time.

FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH
# WeasyPrint needs Pango; gettext compiles the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext curl \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /build/node_modules ./node_modules
RUN DEBUG=false SECRET_KEY=build-only-not-secret PORTAL_ENV_FILE=/nonexistent \
    python manage.py compilemessages --ignore=node_modules -v 0 \
 && DEBUG=false SECRET_KEY=build-only-not-secret PORTAL_ENV_FILE=/nonexistent \
    python manage.py collectstatic --noinput -v 0 \
 && useradd --system --uid 10001 --home /app portal \
 && mkdir -p /data/media && chown portal /data/media
USER portal
ENV MEDIA_ROOT=/data/media PORTAL_ENV_FILE=/nonexistent
EXPOSE 8000
CMD ["gunicorn", "consortium.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
