# Essor's production image: web (gunicorn), worker and beat (celery) all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    ESSOR_VAR_DIR=/var/lib/essor \
    MEDIA_ROOT=/var/lib/essor/media \
    PRIVATE_MEDIA_ROOT=/var/lib/essor/private \
    STATIC_ROOT=/app/staticfiles \
    ESSOR_PLAIN_STATIC=false

RUN groupadd --system essor \
    && useradd --system --gid essor --home-dir /app --shell /usr/sbin/nologin essor

WORKDIR /app

# Dependencies first, so that a change of code reuses this layer.
COPY requirements/base.lock requirements/base.lock
RUN pip install --requirement requirements/base.lock

COPY . .

# Static files are collected (hashed and compressed by whitenoise) into the image itself.
RUN python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/essor/media /var/lib/essor/private /var/lib/essor/beat \
    && chown -R essor:essor /var/lib/essor

USER essor
EXPOSE 8000
VOLUME ["/var/lib/essor/media", "/var/lib/essor/private"]

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]

CMD ["gunicorn", "essor.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
