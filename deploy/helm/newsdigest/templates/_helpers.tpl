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
