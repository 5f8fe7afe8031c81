# shellcheck shell=bash
# Helpers for the scripts that drive Docker Compose on the VPS (deploy, rollback, update, health-check,
# migrate-vps). Requires ops/lib/common.sh and PROJECT_DIR.

# Image names and the release state directory; set again once .env is loaded (it may change them).
set_release_names() {
  STATE_DIR="${DEPLOY_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/assembly}"
  APP_IMAGE="${APP_IMAGE:-assembly-app}"
  BACKUP_IMAGE="${BACKUP_IMAGE:-assembly-backup}"
}
set_release_names

# Loads .env and refuses to go on with placeholders or missing secrets.
load_project_env() {
  local file="$PROJECT_DIR/.env" name
  [ -f "$file" ] || die "$file is missing: cp ops/production.env.example .env, then fill it in"
  if grep -qE '^[A-Z0-9_]+=change-me\s*$' "$file"; then
    die "$file still has change-me values: $(grep -E '^[A-Z0-9_]+=change-me' "$file" | cut -d= -f1 | tr '\n' ' ')"
  fi
  load_env_file "$file"
  set_release_names
  for name in DOMAIN POSTGRES_PASSWORD REDIS_PASSWORD; do
    [ -n "${!name:-}" ] || die "$name is not set in $file"
  done
  case ",${COMPOSE_PROFILES:-}," in
    *,metrics,*) [ -n "${GRAFANA_ADMIN_PASSWORD:-}" ] || die "the metrics profile needs GRAFANA_ADMIN_PASSWORD in .env" ;;
  esac
  case ",${COMPOSE_PROFILES:-}," in
    *,s3,*) die "the s3 profile (MinIO) was removed: use an S3-compatible provider for offsite backups (ops/README.md)" ;;
  esac
}

# Container id of a running service, empty when it is not running.
service_container() { compose ps -q "$1" 2>/dev/null | head -n1; }

# healthy | unhealthy | starting | running (no health check) | exited | missing
service_state() {
  local id state health
  id="$(service_container "$1")"
  [ -n "$id" ] || { echo missing; return; }
  state="$(docker inspect -f '{{.State.Status}}' "$id" 2>/dev/null || echo missing)"
  [ "$state" = running ] || { echo "$state"; return; }
  health="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || true)"
  echo "${health:-running}"
}

# The long-running services of the active profiles (one-shots are those with restart "no").
expected_services() {
  compose config --services 2>/dev/null | while read -r service; do
    case "$service" in migrate | nginx-setup) continue ;; esac
    echo "$service"
  done
}

# Waits until every expected service is healthy; returns 1 after `timeout` seconds.
wait_healthy() {
  local timeout="$1" deadline pending service state
  deadline=$(($(date +%s) + timeout))
  while :; do
    pending=""
    for service in $(expected_services); do
      state="$(service_state "$service")"
      case "$state" in healthy | running) ;; *) pending="$pending $service($state)" ;; esac
    done
    [ -z "$pending" ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "not healthy after ${timeout}s:$pending"
      return 1
    fi
    sleep 5
  done
}

current_release() { cat "$STATE_DIR/current" 2>/dev/null || true; }
previous_release() { cat "$STATE_DIR/previous" 2>/dev/null || true; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Points :current of both images at a release and (re)creates the containers that changed.
activate_release() {
  local tag="$1"
  run docker tag "$APP_IMAGE:$tag" "$APP_IMAGE:current"
  if image_exists "$BACKUP_IMAGE:$tag"; then run docker tag "$BACKUP_IMAGE:$tag" "$BACKUP_IMAGE:current"; fi
}

record_release() {
  local tag="$1" was
  [ "$DRY_RUN" = true ] && return 0
  mkdir -p "$STATE_DIR"
  was="$(current_release)"
  if [ -n "$was" ] && [ "$was" != "$tag" ]; then printf '%s\n' "$was" >"$STATE_DIR/previous"; fi
  printf '%s\n' "$tag" >"$STATE_DIR/current"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$tag" >>"$STATE_DIR/history"
}

# Only one deploy/rollback/update at a time.
take_lock() {
  [ "$DRY_RUN" = true ] && return 0
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/lock"
  flock -n 9 || die "another deploy, rollback or update is running (lock: $STATE_DIR/lock)"
}
