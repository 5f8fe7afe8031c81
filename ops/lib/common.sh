# shellcheck shell=bash
# Shared helpers for the ops/ scripts: logging, dry runs, .env loading, confirmations, compose.
# Sourced, never executed. Every script sets SCRIPT_NAME before sourcing this file.

: "${SCRIPT_NAME:=ops}"
DRY_RUN="${DRY_RUN:-false}"

# Timestamped log lines on stderr, so stdout stays for data (listings, JSON).
log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$SCRIPT_NAME" "$*" >&2; }
warn() { log "WARNING: $*"; }
die() {
  log "ERROR: $*"
  exit 1
}

# Runs a command, or only shows it in a dry run.
run() {
  if [ "$DRY_RUN" = true ]; then
    log "dry run: would run: $*"
    return 0
  fi
  "$@"
}

require_command() {
  local command
  for command in "$@"; do
    command -v "$command" >/dev/null 2>&1 || die "'$command' is required but not installed"
  done
}

# Exports KEY=VALUE lines of an env file for variables not already set (the environment wins).
# The file is parsed, never executed: quotes around a value are removed, nothing is expanded.
load_env_file() {
  local file="$1" line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[2]}"
    value="${BASH_REMATCH[3]}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
    if [ -z "${!key+set}" ]; then export "$key=$value"; fi
  done <"$file"
}

# Fails unless --yes was given; explains what would happen first.
require_yes() {
  local yes="$1" what="$2"
  [ "$yes" = true ] && return 0
  die "refusing to $what without --yes (read the line above, then run again with --yes)"
}

# A positive whole number from the environment, or the default.
env_int() {
  local name="$1" default="$2" value
  value="${!name:-$default}"
  [[ "$value" =~ ^[0-9]+$ ]] || die "$name must be a whole number (got '$value')"
  printf '%s' "$value"
}

# `docker compose` (v2 plugin) or the older `docker-compose`, run from the project directory.
# The compose files: COMPOSE_FILE (from the environment or .env, colon separated, relative to the
# project, e.g. docker-compose.yml:ops/compose/pitr.yml), else docker-compose.yml alone. Honoured by
# every script, so an overlay enabled once stays enabled at the next deploy.
compose() {
  local file files=() args=()
  IFS=: read -r -a files <<<"${COMPOSE_FILE:-docker-compose.yml}"
  for file in "${files[@]}"; do
    [ -n "$file" ] || continue
    case "$file" in /*) ;; *) file="$PROJECT_DIR/$file" ;; esac
    [ -f "$file" ] || die "COMPOSE_FILE names $file, which does not exist"
    args+=(-f "$file")
  done
  [ "${#args[@]}" -gt 0 ] || die "COMPOSE_FILE names no compose file"
  if docker compose version >/dev/null 2>&1; then
    docker compose "${args[@]}" --project-directory "$PROJECT_DIR" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose "${args[@]}" --project-directory "$PROJECT_DIR" "$@"
  else
    die "Docker Compose is not installed (run ops/bootstrap-vps)"
  fi
}

# A PostgreSQL identifier we create or drop: lower case, digits, underscores, at most 63 characters.
valid_database_name() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]
}
