{{/* Labels of every object: the same as the installation command's, except who manages it. */}}
{{- define "qhc.labels" -}}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: qhc
{{- end }}

{{/* `https://registry.example.com/qdrant/` → `registry.example.com/qdrant`. */}}
{{- define "qhc.registry" -}}
{{- regexReplaceAll "/+$" (regexReplaceAll "^[a-z]+://" .Values.region.advanced.containerRegistryUrl "") "" -}}
{{- end }}

{{/* Image tags: a release tags its images without the v a version may be written with. */}}
{{- define "qhc.operatorVersion" -}}
{{- .Values.region.operatorVersion | default .Chart.AppVersion | trimPrefix "v" -}}
{{- end }}

{{- define "qhc.agentVersion" -}}
{{- .Values.region.agentVersion | default .Chart.AppVersion | trimPrefix "v" -}}
{{- end }}

{{- define "qhc.hasCa" -}}
{{- if .Values.region.advanced.caCertificate }}true{{ end -}}
{{- end }}

{{/* Proxy variables: in-cluster names and the apiserver never go through the proxy. */}}
{{- define "qhc.proxyEnv" -}}
{{- if hasKey .Values.region.advanced "proxy" }}
{{- $proxy := .Values.region.advanced.proxy | default dict }}
{{- if $proxy.httpProxy }}
- name: HTTP_PROXY
  value: {{ $proxy.httpProxy | quote }}
{{- end }}
{{- if $proxy.httpsProxy }}
- name: HTTPS_PROXY
  value: {{ $proxy.httpsProxy | quote }}
{{- end }}
- name: NO_PROXY
  value: {{ concat ($proxy.noProxy | default list) (list "kubernetes.default.svc" ".svc" ".cluster.local" "10.0.0.0/8") | uniq | join "," | quote }}
{{- end }}
{{- end }}

{{/* Where the operator and the agent run: the region's node selector and tolerations, as YAML or nothing. */}}
{{- define "qhc.regionScheduling" -}}
{{- $scheduling := dict }}
{{- with .Values.region.advanced.nodeSelector }}{{ $_ := set $scheduling "nodeSelector" . }}{{ end }}
{{- with .Values.region.advanced.tolerations }}{{ $_ := set $scheduling "tolerations" . }}{{ end }}
{{- if $scheduling }}{{ toYaml $scheduling }}{{ end }}
{{- end }}

{{/*
One component's Deployment. Arguments (a dict): root, name, image, and YAML strings for
args, env, ports, mounts, volumes, probes and scheduling.
*/}}
{{- define "qhc.deployment" -}}
{{- $root := .root -}}
{{- $hasCa := include "qhc.hasCa" $root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ $root.Release.Namespace | quote }}
  labels:
    {{- include "qhc.labels" (dict "root" $root "name" .name) | nindent 4 }}
spec:
  replicas: 1
  # One active instance at a time: the new pod starts after the old one is gone.
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .name }}
  template:
    metadata:
      labels:
        {{- include "qhc.labels" (dict "root" $root "name" .name) | nindent 8 }}
      {{- if $hasCa }}
      {{- /* Node reads NODE_EXTRA_CA_CERTS at start: a changed CA restarts the pods, nothing else does. */}}
      annotations:
        qhc.dev/ca-checksum: {{ $root.Values.region.advanced.caCertificate | sha256sum | quote }}
      {{- end }}
    spec:
      serviceAccountName: {{ .name }}
      imagePullSecrets:
        - name: qhc-registry-creds
      {{- with .scheduling }}
      {{- . | nindent 6 }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 20001
        fsGroup: 30001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {{ .name }}
          image: {{ .image | quote }}
          imagePullPolicy: IfNotPresent
          args: {{ if .args }}{{ .args | nindent 12 }}{{ else }}[]{{ end }}
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            {{- include "qhc.proxyEnv" $root | nindent 12 }}
            {{- if $hasCa }}
            - name: NODE_EXTRA_CA_CERTS
              value: /etc/qhc/ca/ca.crt
            {{- end }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
          ports: {{ if .ports }}{{ .ports | nindent 12 }}{{ else }}[]{{ end }}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 512Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            {{- .mounts | nindent 12 }}
            {{- if $hasCa }}
            - name: ca-bundle
              mountPath: /etc/qhc/ca
              readOnly: true
            {{- end }}
          {{- with .probes }}
          {{- . | nindent 10 }}
          {{- end }}
      volumes:
        {{- .volumes | nindent 8 }}
        {{- if $hasCa }}
        - name: ca-bundle
          configMap:
            name: qhc-ca-bundle
        {{- end }}
{{- end }}
