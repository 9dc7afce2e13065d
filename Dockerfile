# syntax=docker/dockerfile:1
# talentd container image: build on Debian 12, run on Debian 12 slim with only
# the shared libraries talentd links against.
#
#   docker build -t talentd .
#   docker run --rm -e DATABASE_URL=... talentd migrate
#   docker run -d -p 127.0.0.1:8080:8080 --env-file talentd.env talentd     (serve)
#
# Configuration is the environment of contract §3; secrets are best given as
# NAME_FILE=/run/secrets/... (see deploy/compose.yaml).  Database migrations
# are compiled into the binary (tools/embed_schema.sh), so `talentd migrate`
# needs no files at run time; schema/*.sql is copied to
# /usr/share/talentd/schema (= ./schema of the working directory) only so
# that operators can read what a migration does.

############################ build ############################
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential pkg-config \
      libmicrohttpd-dev libcurl4-openssl-dev libcjson-dev libpq-dev libsodium-dev libpoppler-glib-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Only the daemon: `make build` would also link the cmocka tests, benches and
# the Airtable emulator, which the image does not ship (and cmocka is not
# installed here).  Tests run in CI with `make test`.
RUN make -j"$(nproc)" build/talentd \
 && strip build/talentd \
 && build/talentd version

############################ runtime ############################
FROM debian:12-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libmicrohttpd12 libcurl4 libcjson1 libpq5 libsodium23 libpoppler-glib8 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 talentd \
 && useradd --system --uid 10001 --gid talentd --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin talentd

COPY --from=build /src/build/talentd /usr/local/bin/talentd
COPY --from=build /src/schema/ /usr/share/talentd/schema/

# Fail the build if a runtime library is missing (ldd prints "not found").
# HEALTHCHECK below probes port 8080: keep TALENTD_LISTEN's port at 8080 in
# the container and map ports with `-p` instead.
RUN ! ldd /usr/local/bin/talentd | grep -q 'not found' && talentd version

ENV TALENTD_LISTEN=0.0.0.0:8080
WORKDIR /usr/share/talentd
USER talentd:talentd
EXPOSE 8080
# SIGTERM starts talentd's graceful drain (TALENTD_SHUTDOWN_GRACE, 20 s by
# default): give `docker stop` more than that, e.g. `docker stop -t 45`
# (compose.yaml sets stop_grace_period).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["talentd"]
CMD ["serve"]
