# syntax=docker/dockerfile:1
# One image for every Bun process (functions, realtime, bots, migrations, nginx config rendering); the
# compose file picks the command. A second target, `backup`, holds pg_dump + cron for the backup service.
#   docker build --target release -t assembly-app:<tag> .
#   docker build --target backup  -t assembly-backup:<tag> .
# Secrets never enter the image: everything comes from the environment (.env) at run time.

ARG BUN_VERSION=1.4
ARG PG_MAJOR=16

# --- production dependencies only, resolved from the committed lockfile
FROM oven/bun:${BUN_VERSION}-slim AS deps
WORKDIR /app
# patches/ with the lockfile: bun.lock names patch files (patchedDependencies) and install reads them.
COPY package.json bun.lock ./
COPY patches/ patches/
RUN bun install --frozen-lockfile --production --ignore-scripts

# --- the web client (web/dist); an empty directory until the client has a build script
FROM oven/bun:${BUN_VERSION}-slim AS web
WORKDIR /app
COPY package.json bun.lock ./
COPY patches/ patches/
RUN bun install --frozen-lockfile --ignore-scripts
COPY . .
RUN if [ -f web/build.ts ]; then bun web/build.ts; fi && mkdir -p web/dist

# --- Bun built for musl, for the Alpine backup image below
FROM oven/bun:${BUN_VERSION}-alpine AS bun-alpine

# --- backups: pg_dump/pg_restore of the server's major version, zstd, cron (busybox crond), aws cli,
# and Bun with the code of `bun db/verify.ts`, which ops/verify-backup runs on the restored copy
FROM postgres:${PG_MAJOR}-alpine AS backup
ARG WITH_AWS_CLI=true
RUN apk add --no-cache bash coreutils findutils tar zstd tzdata libstdc++ libgcc \
  && if [ "$WITH_AWS_CLI" = "true" ]; then apk add --no-cache aws-cli; fi
COPY --from=bun-alpine /usr/local/bin/bun /usr/local/bin/bun
WORKDIR /opt/assembly
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY core/ core/
COPY db/ db/
COPY ops/lib/ ops/lib/
COPY ops/backup ops/restore ops/verify-backup ops/
COPY ops/cron/ ops/cron/
ENV BACKUP_DIR=/backups DATA_DIR=/data
HEALTHCHECK --interval=60s --timeout=5s --start-period=30s --retries=3 CMD ["/opt/assembly/ops/cron/healthcheck"]
ENTRYPOINT ["/opt/assembly/ops/cron/entrypoint"]

# --- the application image (default target)
FROM oven/bun:${BUN_VERSION}-slim AS release
WORKDIR /app
ENV APP_ENV=production \
    NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    HEALTH_PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY . .
COPY --from=web /app/web/dist ./web/dist
# Code stays root-owned (read-only for the app). /app/data belongs to the `bun` user, so the named volume
# mounted there inherits that ownership on first use; /srv/nginx stays root's (nginx-setup runs as root).
RUN mkdir -p /app/data/documents /srv/nginx/conf /srv/nginx/web \
  && chown -R bun:bun /app/data
USER bun
EXPOSE 3000 3001 3002
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["bun", "ops/docker/healthcheck.ts"]
CMD ["bun", "functions/_server.ts"]
