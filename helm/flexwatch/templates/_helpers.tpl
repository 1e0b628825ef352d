{{/*
flexwatch.name is the chart name, or nameOverride, cut to the 63 characters that a label value
allows.
*/}}
{{- define "flexwatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
flexwatch.fullname is the name of every resource of the release: fullnameOverride if set,
otherwise "<release>-<name>", or the release name alone when it already contains the name.
Cut to 63 characters because some Kubernetes name fields are DNS labels.
*/}}
{{- define "flexwatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
flexwatch.chart is "<chart>-<version>" for the helm.sh/chart label.
*/}}
{{- define "flexwatch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
flexwatch.selectorLabels are the labels that the Deployment, the Service and the ServiceMonitor
select pods and Services by. They leave out the chart and app versions because a Deployment's
selector cannot change after it is created.
*/}}
{{- define "flexwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flexwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
flexwatch.labels are the labels of every resource: the selector labels plus chart, version and
manager.
*/}}
{{- define "flexwatch.labels" -}}
helm.sh/chart: {{ include "flexwatch.chart" . }}
{{ include "flexwatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: worker
app.kubernetes.io/part-of: flexwatch
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
flexwatch.serviceAccountName is the service account of the pods: serviceAccount.name if set,
otherwise the full name when the chart creates the account, or "default" when it does not.
*/}}
{{- define "flexwatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flexwatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
flexwatch.secretName is the Secret that the credentials are read from: existingSecret if set,
otherwise the full name.
*/}}
{{- define "flexwatch.secretName" -}}
{{- default (include "flexwatch.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
flexwatch.image is "<repository>:<tag>", where the tag defaults to the chart's appVersion.
*/}}
{{- define "flexwatch.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
flexwatch.secretEnv renders the container env entries read from the credentials Secret, one per
non-empty key in secretKeys. A Secret contains either a service account or an API key, and Slack
may be off in the config, so only the Redis URL key is required to exist.
*/}}
{{- define "flexwatch.secretEnv" -}}
{{- $secretName := include "flexwatch.secretName" . }}
{{- $keys := .Values.secretKeys }}
{{- $variables := dict
  "MONGODB_ATLAS_CLIENT_ID" $keys.atlasClientId
  "MONGODB_ATLAS_CLIENT_SECRET" $keys.atlasClientSecret
  "MONGODB_ATLAS_PUBLIC_API_KEY" $keys.atlasPublicApiKey
  "MONGODB_ATLAS_PRIVATE_API_KEY" $keys.atlasPrivateApiKey
  "SLACK_BOT_TOKEN" $keys.slackBotToken
  "REDIS_URL" $keys.redisUrl }}
{{- range $variable, $key := $variables }}
{{- if $key }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ $key | quote }}
      optional: {{ ne $variable "REDIS_URL" }}
{{- end }}
{{- end }}
{{- end }}
