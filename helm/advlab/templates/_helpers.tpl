{{/*
Expand the name of the chart.
*/}}
{{- define "advlab.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "advlab.fullname" -}}
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
Create chart name and version as used by the chart label.
*/}}
{{- define "advlab.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "advlab.labels" -}}
helm.sh/chart: {{ include "advlab.chart" . }}
{{ include "advlab.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "advlab.selectorLabels" -}}
app.kubernetes.io/name: {{ include "advlab.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "advlab.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "advlab.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The container image: the CUDA variant when gpu.enabled.
*/}}
{{- define "advlab.image" -}}
{{- if .Values.gpu.enabled }}
{{- $repository := default .Values.image.repository .Values.gpu.image.repository }}
{{- $tag := default (printf "%s-cuda" .Chart.AppVersion) .Values.gpu.image.tag }}
{{- printf "%s:%s" $repository $tag }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Whether a model volume is mounted (existing PVC or init-container download).
*/}}
{{- define "advlab.modelVolume" -}}
{{- if or .Values.model.persistence.existingClaim .Values.model.download.enabled }}true{{- end }}
{{- end }}

{{/*
ADVLAB_MODEL_URL: explicit model.url, else the mounted folder, else empty (the image's default).
*/}}
{{- define "advlab.modelUrl" -}}
{{- if .Values.model.url }}
{{- .Values.model.url }}
{{- else if include "advlab.modelVolume" . }}
{{- .Values.model.mountPath }}
{{- end }}
{{- end }}

{{/*
Name of the store's PVC: store.persistence.existingClaim, else the one the chart creates.
*/}}
{{- define "advlab.storeClaimName" -}}
{{- default (printf "%s-store" (include "advlab.fullname" .)) .Values.store.persistence.existingClaim }}
{{- end }}

{{/*
Whether the chart creates the store's PVC.
*/}}
{{- define "advlab.createStoreClaim" -}}
{{- if and .Values.store.enabled .Values.store.persistence.enabled (not .Values.store.persistence.existingClaim) }}true{{- end }}
{{- end }}

{{/*
Secret and key holding the admin token: admin.existingSecret, else the chart's Secret when
admin.token is set, else empty (no ADVLAB_ADMIN_TOKEN).
*/}}
{{- define "advlab.adminSecretName" -}}
{{- if .Values.admin.existingSecret }}
{{- .Values.admin.existingSecret }}
{{- else if .Values.admin.token }}
{{- printf "%s-admin" (include "advlab.fullname" .) }}
{{- end }}
{{- end }}

{{- define "advlab.adminSecretKey" -}}
{{- if .Values.admin.existingSecret }}
{{- .Values.admin.existingSecretKey }}
{{- else }}admin-token{{- end }}
{{- end }}

{{/*
Combinations of values that would deploy something broken fail the render with the fix.
*/}}
{{- define "advlab.validate" -}}
{{- $persistence := .Values.store.persistence }}
{{- $scaled := or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- if and (include "advlab.createStoreClaim" .) $scaled (not (has "ReadWriteMany" $persistence.accessModes)) }}
{{- $pods := ternary (printf "autoscaling (up to %d pods)" (int .Values.autoscaling.maxReplicas)) (printf "replicaCount=%d" (int .Values.replicaCount)) .Values.autoscaling.enabled }}
{{- fail (printf "store: %s needs a model store every pod can mount, but store.persistence.accessModes is %s: such a claim attaches to one node only. Set store.persistence.accessModes={ReadWriteMany} with a storage class that supports it, or store.persistence.existingClaim=<a ReadWriteMany PVC>, or replicaCount=1 without autoscaling." $pods (toJson $persistence.accessModes)) }}
{{- end }}
{{- if and .Values.models .Values.model.url }}
{{- fail "model.url and models are exclusive: list that model under models instead (models[0].url)" }}
{{- end }}
{{- if and .Values.models .Values.defaultModel }}
{{- $names := list }}
{{- range .Values.models }}{{ $names = append $names .name }}{{ end }}
{{- if not (has .Values.defaultModel $names) }}
{{- fail (printf "defaultModel %q is not one of models: %s" .Values.defaultModel (join ", " $names)) }}
{{- end }}
{{- end }}
{{- end }}
