#!/usr/bin/env bash
# Replays the Dockerfile's build stages on the host, without a Docker engine, and then runs the
# built CLI the way the image's ENTRYPOINT does, as the image's non-root user.
#
# The build context is the repo's tracked and untracked-but-not-ignored files (git ls-files)
# minus the .dockerignore patterns. Each stage gets a directory of its own, used as the image's
# root filesystem. FROM, WORKDIR, ENV, COPY, RUN, USER, ENTRYPOINT and CMD are replayed;
# ARG, LABEL, EXPOSE and HEALTHCHECK change no file and are skipped. A RUN line must be one of
# KNOWN_RUN_COMMANDS, because it runs on this host.
#
# Then it checks the runtime stage: no dev-only packages, --help, check-config on a valid and an
# invalid config, and, when Redis responds at $REDIS_URL (default redis://127.0.0.1:6379), a run
# of `flexwatch run` that must pass /healthz, /readyz and /metrics and exit 0 on SIGTERM. That
# run uses a key prefix of its own and deletes its keys afterwards.
#
# What it cannot check: the base image itself. The host's Node.js runs every step, so a
# difference that only the image's Node.js version shows is not caught here.
#
# Usage: scripts/check-image.sh     KEEP_WORK_DIR=1 keeps the stage directories for a look.
set -euo pipefail

# Commands a Dockerfile RUN line may contain. npm uses a cache inside the work directory, so
# `npm cache clean` never touches the host's cache.
readonly KNOWN_RUN_COMMANDS=(
  "npm ci"
  "npm run build"
  "npm ci --omit=dev && npm cache clean --force"
)
# The official Node.js images create the user "node" with uid and gid 1000.
readonly NODE_IMAGE_USER_ID=1000
# The Helm chart's default terminationGracePeriodSeconds: how long `run` may take to drain.
readonly TERMINATION_GRACE_PERIOD_SECONDS=60

# Placeholder credentials for check-config. The endpoints are a closed loopback port, so a
# request that the CLI should not make fails at once instead of leaving the machine.
readonly PLACEHOLDER_CLIENT_SECRET="check-image-placeholder-client-secret"
readonly PLACEHOLDER_SLACK_TOKEN="xoxb-check-image-placeholder-token"
readonly CHECK_ENV=(
  "MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_check_image_placeholder"
  "MONGODB_ATLAS_CLIENT_SECRET=$PLACEHOLDER_CLIENT_SECRET"
  "MONGODB_ATLAS_BASE_URL=http://127.0.0.1:9"
  "SLACK_BOT_TOKEN=$PLACEHOLDER_SLACK_TOKEN"
  "SLACK_API_URL=http://127.0.0.1:9/"
  "REDIS_URL=redis://127.0.0.1:6379/0"
)

# Variables that replace CHECK_ENV entries for one run (env keeps the last of duplicates).
CHECK_ENV_OVERRIDES=()

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/flexwatch-image.XXXXXX")
context_dir=$work_dir/context
run_pid_file=$work_dir/run.pid
as_image_user=()

# Replay state: per stage name its root directory and the settings a later FROM inherits, plus
# the current stage's settings.
declare -A stage_roots=() stage_workdirs=() stage_users=() stage_envs=()
stage_name=""
stage_root=""
stage_workdir="/"
stage_user="root"
stage_env=()
entrypoint_json=""
cmd_json=""
base_image=""

cleanup() {
  # A failure between start and SIGTERM of the smoke run leaves flexwatch running.
  if [[ -s $run_pid_file ]]; then
    kill -TERM "$(<"$run_pid_file")" 2>/dev/null || true
  fi
  if [[ ${KEEP_WORK_DIR:-0} == 1 ]]; then
    echo "check-image: work directory kept at $work_dir"
  else
    rm -rf "$work_dir"
  fi
}
trap cleanup EXIT

fail() {
  echo "check-image: $*" >&2
  exit 1
}

step() {
  echo "==> $*"
}

# Copies the build context into $context_dir and deletes what .dockerignore excludes.
make_context() {
  mkdir -p "$context_dir"
  (
    cd "$repo_root"
    git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' path; do
        # Tracked files deleted in the work tree are listed too.
        [[ -e $path ]] && printf '%s\0' "$path"
      done |
      tar --null --files-from=- -cf - | tar -xf - -C "$context_dir"
  )

  [[ -f $repo_root/.dockerignore ]] || return 0
  local pattern match
  shopt -s globstar nullglob dotglob
  while IFS= read -r pattern || [[ -n $pattern ]]; do
    pattern=${pattern%%#*}
    pattern=${pattern//[[:space:]]/}
    [[ -z $pattern ]] && continue
    [[ $pattern == !* ]] && fail ".dockerignore exception '$pattern' is not supported by this script"
    pattern=${pattern#/}
    pattern=${pattern%/}
    # Globbing is the point here, so the pattern stays unquoted.
    # shellcheck disable=SC2206
    local matches=("$context_dir"/$pattern)
    for match in "${matches[@]}"; do
      rm -rf "$match"
    done
  done <"$repo_root/.dockerignore"
  shopt -u globstar nullglob dotglob
}

# Prints the host path of an image path of the current stage, relative paths from WORKDIR.
stage_path() {
  local path=$1
  if [[ $path == /* ]]; then
    echo "$stage_root$path"
  else
    echo "$stage_root$stage_workdir/$path"
  fi
}

# FROM [--platform=...] image [AS name]
replay_from() {
  local words=("$@")
  [[ ${words[0]} == --* ]] && words=("${words[@]:1}")
  local image=${words[0]} name=${words[2]:-stage${#stage_roots[@]}}

  save_stage_settings
  local new_root=$work_dir/stages/$name
  mkdir -p "$new_root"
  if [[ -n ${stage_roots[$image]:-} ]]; then
    cp -a "${stage_roots[$image]}/." "$new_root/"
    stage_workdir=${stage_workdirs[$image]}
    stage_user=${stage_users[$image]}
    mapfile -t stage_env <<<"${stage_envs[$image]}"
    [[ -n ${stage_env[0]} ]] || stage_env=()
  else
    base_image=$image
    stage_workdir="/"
    stage_user="root"
    stage_env=()
  fi
  stage_roots[$name]=$new_root
  stage_root=$new_root
  stage_name=$name
  step "stage $name (FROM $image)"
}

save_stage_settings() {
  [[ -n $stage_name ]] || return 0
  stage_workdirs[$stage_name]=$stage_workdir
  stage_users[$stage_name]=$stage_user
  stage_envs[$stage_name]=$(printf '%s\n' "${stage_env[@]}")
}

# ENV KEY=VALUE ... or ENV KEY VALUE (values without spaces or quotes)
replay_env() {
  if [[ $1 == *=* ]]; then
    stage_env+=("$@")
  else
    local key=$1
    shift
    stage_env+=("$key=$*")
  fi
}

# COPY [--from=stage] [--chown=...] source... destination
replay_copy() {
  local words=("$@") from="" word
  [[ ${words[0]} == \[* ]] && fail "COPY in JSON form is not supported by this script: COPY $*"
  while [[ ${words[0]} == --* ]]; do
    word=${words[0]}
    [[ $word == --from=* ]] && from=${word#--from=}
    words=("${words[@]:1}")
  done

  local source_base=$context_dir
  if [[ -n $from ]]; then
    source_base=${stage_roots[$from]:-}
    [[ -n $source_base ]] || fail "COPY --from=$from names no earlier stage"
  fi
  local destination
  destination=$(stage_path "${words[-1]}")
  local sources=("${words[@]:0:${#words[@]}-1}")
  [[ ${#sources[@]} -gt 1 ]] && destination="${destination%/}/"

  local source path
  shopt -s nullglob
  for source in "${sources[@]}"; do
    # shellcheck disable=SC2206
    local matches=("$source_base"/${source#/})
    # A source without wildcards is kept as written even when it does not exist.
    [[ ${#matches[@]} -gt 0 && -e ${matches[0]} ]] ||
      fail "COPY source '$source' is missing from ${from:-the build context}: is it in git and not in .dockerignore?"
    for path in "${matches[@]}"; do
      copy_into "$path" "$destination"
    done
  done
  shopt -u nullglob
}

# Copies like Docker's COPY: a directory's contents into the destination, a file into a
# destination ending in "/" or onto the destination path.
copy_into() {
  local source=$1 destination=$2
  if [[ -d $source ]]; then
    mkdir -p "$destination"
    cp -a "$source/." "$destination/"
  elif [[ $destination == */ || $destination == */. ]]; then
    mkdir -p "$destination"
    cp -a "$source" "$destination"
  else
    mkdir -p "$(dirname "$destination")"
    cp -a "$source" "$destination"
  fi
}

replay_run() {
  local command=$1 known
  for known in "${KNOWN_RUN_COMMANDS[@]}"; do
    if [[ $command == "$known" ]]; then
      [[ $stage_user == root || $stage_user == 0 ]] ||
        fail "RUN as USER $stage_user is not supported by this script: RUN $command"
      echo "RUN $command"
      (cd "$(stage_path .)" &&
        env "${stage_env[@]}" npm_config_cache="$work_dir/npm-cache" bash -c "$command") ||
        fail "RUN $command failed in $(stage_path .)"
      return
    fi
  done
  fail "RUN '$command' is not one of the commands this script may run on the host. Add it to KNOWN_RUN_COMMANDS if it is safe to run there"
}

replay_instruction() {
  local instruction=$1 arguments=$2 words
  read -r -a words <<<"$arguments"
  case ${instruction^^} in
    FROM) replay_from "${words[@]}" ;;
    WORKDIR)
      stage_workdir=$arguments
      mkdir -p "$(stage_path .)"
      ;;
    ENV) replay_env "${words[@]}" ;;
    COPY) replay_copy "${words[@]}" ;;
    RUN) replay_run "$arguments" ;;
    USER) stage_user=${words[0]} ;;
    ENTRYPOINT) entrypoint_json=$arguments ;;
    CMD) cmd_json=$arguments ;;
    ARG | LABEL | EXPOSE | HEALTHCHECK) ;;
    *) fail "Dockerfile instruction $instruction is not supported by this script" ;;
  esac
}

# Reads the Dockerfile as logical lines: comments dropped, "\" continuations joined.
replay_dockerfile() {
  local line logical=""
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*# ]] && continue
    if [[ $line =~ \\[[:space:]]*$ ]]; then
      logical+="${line%\\*} "
      continue
    fi
    logical+=$line
    if [[ $logical =~ ^[[:space:]]*([A-Za-z]+)[[:space:]]+(.*)$ ]]; then
      replay_instruction "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    fi
    logical=""
  done <"$repo_root/Dockerfile"
}

# Prints one element of a JSON array given as text.
json_element() {
  node -e '
    const [text, index] = process.argv.slice(1);
    const value = JSON.parse(text)[index];
    if (value !== undefined) console.log(value);' "$1" "$2"
}

# Sets as_image_user to the command prefix that runs a command as the image's USER when this
# script runs as root. It stays empty when the script already runs as a non-root user.
set_image_user_command() {
  local user_id
  case $stage_user in
    node) user_id=$NODE_IMAGE_USER_ID ;;
    *[!0-9]*) fail "USER $stage_user is neither numeric nor the node image's user" ;;
    *) user_id=$stage_user ;;
  esac
  [[ $user_id != 0 ]] || fail "the image runs as root. Set USER to a non-root user"

  as_image_user=()
  if [[ $(id -u) != 0 ]]; then
    return
  elif command -v setpriv >/dev/null; then
    as_image_user=(setpriv "--reuid=$user_id" "--regid=$user_id" --clear-groups --)
  elif command -v runuser >/dev/null && getent passwd "$user_id" >/dev/null; then
    as_image_user=(runuser -u "$(getent passwd "$user_id" | cut -d: -f1)" --)
  else
    echo "check-image: neither setpriv nor runuser is available, so the CLI runs as root" >&2
  fi
}

# Runs the entrypoint with the given arguments in place of CMD, in a clean environment. The
# subshell execs, so the process id written to $PID_FILE (when set) is the node process.
run_entrypoint() {
  local program script
  program=$(json_element "$entrypoint_json" 0)
  script=$(json_element "$entrypoint_json" 1)
  [[ $program == node && $script == /* ]] ||
    fail "ENTRYPOINT should be exec form [\"node\", \"/absolute/main.js\"], found: $entrypoint_json"
  (
    cd "$(stage_path .)"
    [[ -z ${PID_FILE:-} ]] || echo "$BASHPID" >"$PID_FILE"
    exec "${as_image_user[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work_dir/home" \
      "${stage_env[@]}" "${CHECK_ENV[@]}" "${CHECK_ENV_OVERRIDES[@]}" node "$stage_root$script" "$@"
  )
}

check_runtime_stage() {
  [[ $entrypoint_json == \[* ]] || fail "ENTRYPOINT must use the exec form (a JSON array) so node is PID 1"
  [[ $(json_element "$cmd_json" 0) == run ]] || fail "CMD should be [\"run\"], found: $cmd_json"

  local image_major host_major
  image_major=$(sed -nE 's/^node:([0-9]+).*/\1/p' <<<"$base_image")
  host_major=$(node -p 'process.versions.node.split(".")[0]')
  [[ $image_major == "$host_major" ]] ||
    echo "note: the host runs Node.js $host_major and the image Node.js ${image_major:-?}, so only Node.js $host_major is exercised"

  step "runtime has no dev-only packages"
  # package-lock.json marks "dev": true on packages that only devDependencies need. A package
  # that is also a production dependency's dependency, such as @types/node, is not marked.
  local dev_only_path
  for dev_only_path in $(node -p 'Object.entries(require(process.argv[1]).packages)
      .filter(([path, entry]) => path && entry.dev).map(([path]) => path).join(" ")' \
    "$(stage_path package-lock.json)"); do
    [[ ! -e $(stage_path "$dev_only_path") ]] ||
      fail "dev-only package $dev_only_path is installed in the runtime stage. Use npm ci --omit=dev there"
  done
  echo "ok"

  set_image_user_command
  # uid 1000 must reach the stage files, which are owned by root and readable by everyone as in
  # the image.
  chmod 0755 "$work_dir"
  mkdir -p "$work_dir/home"
  chmod 0777 "$work_dir/home"

  step "flexwatch --help as USER $stage_user"
  local output
  output=$(run_entrypoint --help 2>&1) || fail "--help failed: $output"
  echo "$output"
  grep -q check-config <<<"$output" || fail "--help does not list the check-config command"

  step "flexwatch check-config with an example config"
  cat >"$work_dir/flexwatch.yaml" <<'YAML'
projects:
  - id: "32b6e34b3d91647abb20e7b8"
    clusters: [orders-flex, search-flex]
schedule:
  cron: "*/5 * * * *"
  timezone: UTC
slack:
  channel: "#atlas-restores"
YAML
  chmod 0644 "$work_dir/flexwatch.yaml"
  output=$(run_entrypoint check-config --config "$work_dir/flexwatch.yaml" 2>&1) ||
    fail "check-config rejected the example config: $output"
  echo "$output"
  if grep -qF -e "$PLACEHOLDER_CLIENT_SECRET" -e "$PLACEHOLDER_SLACK_TOKEN" <<<"$output"; then
    fail "check-config printed a placeholder secret instead of [redacted]"
  fi

  step "flexwatch check-config rejects an invalid config with exit code 2"
  sed 's/32b6e34b3d91647abb20e7b8/not-a-project-id/' "$work_dir/flexwatch.yaml" >"$work_dir/invalid.yaml"
  chmod 0644 "$work_dir/invalid.yaml"
  local status=0
  output=$(run_entrypoint check-config --config "$work_dir/invalid.yaml" 2>&1) || status=$?
  [[ $status == 2 ]] || fail "check-config exited $status on an invalid project id, expected 2: $output"
  echo "ok"
}

# Runs a snippet of ES module code from the runtime stage's WORKDIR, so that it imports the
# packages installed there (ioredis).
run_in_runtime() {
  (cd "$(stage_path .)" && node --input-type=module -e "$@")
}

read -r -d '' PING_REDIS_JS <<'JS' || true
import { Redis } from "ioredis";
const redis = new Redis(process.argv[1], {
  lazyConnect: true,
  connectTimeout: 2000,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
try {
  await redis.connect();
  await redis.ping();
} catch {
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
JS

read -r -d '' DELETE_KEYS_JS <<'JS' || true
import { Redis } from "ioredis";
const [url, prefix] = process.argv.slice(1);
const redis = new Redis(url);
let deleted = 0;
for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
  if (keys.length > 0) deleted += await redis.del(...keys);
}
await redis.quit();
console.log(`deleted ${deleted} keys under ${prefix}`);
JS

read -r -d '' PROBE_JS <<'JS' || true
const [port, path] = process.argv.slice(1);
const response = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
const body = response ? await response.text() : "";
console.log(response?.status ?? "no response");
if (path === "/metrics" && !body.includes("flexwatch_")) process.exitCode = 1;
if (response?.status !== 200) process.exitCode = 1;
JS

# Starts `run` as the image user against the local Redis and checks what the chart relies on:
# /healthz and /readyz return 200, /metrics has flexwatch metrics, and SIGTERM ends the process
# with exit code 0 within the chart's 60 s grace period. Skipped when Redis does not respond.
check_run_smoke() {
  local redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
  step "flexwatch run as USER $stage_user: probes and SIGTERM"
  if ! run_in_runtime "$PING_REDIS_JS" "$redis_url"; then
    echo "skipped: no Redis responds at $redis_url (set REDIS_URL to run this step)"
    return
  fi

  local key_prefix="check-image-$$-$RANDOM"
  local port
  # A port the kernel reports free. Another process could take it before flexwatch binds it.
  port=$(node -e '
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", () => {
      console.log(server.address().port);
      server.close();
    });')
  sed "s/^projects:/redis:\n  keyPrefix: $key_prefix\nprojects:/" "$work_dir/flexwatch.yaml" >"$work_dir/run.yaml"
  chmod 0644 "$work_dir/run.yaml"

  CHECK_ENV_OVERRIDES=("REDIS_URL=$redis_url" "METRICS_PORT=$port")
  PID_FILE=$run_pid_file run_entrypoint run --config "$work_dir/run.yaml" >"$work_dir/run.log" 2>&1 &
  local background_pid=$!
  CHECK_ENV_OVERRIDES=()
  until [[ -s $run_pid_file ]]; do
    kill -0 "$background_pid" 2>/dev/null || fail "flexwatch run did not start: $(tail -n 5 "$work_dir/run.log")"
    sleep 0.1
  done
  local pid
  pid=$(<"$run_pid_file")

  local path ready=0
  for _ in $(seq 1 30); do
    if run_in_runtime "$PROBE_JS" "$port" /readyz >/dev/null; then
      ready=1
      break
    fi
    sleep 1
  done
  local status=0
  if [[ $ready == 1 ]]; then
    local result
    for path in /healthz /readyz /metrics; do
      result=$(run_in_runtime "$PROBE_JS" "$port" "$path") || status=1
      echo "GET $path: $result"
    done
  else
    echo "GET /readyz did not return 200 within 30 attempts"
    status=1
  fi

  kill -TERM "$pid" 2>/dev/null || true
  local waited_seconds=0
  while kill -0 "$pid" 2>/dev/null && ((waited_seconds < TERMINATION_GRACE_PERIOD_SECONDS)); do
    sleep 1
    waited_seconds=$((waited_seconds + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    status=1
    echo "flexwatch was still running ${TERMINATION_GRACE_PERIOD_SECONDS}s after SIGTERM"
  fi
  local exit_code=0
  wait "$background_pid" || exit_code=$?
  rm -f "$run_pid_file"
  run_in_runtime "$DELETE_KEYS_JS" "$redis_url" "$key_prefix"

  if [[ $status != 0 || $exit_code != 0 ]]; then
    tail -n 20 "$work_dir/run.log" >&2
    fail "flexwatch run failed the smoke check (probe status $status, exit code $exit_code after SIGTERM)"
  fi
  echo "ok: exit code 0 after SIGTERM"
}

main() {
  step "build context from git ls-files minus .dockerignore"
  make_context
  replay_dockerfile
  [[ -n $stage_root ]] || fail "the Dockerfile has no FROM"
  check_runtime_stage
  check_run_smoke
  step "image checks passed"
}

main "$@"
