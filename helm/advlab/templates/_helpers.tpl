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
Labels of the helm test Pod: the common labels without app.kubernetes.io/name, so that the
Service, the PDB and the NetworkPolicy (which select name and instance) leave it alone; plus the
client label the restricted NetworkPolicy admits.
*/}}
{{- define "advlab.testLabels" -}}
helm.sh/chart: {{ include "advlab.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{ include "advlab.clientLabel" . }}: "true"
{{- end }}

{{/*
Key of the label that admits a pod through the restricted NetworkPolicy: <fullname>-client, the
full name cut to 56 characters so that the key stays within the API server's 63.
*/}}
{{- define "advlab.clientLabel" -}}
{{- printf "%s-client" (include "advlab.fullname" . | trunc 56 | trimSuffix "-") }}
{{- end }}

{{/*
Whether the actuator has a port of its own (managementPort differs from containerPort).
*/}}
{{- define "advlab.managementSeparate" -}}
{{- if ne (int .Values.managementPort) (int .Values.containerPort) }}true{{- end }}
{{- end }}

{{/*
Name of the Service of the management port (a DNS label: at most 63 characters).
*/}}
{{- define "advlab.managementServiceName" -}}
{{- printf "%s-management" (include "advlab.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{/*
A probe from values: the port name "management" becomes "http" when the actuator shares the
application port. Call with (dict "probe" .Values.xProbe "root" $).
*/}}
{{- define "advlab.probe" -}}
{{- $probe := deepCopy .probe }}
{{- if and $probe.httpGet (eq (toString $probe.httpGet.port) "management") (not (include "advlab.managementSeparate" .root)) }}
{{- $_ := set $probe.httpGet "port" "http" }}
{{- end }}
{{- toYaml $probe }}
{{- end }}

{{/*
Whether one pod at a time owns the store's PVC: a created claim without ReadWriteMany, or an
existing claim (its access modes are unknown) with a single replica.
*/}}
{{- define "advlab.storeSingleAttach" -}}
{{- if and .Values.store.enabled .Values.store.persistence.enabled }}
{{- if .Values.store.persistence.existingClaim }}
{{- if and (not .Values.autoscaling.enabled) (le (int .Values.replicaCount) 1) }}true{{- end }}
{{- else if not (has "ReadWriteMany" .Values.store.persistence.accessModes) }}true{{- end }}
{{- end }}
{{- end }}

{{/*
Deployment strategy: strategy when set; else no surge pod when gpu.enabled (a surge pod needs a
spare GPU and stays Pending on a full pool) or when one pod owns the store's PVC (a surge pod on
another node cannot attach it: Multi-Attach); else Kubernetes' default.
*/}}
{{- define "advlab.strategy" -}}
{{- if .Values.strategy }}
{{- toYaml .Values.strategy }}
{{- else if or .Values.gpu.enabled (include "advlab.storeSingleAttach" .) }}
type: RollingUpdate
rollingUpdate:
  maxSurge: 0
  maxUnavailable: 1
{{- end }}
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
{{- printf "%s:%s" $repository (required "gpu.image.tag is required when gpu.enabled" .Values.gpu.image.tag) }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (required "image.tag is required" .Values.image.tag) }}
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
Whether database.url names a database reached over the network: set, and not an embedded H2
database (jdbc:h2:file:, jdbc:h2:mem:...; jdbc:h2:tcp: and jdbc:h2:ssl: are servers).
*/}}
{{- define "advlab.databaseRemote" -}}
{{- $url := .Values.database.url }}
{{- if and $url (or (not (hasPrefix "jdbc:h2:" $url)) (hasPrefix "jdbc:h2:tcp:" $url) (hasPrefix "jdbc:h2:ssl:" $url)) }}true{{- end }}
{{- end }}

{{/*
Secret and key holding the database password: database.existingSecret, else the chart's Secret
when database.password is set, else empty (no ADVLAB_DATABASE_PASSWORD).
*/}}
{{- define "advlab.databaseSecretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else if .Values.database.password }}
{{- printf "%s-database" (include "advlab.fullname" .) }}
{{- end }}
{{- end }}

{{- define "advlab.databaseSecretKey" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecretPasswordKey }}
{{- else }}password{{- end }}
{{- end }}

{{/*
Whether the chart creates a Secret (the admin token or the database password given as values).
*/}}
{{- define "advlab.createSecret" -}}
{{- if or (and .Values.admin.token (not .Values.admin.existingSecret)) (and .Values.database.password (not .Values.database.existingSecret)) }}true{{- end }}
{{- end }}

{{/*
Combinations of values that would deploy something broken fail the render with the fix.
*/}}
{{- define "advlab.validate" -}}
{{- $persistence := .Values.store.persistence }}
{{- $scaled := or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- $pods := ternary (printf "autoscaling (up to %d pods)" (int .Values.autoscaling.maxReplicas)) (printf "replicaCount=%d" (int .Values.replicaCount)) .Values.autoscaling.enabled }}
{{- if and (include "advlab.createStoreClaim" .) $scaled (not (has "ReadWriteMany" $persistence.accessModes)) }}
{{- fail (printf "store: %s needs a model store every pod can mount, but store.persistence.accessModes is %s: such a claim attaches to one node only. Set store.persistence.accessModes={ReadWriteMany} with a storage class that supports it, or store.persistence.existingClaim=<a ReadWriteMany PVC>, or replicaCount=1 without autoscaling." $pods (toJson $persistence.accessModes)) }}
{{- end }}
{{- if and $scaled (not (include "advlab.databaseRemote" .)) }}
{{- $database := ternary "empty (the H2 file in the model store)" (printf "%q (an embedded H2 database)" .Values.database.url) (empty .Values.database.url) }}
{{- fail (printf "database: %s needs one database all pods share, but database.url is %s: each pod would keep evaluation jobs in its own H2 file (or fail on the lock of a shared one), so jobs and their shards would split between pods. Set database.url=jdbc:postgresql://<host>:5432/advlab with database.username and database.existingSecret (the password), or replicaCount=1 without autoscaling." $pods $database) }}
{{- end }}
{{- if and (not .Values.store.enabled) (not .Values.database.url) }}
{{- fail "database: database.url is empty, so the service keeps evaluation jobs in an H2 file in the model store, but store.enabled=false leaves no writable folder for it (the root filesystem is read-only) and the service would not start. Set database.url=jdbc:postgresql://<host>:5432/advlab, or store.enabled=true." }}
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
{{- $np := .Values.networkPolicy }}
{{- if and $np.enabled (not $np.allowExternal) }}
{{- if and (or .Values.ingress.enabled .Values.httpRoute.enabled) (not $np.gatewayFrom) }}
{{- fail (printf "networkPolicy: allowExternal=false admits only labelled client pods, so the %s controller's pods in their own namespace cannot reach the service. Set networkPolicy.gatewayFrom to their peers, e.g. --set 'networkPolicy.gatewayFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=ingress-nginx', or networkPolicy.allowExternal=true." (ternary "Gateway" "Ingress" .Values.httpRoute.enabled)) }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not $np.metricsFrom) }}
{{- fail "networkPolicy: allowExternal=false closes the management port, so Prometheus cannot scrape it. Set networkPolicy.metricsFrom to Prometheus's peers, e.g. --set 'networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring', or networkPolicy.allowExternal=true." }}
{{- end }}
{{- end }}
{{- if and $np.enabled (not $np.allowExternalEgress) .Values.model.download.enabled (not .Values.model.persistence.existingClaim) (not $np.modelDownloadEgress) }}
{{- fail "networkPolicy: allowExternalEgress=false leaves DNS only, so the init container cannot download model.download.url. Set networkPolicy.modelDownloadEgress to a rule reaching its server (to: ipBlock cidr, ports: 443), or networkPolicy.allowExternalEgress=true." }}
{{- end }}
{{- if and $np.enabled (not $np.allowExternalEgress) (include "advlab.databaseRemote" .) (not $np.databaseEgress) }}
{{- fail "networkPolicy: allowExternalEgress=false leaves DNS only, so the service cannot reach database.url and would not start. Set networkPolicy.databaseEgress to a rule reaching the database (to: a podSelector/namespaceSelector or an ipBlock cidr, ports: 5432), or networkPolicy.allowExternalEgress=true." }}
{{- end }}
{{- end }}
