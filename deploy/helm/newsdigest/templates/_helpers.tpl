{{/* The release's name for its objects, at most 63 characters. */}}
{{- define "newsdigest.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "newsdigest.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "newsdigest.labels" -}}
{{ include "newsdigest.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "newsdigest.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Secret the programs read their secrets from. */}}
{{- define "newsdigest.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "newsdigest.fullname" .)) -}}
{{- end -}}

{{/* The keys of that Secret: those listed, or those given a value. */}}
{{- define "newsdigest.secretKeys" -}}
{{- if .Values.secrets.existingSecret -}}
{{- toJson .Values.secrets.keys -}}
{{- else -}}
{{- $keys := list -}}
{{- range $k, $v := .Values.secrets.values }}{{ if $v }}{{ $keys = append $keys $k }}{{ end }}{{ end -}}
{{- toJson $keys -}}
{{- end -}}
{{- end -}}

{{/* The environment of every newsdigest container. */}}
{{- define "newsdigest.env" -}}
{{- $keys := include "newsdigest.secretKeys" . | fromJsonArray -}}
{{- range $k := list "BOUNCE_SMTP_ADDR" "BOUNCE_SMTP_TLS_CERT_FILE" "BOUNCE_SMTP_TLS_KEY_FILE" }}
{{- if hasKey $.Values.config $k }}
{{- fail (printf "config.%s: use bounceListener (and bounceListener.tls) instead: config reaches every pod, web's and each worker's, and the listener is one worker's" $k) }}
{{- end }}
{{- end }}
{{- range $k := list "SECRET_KEY" "DATABASE_URL" "REDIS_URL" "SMTP_URL" }}
{{- if not (has $k $keys) }}
{{- fail (printf "secrets: %s is required (in secrets.values, or in secrets.keys with secrets.existingSecret)" $k) }}
{{- end }}
{{- end }}
- name: HTTP_ADDR
  value: ":8080"
- name: METRICS_ADDR
  value: {{ printf "0.0.0.0:%v" .Values.metrics.port | quote }}
{{- range $k, $v := .Values.config }}
- name: {{ $k }}
  value: {{ $v | toString | quote }}
{{- end }}
{{- range $k := $keys }}
- name: {{ $k }}_FILE
  value: /etc/newsdigest/secrets/{{ $k }}
{{- end }}
{{- if .Values.dkim.existingSecret }}
- name: DKIM_DOMAIN
  value: {{ required "dkim.domain is required with dkim.existingSecret" .Values.dkim.domain | quote }}
- name: DKIM_SELECTOR
  value: {{ required "dkim.selector is required with dkim.existingSecret" .Values.dkim.selector | quote }}
- name: DKIM_PRIVATE_KEY_FILE
  value: /etc/newsdigest/dkim/{{ .Values.dkim.key }}
{{- end }}
{{- end -}}

{{- define "newsdigest.volumes" -}}
- name: secrets
  secret:
    secretName: {{ include "newsdigest.secretName" . }}
    defaultMode: 0440
- name: tmp
  emptyDir: {}
{{- if .Values.dkim.existingSecret }}
- name: dkim
  secret:
    secretName: {{ .Values.dkim.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "newsdigest.volumeMounts" -}}
- name: secrets
  mountPath: /etc/newsdigest/secrets
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .Values.dkim.existingSecret }}
- name: dkim
  mountPath: /etc/newsdigest/dkim
  readOnly: true
{{- end }}
{{- end -}}

{{/* Pod annotations: a change of the chart's own Secret rolls the pods. */}}
{{- define "newsdigest.podAnnotations" -}}
{{- if not .Values.secrets.existingSecret }}
checksum/secrets: {{ toJson .Values.secrets.values | sha256sum }}
{{- end }}
{{- if .Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* The port the bounce listener takes mail on in its pod: the process
runs as a user that cannot bind 25; the Service maps its port to it. */}}
{{- define "newsdigest.bounceContainerPort" -}}2525{{- end -}}

{{/*
A worker pod's template: the workers' (component "worker") or the bounce
listener's ("bounces"), which also listens for DSNs and complaint reports
by SMTP. Called with (dict "root" . "component" NAME).
*/}}
{{- define "newsdigest.workerPod" -}}
{{- $ := .root -}}
{{- $bounces := eq .component "bounces" -}}
{{- $tls := and $bounces $.Values.bounceListener.tls.existingSecret -}}
metadata:
  labels:
    {{- include "newsdigest.selectorLabels" $ | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
  {{- with include "newsdigest.podAnnotations" $ | trim }}
  annotations:
    {{- . | nindent 4 }}
  {{- end }}
spec:
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $.Values.worker.terminationGracePeriodSeconds }}
  {{- with $.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: worker
      image: {{ include "newsdigest.image" $ }}
      imagePullPolicy: {{ $.Values.image.pullPolicy }}
      command: ["worker"]
      env:
        {{- include "newsdigest.env" $ | trim | nindent 8 }}
        {{- if $bounces }}
        - name: BOUNCE_SMTP_ADDR
          value: {{ printf ":%s" (include "newsdigest.bounceContainerPort" $) | quote }}
        {{- end }}
        {{- if $tls }}
        - name: BOUNCE_SMTP_TLS_CERT_FILE
          value: /etc/newsdigest/bounce-tls/tls.crt
        - name: BOUNCE_SMTP_TLS_KEY_FILE
          value: /etc/newsdigest/bounce-tls/tls.key
        {{- end }}
      ports:
        - name: metrics
          containerPort: {{ $.Values.metrics.port }}
        {{- if $bounces }}
        - name: smtp
          containerPort: {{ include "newsdigest.bounceContainerPort" $ }}
        {{- end }}
      # The worker serves /healthz and /readyz beside its metrics
      # (METRICS_ADDR). It answers them once it has reached PostgreSQL
      # at start, which it waits for: the startup probe gives it 5
      # minutes. /healthz asks nothing of PostgreSQL or Redis, so an
      # outage of theirs, which the worker waits out, restarts nothing;
      # /readyz fails while they do not answer, which takes the bounce
      # listener out of its Service meanwhile.
      startupProbe:
        httpGet: {path: /healthz, port: metrics}
        periodSeconds: 5
        failureThreshold: 60
      livenessProbe:
        httpGet: {path: /healthz, port: metrics}
        periodSeconds: 20
        timeoutSeconds: 5
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /readyz, port: metrics}
        periodSeconds: 10
        timeoutSeconds: 5
        failureThreshold: 3
      volumeMounts:
        {{- include "newsdigest.volumeMounts" $ | nindent 8 }}
        {{- if $tls }}
        - name: bounce-tls
          mountPath: /etc/newsdigest/bounce-tls
          readOnly: true
        {{- end }}
      resources:
        {{- toYaml $.Values.worker.resources | nindent 8 }}
      securityContext:
        {{- toYaml $.Values.securityContext | nindent 8 }}
  volumes:
    {{- include "newsdigest.volumes" $ | nindent 4 }}
    {{- if $tls }}
    - name: bounce-tls
      secret:
        secretName: {{ $tls }}
        defaultMode: 0440
    {{- end }}
  {{- with $.Values.worker.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $.Values.worker.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $.Values.worker.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
