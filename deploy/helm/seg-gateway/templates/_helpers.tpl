{{- define "seg-gateway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "seg-gateway.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component (gateway or worker): pass (list $ "gateway") */}}
{{- define "seg-gateway.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "seg-gateway.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "seg-gateway.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "seg-gateway.fullname" .)) -}}
{{- end -}}

{{- define "seg-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "seg-gateway.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "seg-gateway.spoolClaim" -}}
{{- .Values.spool.existingClaim | default (printf "%s-spool" (include "seg-gateway.fullname" .)) -}}
{{- end -}}

{{- define "seg-gateway.spoolAccessMode" -}}
{{- if .Values.spool.accessMode -}}
{{- .Values.spool.accessMode -}}
{{- else if gt (int .Values.gateway.replicas) 1 -}}
ReadWriteMany
{{- else -}}
ReadWriteOnce
{{- end -}}
{{- end -}}

{{- define "seg-gateway.modelsClaim" -}}
{{- .Values.models.pvc.existingClaim | default (printf "%s-models" (include "seg-gateway.fullname" .)) -}}
{{- end -}}

{{/* HTTPS when a TLS Secret is named; the probes and the Service follow */}}
{{- define "seg-gateway.httpsEnabled" -}}
{{- if .Values.gateway.http.tls.secretName -}}true{{- end -}}
{{- end -}}

{{/* Fails the rendering on combinations the gateway would refuse at start, with the reason (single values: values.schema.json) */}}
{{- define "seg-gateway.validate" -}}
{{- if and (not .Values.gateway.http.tls.secretName) (not .Values.gateway.http.plainBehindProxy) -}}
{{- fail "gateway.http: name a TLS Secret (gateway.http.tls.secretName) or, behind a TLS-terminating ingress or mesh, set gateway.http.plainBehindProxy=true; the gateway refuses plain HTTP on the network otherwise" -}}
{{- end -}}
{{- if and (gt (int .Values.gateway.replicas) 1) (eq (include "seg-gateway.spoolAccessMode" .) "ReadWriteOnce") -}}
{{- fail "spool.accessMode ReadWriteOnce with gateway.replicas > 1: every gateway must see the same spool, use ReadWriteMany" -}}
{{- end -}}
{{- range $line := splitList "\n" .Values.config.properties -}}
{{- $kv := regexSplit "=" (trim $line) 2 -}}
{{- if and (eq (len $kv) 2) (not (hasPrefix "#" (trim $line))) -}}
{{- $key := trim (index $kv 0) -}}
{{- $value := trim (index $kv 1) -}}
{{- if has $key (list "quarkus.datasource.jdbc.url" "quarkus.datasource.username" "quarkus.datasource.password" "kafka.bootstrap.servers" "seg-gateway.queue.transactional-id" "seg-gateway.queue.partitions" "seg-gateway.queue.replication-factor" "seg-gateway.spool" "seg-gateway.model-root" "seg-gateway.scp.port" "seg-gateway.scp.bind-address" "seg-gateway.scp.ae-title" "quarkus.http.host" "quarkus.http.port" "quarkus.http.ssl-port") -}}
{{- fail (printf "config.properties sets %s, which the chart sets from its values (database, kafka, gateway, spool, models): set the value there" $key) -}}
{{- end -}}
{{- if and (regexMatch "(?i)(password|secret|token)" $key) (not (hasSuffix "password-hash" $key)) $value (not (hasPrefix "${" $value)) -}}
{{- fail (printf "config.properties holds a secret in %s: the ConfigMap is no place for it; put it into secrets.env (e.g. NAME: value) and write %s=${NAME}" $key $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.models.source "image") (not .Values.models.image.repository) -}}
{{- fail "models.source=image needs models.image.repository" -}}
{{- end -}}
{{- end -}}

{{/* Volumes holding the model packages, for gateway and worker pods */}}
{{- define "seg-gateway.modelsVolume" -}}
- name: models
{{- if eq .Values.models.source "pvc" }}
  persistentVolumeClaim:
    claimName: {{ include "seg-gateway.modelsClaim" . }}
    readOnly: true
{{- else }}
  emptyDir: {}
{{- end }}
{{- end -}}

{{/* Init container copying the packages out of the models image (models.source=image) */}}
{{- define "seg-gateway.modelsInit" -}}
{{- if eq .Values.models.source "image" -}}
initContainers:
  - name: models
    image: {{ printf "%s:%s" .Values.models.image.repository (.Values.models.image.tag | default "latest") }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    command: ["sh", "-c", {{ printf "cp -R %s/. /opt/seg-gateway/models/" .Values.models.image.path | quote }}]
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    volumeMounts:
      - name: models
        mountPath: /opt/seg-gateway/models
{{- end }}
{{- end -}}
