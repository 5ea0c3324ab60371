{{/*
Names. The release is named after what it runs: release `cloudstack` with `server: cloudstack` is
`cloudstack`, release `mcp` with `server: oke` is `mcp-oke`.
*/}}
{{- define "cloudmcp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Values.server .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Values.server | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cloudmcp.selectorLabels" -}}
app.kubernetes.io/name: cloudmcp
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ .Values.server }}
{{- end -}}

{{- define "cloudmcp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "cloudmcp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The chosen server's entry of `servers` (the schema allows only the five names). */}}
{{- define "cloudmcp.serverValues" -}}
{{- toYaml (index .Values.servers .Values.server) -}}
{{- end -}}

{{- define "cloudmcp.image" -}}
{{- $image := (include "cloudmcp.serverValues" . | fromYaml).image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The Secret and key holding the static bearer token, or nothing when there is none. */}}
{{- define "cloudmcp.tokenSecretName" -}}
{{- if .Values.auth.existingSecret -}}
{{- .Values.auth.existingSecret -}}
{{- else if .Values.auth.token -}}
{{- printf "%s-auth" (include "cloudmcp.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "cloudmcp.stateKeySecretName" -}}
{{- default (printf "%s-state" (include "cloudmcp.fullname" .)) .Values.stateKey.existingSecret -}}
{{- end -}}

{{- define "cloudmcp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cloudmcp.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The pod needs its service-account token only to reach the cluster it runs in. */}}
{{- define "cloudmcp.automountToken" -}}
{{- or .Values.inCluster .Values.serviceAccount.automountToken -}}
{{- end -}}

{{/*
Host names the server answers (its DNS-rebinding guard): the Service's names, the pod's own IP (kubelet
probes and Prometheus scrapes address the pod by IP), and the operator's own (an Ingress host).
*/}}
{{- define "cloudmcp.allowedHosts" -}}
{{- $svc := include "cloudmcp.fullname" . -}}
{{- $ns := .Release.Namespace -}}
{{- $hosts := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.%s" $svc $ns .Values.clusterDomain) "$(POD_IP)" -}}
{{- concat $hosts .Values.http.allowedHosts | join "," -}}
{{- end -}}

{{/* Settings that cannot work together fail the install with one line saying what to change. */}}
{{- define "cloudmcp.validate" -}}
{{- $hasToken := include "cloudmcp.tokenSecretName" . -}}
{{- if and .Values.auth.token .Values.auth.existingSecret -}}
{{- fail "auth: set auth.token or auth.existingSecret, not both" -}}
{{- end -}}
{{- if and .Values.auth.token (lt (len .Values.auth.token) 16) -}}
{{- fail "auth.token: use at least 16 characters (the server refuses a shorter token)" -}}
{{- end -}}
{{- if and (not $hasToken) (not .Values.auth.oauth.issuer) (not .Values.auth.allowUnauthenticated) -}}
{{- fail "auth: the server listens beyond loopback, so it needs auth.existingSecret (a Secret with the bearer token), auth.token, or auth.oauth.issuer and auth.oauth.audience; auth.allowUnauthenticated=true only behind a proxy that authenticates" -}}
{{- end -}}
{{- if ne (empty .Values.auth.oauth.issuer) (empty .Values.auth.oauth.audience) -}}
{{- fail "auth.oauth: set issuer and audience together" -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled (not $hasToken) -}}
{{- fail "serviceMonitor: Prometheus scrapes /metrics with the static bearer token; set auth.existingSecret or auth.token" -}}
{{- end -}}
{{- if and .Values.inCluster (not (has .Values.server (list "kubernetes" "oke"))) -}}
{{- fail (printf "inCluster: only the kubernetes and oke servers can use the pod's service account (server is %s)" .Values.server) -}}
{{- end -}}
{{- if and .Values.rbac.create (not (has .Values.server (list "kubernetes" "oke" "ocm"))) -}}
{{- fail (printf "rbac.create: the %s server does not talk to Kubernetes" .Values.server) -}}
{{- end -}}
{{- if and .Values.rbac.create (not .Values.serviceAccount.create) (not .Values.serviceAccount.name) -}}
{{- fail "rbac.create: bind a service account of this release (serviceAccount.create=true) or name one (serviceAccount.name), not the namespace's default" -}}
{{- end -}}
{{- if le (int .Values.terminationGracePeriodSeconds) (add .Values.http.shutdownTimeoutSeconds .Values.preStopSleepSeconds | int) -}}
{{- fail (printf "terminationGracePeriodSeconds (%v) must exceed preStopSleepSeconds + http.shutdownTimeoutSeconds (%v): running calls would be killed before they finish" .Values.terminationGracePeriodSeconds (add .Values.http.shutdownTimeoutSeconds .Values.preStopSleepSeconds)) -}}
{{- end -}}
{{- $managed := list "HOME" "TMPDIR" "POD_IP" "POD_NAMESPACE" "CLOUDMCP_HTTP" "CLOUDMCP_HTTP_TOKEN" "CLOUDMCP_STATE_KEY" "CLOUDMCP_OAUTH_ISSUER" "CLOUDMCP_OAUTH_AUDIENCE" "CLOUDMCP_HTTP_ALLOW_UNAUTHENTICATED" "CLOUDMCP_ALLOWED_HOSTS" "CLOUDMCP_ALLOWED_ORIGINS" "CLOUDMCP_SSE" "CLOUDMCP_SHUTDOWN_TIMEOUT" "CLOUDMCP_LOG_LEVEL" "CLOUDMCP_LOG_FORMAT" "KUBERNETES_IN_CLUSTER" "OKE_IN_CLUSTER" -}}
{{- range $name, $_ := .Values.env -}}
{{- if has $name $managed -}}
{{- fail (printf "env.%s is set by the chart from its own values (see values.yaml: auth, stateKey, http, logging, inCluster)" $name) -}}
{{- end -}}
{{- if regexMatch "(TOKEN|SECRET|PASSWORD|PASSPHRASE|_KEY)$" $name -}}
{{- fail (printf "env.%s looks like a credential: put it in a Secret and list that Secret under envFrom" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
