#!/usr/bin/env bash
# Installs qhc's operator and agent for the region "prod-eu" into namespace "qdrant-hybrid".
# Safe to run again: every object is applied with server-side apply.
set -euo pipefail

qhc_skip_preflight=${QHC_SKIP_PREFLIGHT:-}
for qhc_arg in "$@"; do
  case $qhc_arg in
    --skip-preflight) qhc_skip_preflight=1 ;;
    *) echo "qhc: unknown option $qhc_arg (the only option is --skip-preflight)" >&2; exit 2 ;;
  esac
done
command -v kubectl >/dev/null || { echo "kubectl is required" >&2; exit 1; }
echo "qhc: installing into $(kubectl config current-context 2>/dev/null || echo "the current cluster")"

# One line per check: ok, warn or FAIL, the finding, and for warnings and failures the fix.
qhc_failures=0
qhc_pf_line() {
  if [ "$1" = ok ]; then printf 'ok   %s: %s\n' "$2" "$3"; return; fi
  if [ "$1" = fail ]; then qhc_failures=$((qhc_failures + 1)); printf 'FAIL %s: %s. Fix: %s\n' "$2" "$3" "$4"; return; fi
  printf 'warn %s: %s. Fix: %s\n' "$2" "$3" "$4"
}
qhc_pf_cluster_reachable_ok() { qhc_pf_line ok cluster-reachable "reached ${qhc_server}" ''; }
qhc_pf_cluster_reachable_fail() { qhc_pf_line fail cluster-reachable "cannot reach the cluster: ${qhc_error}" 'point kubectl at the region'\''s cluster (KUBECONFIG or kubectl config use-context) and check that "kubectl get --raw /version" answers'; }
qhc_pf_kubernetes_version_ok() { qhc_pf_line ok kubernetes-version "Kubernetes ${qhc_version} (1.${qhc_minimum} or newer is supported)" ''; }
qhc_pf_kubernetes_version_fail() { qhc_pf_line fail kubernetes-version "Kubernetes ${qhc_version} is older than 1.${qhc_minimum}, the oldest supported version" 'upgrade the cluster to Kubernetes 1.27 or newer (older versions drop the StatefulSet volume retention policy qhc relies on)'; }
qhc_pf_cluster_scope_rights_ok() { qhc_pf_line ok cluster-scope-rights "this user may create and patch CRDs, ClusterRoles, ClusterRoleBindings and namespaces" ''; }
qhc_pf_cluster_scope_rights_fail() { qhc_pf_line fail cluster-scope-rights "this user may not ${qhc_missing}" 'run the installation as a cluster administrator (the cluster-admin ClusterRole, e.g. the cluster'\''s admin kubeconfig); qhc'\''s components themselves run with least-privilege roles'; }
qhc_pf_storage_class_ok() { qhc_pf_line ok storage-class "StorageClass \"${qhc_storageClass}\" (${qhc_source}) will hold the database volumes" ''; }
qhc_pf_storage_class_missing() { qhc_pf_line fail storage-class "StorageClass \"${qhc_storageClass}\", named at settings.storage.default_storage_class_names.db, does not exist" 'mark a CSI block-storage class as the default (kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true) or name one at settings.storage.default_storage_class_names.db in the region'\''s operator settings'; }
qhc_pf_storage_class_noDefault() { qhc_pf_line fail storage-class "no StorageClass is marked as the default and the operator settings name none" 'mark a CSI block-storage class as the default (kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true) or name one at settings.storage.default_storage_class_names.db in the region'\''s operator settings'; }
qhc_pf_storage_class_unreadable() { qhc_pf_line fail storage-class "could not list StorageClasses: ${qhc_error}" 'mark a CSI block-storage class as the default (kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true) or name one at settings.storage.default_storage_class_names.db in the region'\''s operator settings'; }
qhc_pf_volume_expansion_ok() { qhc_pf_line ok volume-expansion "StorageClass \"${qhc_storageClass}\" allows volume expansion" ''; }
qhc_pf_volume_expansion_warn() { qhc_pf_line warn volume-expansion "StorageClass \"${qhc_storageClass}\" does not allow volume expansion: clusters' storage cannot grow" 'set allowVolumeExpansion: true on the class if its CSI driver can resize volumes, or use a class that can; until then clusters'\'' storage cannot grow'; }
qhc_pf_volume_snapshots_ok() { qhc_pf_line ok volume-snapshots "VolumeSnapshot API served; VolumeSnapshotClass \"${qhc_snapshotClass}\" exists" ''; }
qhc_pf_volume_snapshots_noApi() { qhc_pf_line warn volume-snapshots "the VolumeSnapshot CRDs (snapshot.storage.k8s.io) are not installed: backups cannot be taken" 'install the CSI snapshot CRDs and snapshot controller (github.com/kubernetes-csi/external-snapshotter) and a VolumeSnapshotClass for your CSI driver, named at settings.storage.snapshot_class; until then backups cannot be taken'; }
qhc_pf_volume_snapshots_missing() { qhc_pf_line warn volume-snapshots "VolumeSnapshotClass \"${qhc_snapshotClass}\", named at settings.storage.snapshot_class, does not exist: backups will fail" 'install the CSI snapshot CRDs and snapshot controller (github.com/kubernetes-csi/external-snapshotter) and a VolumeSnapshotClass for your CSI driver, named at settings.storage.snapshot_class; until then backups cannot be taken'; }
qhc_pf_volume_snapshots_noDefault() { qhc_pf_line warn volume-snapshots "no VolumeSnapshotClass is marked as the default and the operator settings name none: backups will fail" 'install the CSI snapshot CRDs and snapshot controller (github.com/kubernetes-csi/external-snapshotter) and a VolumeSnapshotClass for your CSI driver, named at settings.storage.snapshot_class; until then backups cannot be taken'; }
qhc_pf_volume_snapshots_unreadable() { qhc_pf_line warn volume-snapshots "could not check the VolumeSnapshot API: ${qhc_error}" 'install the CSI snapshot CRDs and snapshot controller (github.com/kubernetes-csi/external-snapshotter) and a VolumeSnapshotClass for your CSI driver, named at settings.storage.snapshot_class; until then backups cannot be taken'; }
qhc_pf_control_plane_ok() { qhc_pf_line ok control-plane "${qhc_url} answered from here; from inside the cluster the agent's first call confirms it (qhc region get shows when it was last seen)" ''; }
qhc_pf_control_plane_fail() { qhc_pf_line fail control-plane "${qhc_url} did not answer: ${qhc_error}" 'allow outbound HTTPS (port 443, or the URL'\''s port) to the control plane, set the region'\''s proxy if one is required, and add the CA that signs the control plane'\''s certificate (or the proxy'\''s) to the region'; }
qhc_pf_control_plane_noCurl() { qhc_pf_line warn control-plane "not checked: curl is not installed here; the agent's first call will tell" 'allow outbound HTTPS (port 443, or the URL'\''s port) to the control plane, set the region'\''s proxy if one is required, and add the CA that signs the control plane'\''s certificate (or the proxy'\''s) to the region'; }
qhc_pf_cluster() {
  qhc_minimum=27
  qhc_server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null || true)
  qhc_server=${qhc_server:-the current cluster}
  if ! qhc_out=$(kubectl get --raw /version 2>&1); then
    qhc_error=${qhc_out##*$'\n'}; qhc_error=${qhc_error:0:300}
    qhc_pf_cluster_reachable_fail
    return
  fi
  qhc_pf_cluster_reachable_ok
  qhc_version=$(printf '%s\n' "$qhc_out" | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p')
  qhc_minor=$(printf '%s\n' "$qhc_version" | sed -n 's/^v\{0,1\}1\.\([0-9][0-9]*\).*/\1/p')
  if [ -n "$qhc_minor" ] && [ "$qhc_minor" -ge "$qhc_minimum" ]; then qhc_pf_kubernetes_version_ok; else qhc_pf_kubernetes_version_fail; fi
  qhc_missing=''
  for qhc_right in 'create customresourcedefinitions.apiextensions.k8s.io' 'patch customresourcedefinitions.apiextensions.k8s.io' 'create clusterroles.rbac.authorization.k8s.io' 'patch clusterroles.rbac.authorization.k8s.io' 'create clusterrolebindings.rbac.authorization.k8s.io' 'patch clusterrolebindings.rbac.authorization.k8s.io' 'create namespaces' 'patch namespaces'; do
    read -r qhc_verb qhc_resource <<<"$qhc_right"
    if ! kubectl auth can-i "$qhc_verb" "$qhc_resource" >/dev/null 2>&1; then qhc_missing="${qhc_missing:+$qhc_missing, }$qhc_right"; fi
  done
  if [ -z "$qhc_missing" ]; then qhc_pf_cluster_scope_rights_ok; else qhc_pf_cluster_scope_rights_fail; fi
  qhc_pf_storage
  qhc_pf_snapshots
}
qhc_pf_storage() {
  qhc_wanted=''
  if ! qhc_out=$(kubectl get storageclasses -o jsonpath='{range .items[*]}{.metadata.name}|{.allowVolumeExpansion}|{.metadata.annotations.storageclass\.kubernetes\.io/is-default-class}|{.metadata.annotations.storageclass\.beta\.kubernetes\.io/is-default-class}{"\n"}{end}' 2>&1); then
    qhc_error=${qhc_out##*$'\n'}; qhc_error=${qhc_error:0:300}
    qhc_pf_storage_class_unreadable
  else
    qhc_storageClass='' qhc_expansion=''
    while IFS='|' read -r qhc_name qhc_expand qhc_default qhc_beta_default; do
      if [ -n "$qhc_storageClass" ] || [ -z "$qhc_name" ]; then continue; fi
      if [ -n "$qhc_wanted" ]; then
        if [ "$qhc_name" = "$qhc_wanted" ]; then qhc_storageClass=$qhc_name qhc_expansion=$qhc_expand; fi
      elif [ "$qhc_default" = true ] || [ "$qhc_beta_default" = true ]; then qhc_storageClass=$qhc_name qhc_expansion=$qhc_expand; fi
    done <<<"$qhc_out"
    if [ -z "$qhc_storageClass" ] && [ -n "$qhc_wanted" ]; then
      qhc_storageClass=$qhc_wanted; qhc_pf_storage_class_missing
    elif [ -z "$qhc_storageClass" ]; then qhc_pf_storage_class_noDefault
    else
      if [ -n "$qhc_wanted" ]; then qhc_source='named in the operator settings'; else qhc_source='the default'; fi
      qhc_pf_storage_class_ok
      if [ "$qhc_expansion" = true ]; then qhc_pf_volume_expansion_ok; else qhc_pf_volume_expansion_warn; fi
    fi
  fi
}
qhc_pf_snapshots() {
  qhc_wanted=csi-snapclass
  if ! qhc_out=$(kubectl api-resources --api-group=snapshot.storage.k8s.io -o name 2>&1); then
    qhc_error=${qhc_out##*$'\n'}; qhc_error=${qhc_error:0:300}; qhc_pf_volume_snapshots_unreadable; return
  fi
  qhc_served=yes
  for qhc_kind in volumesnapshots volumesnapshotclasses volumesnapshotcontents; do
    case $'\n'"$qhc_out"$'\n' in *$'\n'"$qhc_kind.snapshot.storage.k8s.io"$'\n'*) ;; *) qhc_served=no ;; esac
  done
  if [ "$qhc_served" = no ]; then qhc_pf_volume_snapshots_noApi; return; fi
  if ! qhc_out=$(kubectl get volumesnapshotclasses.snapshot.storage.k8s.io -o jsonpath='{range .items[*]}{.metadata.name}|{.metadata.annotations.snapshot\.storage\.kubernetes\.io/is-default-class}{"\n"}{end}' 2>&1); then
    qhc_error=${qhc_out##*$'\n'}; qhc_error=${qhc_error:0:300}; qhc_pf_volume_snapshots_unreadable; return
  fi
  qhc_snapshotClass=''
  while IFS='|' read -r qhc_name qhc_default; do
    if [ -n "$qhc_snapshotClass" ] || [ -z "$qhc_name" ]; then continue; fi
    if [ -n "$qhc_wanted" ]; then
      if [ "$qhc_name" = "$qhc_wanted" ]; then qhc_snapshotClass=$qhc_name; fi
    elif [ "$qhc_default" = true ]; then qhc_snapshotClass=$qhc_name; fi
  done <<<"$qhc_out"
  if [ -n "$qhc_snapshotClass" ]; then qhc_pf_volume_snapshots_ok
  elif [ -n "$qhc_wanted" ]; then qhc_snapshotClass=$qhc_wanted; qhc_pf_volume_snapshots_missing
  else qhc_pf_volume_snapshots_noDefault; fi
}
qhc_pf_control_plane() {
  qhc_url=https://qhc.example.com/healthz
  if ! command -v curl >/dev/null 2>&1; then qhc_pf_control_plane_noCurl; return; fi
  qhc_curl=(curl -fsS -o /dev/null --connect-timeout 5 --max-time 15)
  qhc_curl+=(--proxy http://proxy.internal:3128)
  qhc_curl+=(--noproxy .internal)
  qhc_ca_file=$(mktemp)
  trap 'rm -f "$qhc_ca_file"' EXIT
  {
    for qhc_bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/cert.pem; do
      if [ -r "$qhc_bundle" ]; then cat "$qhc_bundle"; break; fi
    done
    cat <<'QHC_CA_END'
-----BEGIN CERTIFICATE-----
MIIBhDCCASmgAwIBAgIUc/mAiDapbSHznDWcuOEOgjEWsnswCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLcWhjLXRlc3QtY2EwIBcNMjYxMTI0MTkxNzU2WhgPMjEyNjEw
MzExOTE3NTZaMBYxFDASBgNVBAMMC3FoYy10ZXN0LWNhMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEdJl18UhS5m6/+I6KsIrR2IduD5CgXNse2S08k8JzAUsfSfB5
9FOqiKY45tYuGgC+REt0W+TPG1I50VQdRgWzRqNTMFEwHQYDVR0OBBYEFKXHyVO4
YuxBCAmCcMhIFiv3ha8lMB8GA1UdIwQYMBaAFKXHyVO4YuxBCAmCcMhIFiv3ha8l
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAMol2ABQ4l+yu4N+
n4rfbU/6zHuFtdArploYXOoFoLIDAiEAuk5ItZTOjifzDd4f/G2dZ3wACyOP1/nd
Bj50Y+oHj5g=
-----END CERTIFICATE-----
QHC_CA_END
  } >"$qhc_ca_file"
  qhc_curl+=(--cacert "$qhc_ca_file")
  if qhc_out=$("${qhc_curl[@]}" "$qhc_url" 2>&1); then
    qhc_pf_control_plane_ok
  else
    qhc_error=''
    while IFS= read -r qhc_line; do case $qhc_line in 'curl: ('*) qhc_error=${qhc_line:0:300}; break ;; esac; done <<<"$qhc_out"
    if [ -z "$qhc_error" ]; then qhc_error=${qhc_out##*$'\n'}; qhc_error=${qhc_error:0:300}; qhc_error=${qhc_error:-no answer}; fi
    qhc_pf_control_plane_fail
  fi
}
qhc_preflight() {
  echo "qhc: preflight checks (--skip-preflight skips them)"
  qhc_pf_cluster
  qhc_pf_control_plane
  if [ "$qhc_failures" -gt 0 ]; then
    echo "qhc: a preflight check failed, nothing was applied: fix it and run again, or pass --skip-preflight to install anyway" >&2
    exit 1
  fi
}
if [ -n "$qhc_skip_preflight" ]; then echo "qhc: preflight skipped (--skip-preflight)"; else qhc_preflight; fi

kubectl apply --server-side --force-conflicts --field-manager=qhc-installer -f - <<'QHC_MANIFESTS_END'
apiVersion: v1
kind: Namespace
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc
    app.kubernetes.io/part-of: qhc
    pod-security.kubernetes.io/enforce: baseline
  name: qdrant-hybrid
QHC_MANIFESTS_END
kubectl apply --server-side --force-conflicts --field-manager=qhc-installer -f - <<'QHC_MANIFESTS_END'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantclusters.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantCluster
    listKind: QdrantClusterList
    plural: qdrantclusters
    shortNames:
      - qc
      - qcs
    singular: qdrantcluster
  scope: Namespaced
  versions:
    - additionalPrinterColumns:
        - jsonPath: .spec.size
          name: Nodes
          type: integer
        - jsonPath: .spec.version
          name: Version
          type: string
        - jsonPath: .status.phase
          name: Phase
          type: string
        - jsonPath: .status.endpoint
          name: Endpoint
          priority: 1
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: Age
          type: date
      name: v1
      schema:
        openAPIV3Schema:
          description: "QdrantCluster is a Qdrant database cluster: its size, version, resources and configuration."
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                clusterManager:
                  type: boolean
                config:
                  properties:
                    audit:
                      properties:
                        dir:
                          minLength: 1
                          type: string
                        enabled:
                          default: false
                          type: boolean
                        max_log_files:
                          default: 7
                          minimum: 1
                          type: integer
                        rotation:
                          default: daily
                          enum:
                            - daily
                            - hourly
                          type: string
                        trust_forwarded_headers:
                          type: boolean
                      type: object
                    collection:
                      properties:
                        replication_factor:
                          minimum: 1
                          type: integer
                        strict_mode:
                          properties:
                            max_payload_index_count:
                              minimum: 1
                              type: integer
                          type: object
                        vectors:
                          properties:
                            on_disk:
                              type: boolean
                          type: object
                        write_consistency_factor:
                          minimum: 1
                          type: integer
                      type: object
                    inference:
                      properties:
                        enabled:
                          default: false
                          type: boolean
                      type: object
                    log_level:
                      minLength: 1
                      type: string
                    service:
                      properties:
                        api_key:
                          properties:
                            secretKeyRef:
                              properties:
                                key:
                                  maxLength: 253
                                  minLength: 1
                                  pattern: ^[-._a-zA-Z0-9]+$
                                  type: string
                                name:
                                  maxLength: 253
                                  pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                  type: string
                                optional:
                                  type: boolean
                              required:
                                - name
                                - key
                              type: object
                          required:
                            - secretKeyRef
                          type: object
                        enable_tls:
                          type: boolean
                        hide_jwt_dashboard:
                          type: boolean
                        jwt_rbac:
                          type: boolean
                        max_request_size_mb:
                          minimum: 1
                          type: integer
                        read_only_api_key:
                          properties:
                            secretKeyRef:
                              properties:
                                key:
                                  maxLength: 253
                                  minLength: 1
                                  pattern: ^[-._a-zA-Z0-9]+$
                                  type: string
                                name:
                                  maxLength: 253
                                  pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                  type: string
                                optional:
                                  type: boolean
                              required:
                                - name
                                - key
                              type: object
                          required:
                            - secretKeyRef
                          type: object
                      type: object
                    storage:
                      properties:
                        maxCollections:
                          minimum: 1
                          type: integer
                        performance:
                          properties:
                            async_scorer:
                              type: boolean
                            optimizer_cpu_budget:
                              type: integer
                          type: object
                      type: object
                    tls:
                      properties:
                        caCert:
                          properties:
                            secretKeyRef:
                              properties:
                                key:
                                  maxLength: 253
                                  minLength: 1
                                  pattern: ^[-._a-zA-Z0-9]+$
                                  type: string
                                name:
                                  maxLength: 253
                                  pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                  type: string
                                optional:
                                  type: boolean
                              required:
                                - name
                                - key
                              type: object
                          required:
                            - secretKeyRef
                          type: object
                        cert:
                          properties:
                            secretKeyRef:
                              properties:
                                key:
                                  maxLength: 253
                                  minLength: 1
                                  pattern: ^[-._a-zA-Z0-9]+$
                                  type: string
                                name:
                                  maxLength: 253
                                  pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                  type: string
                                optional:
                                  type: boolean
                              required:
                                - name
                                - key
                              type: object
                          required:
                            - secretKeyRef
                          type: object
                        key:
                          properties:
                            secretKeyRef:
                              properties:
                                key:
                                  maxLength: 253
                                  minLength: 1
                                  pattern: ^[-._a-zA-Z0-9]+$
                                  type: string
                                name:
                                  maxLength: 253
                                  pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                  type: string
                                optional:
                                  type: boolean
                              required:
                                - name
                                - key
                              type: object
                          required:
                            - secretKeyRef
                          type: object
                      type: object
                  type: object
                gpu:
                  properties:
                    allowIntegrated:
                      default: false
                      type: boolean
                    deviceFilter:
                      items:
                        type: string
                      minItems: 1
                      type: array
                    devices:
                      items:
                        type: string
                      minItems: 1
                      type: array
                    forceHalfPrecision:
                      default: false
                      type: boolean
                    gpuType:
                      enum:
                        - nvidia
                        - amd
                      type: string
                    groupsCount:
                      minimum: 1
                      type: integer
                    parallelIndexes:
                      default: 1
                      minimum: 1
                      type: integer
                  required:
                    - gpuType
                  type: object
                id:
                  maxLength: 47
                  minLength: 1
                  pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                  type: string
                image:
                  properties:
                    pullPolicy:
                      enum:
                        - Always
                        - IfNotPresent
                        - Never
                      type: string
                    pullSecretName:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                    repository:
                      minLength: 1
                      type: string
                  type: object
                ingress:
                  properties:
                    annotations:
                      additionalProperties:
                        type: string
                      type: object
                    enabled:
                      type: boolean
                    host:
                      type: string
                    ingressClassName:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                    nginx:
                      properties:
                        allowedSourceRanges:
                          items:
                            type: string
                          type: array
                        grpcHost:
                          type: string
                      type: object
                    tls:
                      type: boolean
                    tlsSecretName:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                    traefik:
                      properties:
                        allowedSourceRanges:
                          items:
                            type: string
                          type: array
                        entryPoints:
                          items:
                            type: string
                          type: array
                      type: object
                  type: object
                multiAZ:
                  default: false
                  type: boolean
                nodeSelector:
                  additionalProperties:
                    maxLength: 63
                    pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                    type: string
                  type: object
                onDemandReplication:
                  default: "Off"
                  enum:
                    - "Off"
                    - Auto
                    - "On"
                  type: string
                pauses:
                  items:
                    properties:
                      creationTimestamp:
                        type: string
                      owner:
                        type: string
                      reason:
                        type: string
                    type: object
                  type: array
                podDisruptionBudget:
                  properties:
                    maxUnavailable:
                      anyOf:
                        - type: integer
                        - type: string
                      x-kubernetes-int-or-string: true
                    minAvailable:
                      anyOf:
                        - type: integer
                        - type: string
                      x-kubernetes-int-or-string: true
                    selector:
                      properties:
                        matchExpressions:
                          items:
                            properties:
                              key:
                                type: string
                              operator:
                                enum:
                                  - In
                                  - NotIn
                                  - Exists
                                  - DoesNotExist
                                type: string
                              values:
                                items:
                                  maxLength: 63
                                  pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                                  type: string
                                type: array
                            required:
                              - key
                              - operator
                            type: object
                          type: array
                        matchLabels:
                          additionalProperties:
                            maxLength: 63
                            pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                            type: string
                          type: object
                      type: object
                    unhealthyPodEvictionPolicy:
                      enum:
                        - IfHealthyBudget
                        - AlwaysAllow
                      type: string
                  type: object
                readClusters:
                  items:
                    properties:
                      id:
                        minLength: 1
                        type: string
                    required:
                      - id
                    type: object
                  type: array
                rebalanceStrategy:
                  enum:
                    - by_count
                    - by_size
                    - by_count_and_size
                    - disabled
                  type: string
                resources:
                  properties:
                    cpu:
                      type: string
                    memory:
                      type: string
                    requests:
                      properties:
                        cpu:
                          type: string
                        memory:
                          type: string
                      type: object
                    storage:
                      type: string
                  type: object
                restartAllPodsConcurrently:
                  type: boolean
                security:
                  properties:
                    fsGroup:
                      minimum: 0
                      type: integer
                    group:
                      minimum: 0
                      type: integer
                    user:
                      minimum: 0
                      type: integer
                  type: object
                service:
                  properties:
                    annotations:
                      additionalProperties:
                        type: string
                      type: object
                    loadBalancerSourceRanges:
                      items:
                        type: string
                      type: array
                    type:
                      default: ClusterIP
                      enum:
                        - ClusterIP
                        - NodePort
                        - LoadBalancer
                      type: string
                  type: object
                servicePerNode:
                  default: true
                  type: boolean
                size:
                  maximum: 100
                  minimum: 1
                  type: integer
                startupDelaySeconds:
                  minimum: 0
                  type: integer
                statefulSet:
                  properties:
                    annotations:
                      additionalProperties:
                        type: string
                      type: object
                    pods:
                      properties:
                        annotations:
                          additionalProperties:
                            type: string
                          type: object
                        extraEnv:
                          items:
                            properties:
                              name:
                                minLength: 1
                                pattern: ^[-._a-zA-Z][-._a-zA-Z0-9]*$
                                type: string
                              value:
                                type: string
                              valueFrom:
                                properties:
                                  configMapKeyRef:
                                    properties:
                                      key:
                                        maxLength: 253
                                        minLength: 1
                                        pattern: ^[-._a-zA-Z0-9]+$
                                        type: string
                                      name:
                                        maxLength: 253
                                        pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                        type: string
                                      optional:
                                        type: boolean
                                    required:
                                      - name
                                      - key
                                    type: object
                                  fieldRef:
                                    properties:
                                      apiVersion:
                                        type: string
                                      fieldPath:
                                        minLength: 1
                                        type: string
                                    required:
                                      - fieldPath
                                    type: object
                                  resourceFieldRef:
                                    properties:
                                      containerName:
                                        type: string
                                      divisor:
                                        anyOf:
                                          - type: integer
                                          - type: string
                                        description: A Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G".
                                        x-kubernetes-int-or-string: true
                                      resource:
                                        minLength: 1
                                        type: string
                                    required:
                                      - resource
                                    type: object
                                  secretKeyRef:
                                    properties:
                                      key:
                                        maxLength: 253
                                        minLength: 1
                                        pattern: ^[-._a-zA-Z0-9]+$
                                        type: string
                                      name:
                                        maxLength: 253
                                        pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                        type: string
                                      optional:
                                        type: boolean
                                    required:
                                      - name
                                      - key
                                    type: object
                                type: object
                            required:
                              - name
                            type: object
                          type: array
                        labels:
                          additionalProperties:
                            maxLength: 63
                            pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                            type: string
                          type: object
                      type: object
                  type: object
                storage:
                  properties:
                    additionalVolumeClaimTemplates:
                      items:
                        properties:
                          metadata:
                            properties:
                              annotations:
                                additionalProperties:
                                  type: string
                                type: object
                              labels:
                                additionalProperties:
                                  maxLength: 63
                                  pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                                  type: string
                                type: object
                              name:
                                maxLength: 63
                                pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                                type: string
                            required:
                              - name
                            type: object
                          spec:
                            properties:
                              accessModes:
                                items:
                                  enum:
                                    - ReadWriteOnce
                                    - ReadOnlyMany
                                    - ReadWriteMany
                                    - ReadWriteOncePod
                                  type: string
                                type: array
                              dataSource:
                                properties:
                                  apiGroup:
                                    type: string
                                  kind:
                                    minLength: 1
                                    type: string
                                  name:
                                    minLength: 1
                                    type: string
                                required:
                                  - kind
                                  - name
                                type: object
                              dataSourceRef:
                                properties:
                                  apiGroup:
                                    type: string
                                  kind:
                                    minLength: 1
                                    type: string
                                  name:
                                    minLength: 1
                                    type: string
                                  namespace:
                                    type: string
                                required:
                                  - kind
                                  - name
                                type: object
                              resources:
                                properties:
                                  limits:
                                    additionalProperties:
                                      anyOf:
                                        - type: integer
                                        - type: string
                                      description: A Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G".
                                      x-kubernetes-int-or-string: true
                                    type: object
                                  requests:
                                    additionalProperties:
                                      anyOf:
                                        - type: integer
                                        - type: string
                                      description: A Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G".
                                      x-kubernetes-int-or-string: true
                                    type: object
                                type: object
                              selector:
                                properties:
                                  matchExpressions:
                                    items:
                                      properties:
                                        key:
                                          type: string
                                        operator:
                                          enum:
                                            - In
                                            - NotIn
                                            - Exists
                                            - DoesNotExist
                                          type: string
                                        values:
                                          items:
                                            maxLength: 63
                                            pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                                            type: string
                                          type: array
                                      required:
                                        - key
                                        - operator
                                      type: object
                                    type: array
                                  matchLabels:
                                    additionalProperties:
                                      maxLength: 63
                                      pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                                      type: string
                                    type: object
                                type: object
                              storageClassName:
                                maxLength: 253
                                pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                type: string
                              volumeAttributesClassName:
                                type: string
                              volumeMode:
                                enum:
                                  - Filesystem
                                  - Block
                                type: string
                              volumeName:
                                type: string
                            type: object
                        required:
                          - metadata
                          - spec
                        type: object
                      type: array
                    additionalVolumeMounts:
                      items:
                        properties:
                          mountPath:
                            pattern: ^\/.*
                            type: string
                          mountPropagation:
                            enum:
                              - None
                              - HostToContainer
                              - Bidirectional
                            type: string
                          name:
                            maxLength: 63
                            pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                            type: string
                          readOnly:
                            type: boolean
                          recursiveReadOnly:
                            enum:
                              - Disabled
                              - IfPossible
                              - Enabled
                            type: string
                          subPath:
                            type: string
                          subPathExpr:
                            type: string
                        required:
                          - name
                          - mountPath
                        type: object
                      type: array
                    additionalVolumes:
                      items:
                        properties:
                          awsElasticBlockStore:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          azureDisk:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          azureFile:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          cephfs:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          cinder:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          configMap:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          csi:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          downwardAPI:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          emptyDir:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          ephemeral:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          fc:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          flexVolume:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          flocker:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          gcePersistentDisk:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          gitRepo:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          glusterfs:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          hostPath:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          image:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          iscsi:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          name:
                            maxLength: 63
                            pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                            type: string
                          nfs:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          persistentVolumeClaim:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          photonPersistentDisk:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          portworxVolume:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          projected:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          quobyte:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          rbd:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          scaleIO:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          secret:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          storageos:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                          vsphereVolume:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                        required:
                          - name
                        type: object
                      type: array
                    iops:
                      minimum: 1
                      type: integer
                    throughput:
                      minimum: 1
                      type: integer
                    volumeAttributesClassName:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                    volumeSnapshotClassName:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                  type: object
                  x-kubernetes-validations:
                    - message: "spec.storage.iops is not supported by qhc: IOPS and throughput parameters are specific to each CSI driver; create a VolumeAttributesClass for your driver with the IOPS and throughput you want and set spec.storage.volumeAttributesClassName"
                      rule: "!has(self.iops)"
                    - message: "spec.storage.throughput is not supported by qhc: IOPS and throughput parameters are specific to each CSI driver; create a VolumeAttributesClass for your driver with the IOPS and throughput you want and set spec.storage.volumeAttributesClassName"
                      rule: "!has(self.throughput)"
                storageClassNames:
                  properties:
                    db:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                    snapshots:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                  type: object
                suspend:
                  default: false
                  type: boolean
                tolerations:
                  items:
                    properties:
                      effect:
                        enum:
                          - NoSchedule
                          - PreferNoSchedule
                          - NoExecute
                          - ""
                        type: string
                      key:
                        type: string
                      operator:
                        enum:
                          - Exists
                          - Equal
                        type: string
                      tolerationSeconds:
                        type: integer
                      value:
                        type: string
                    type: object
                  type: array
                topologySpreadConstraints:
                  items:
                    properties:
                      labelSelector:
                        properties:
                          matchExpressions:
                            items:
                              properties:
                                key:
                                  type: string
                                operator:
                                  enum:
                                    - In
                                    - NotIn
                                    - Exists
                                    - DoesNotExist
                                  type: string
                                values:
                                  items:
                                    maxLength: 63
                                    pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                                    type: string
                                  type: array
                              required:
                                - key
                                - operator
                              type: object
                            type: array
                          matchLabels:
                            additionalProperties:
                              maxLength: 63
                              pattern: ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
                              type: string
                            type: object
                        type: object
                      matchLabelKeys:
                        items:
                          type: string
                        type: array
                      maxSkew:
                        minimum: 1
                        type: integer
                      minDomains:
                        minimum: 1
                        type: integer
                      nodeAffinityPolicy:
                        enum:
                          - Honor
                          - Ignore
                        type: string
                      nodeTaintsPolicy:
                        enum:
                          - Honor
                          - Ignore
                        type: string
                      topologyKey:
                        type: string
                      whenUnsatisfiable:
                        enum:
                          - DoNotSchedule
                          - ScheduleAnyway
                        type: string
                    required:
                      - maxSkew
                      - topologyKey
                      - whenUnsatisfiable
                    type: object
                  type: array
                version:
                  pattern: ^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$
                  type: string
                writeCluster:
                  properties:
                    id:
                      minLength: 1
                      type: string
                  required:
                    - id
                  type: object
              required:
                - id
                - version
                - size
              type: object
              x-kubernetes-preserve-unknown-fields: true
              x-kubernetes-validations:
                - message: "spec.readClusters is not supported by qhc: its cluster manager does not synchronise read clusters; remove it (a read cluster's spec.writeCluster still opens its egress to the write cluster)"
                  rule: "!has(self.readClusters)"
            status:
              properties:
                ScaleDownNodeIndex:
                  minimum: 0
                  type: integer
                availableNodeIndexes:
                  items:
                    minimum: 0
                    type: integer
                  type: array
                availableNodes:
                  minimum: 0
                  type: integer
                clusterManagerResponse:
                  properties:
                    description:
                      type: string
                    status:
                      type: string
                  type: object
                conditions:
                  items:
                    properties:
                      lastTransitionTime:
                        format: date-time
                        type: string
                      message:
                        maxLength: 32768
                        type: string
                      observedGeneration:
                        minimum: 0
                        type: integer
                      reason:
                        maxLength: 1024
                        pattern: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$
                        type: string
                      status:
                        enum:
                          - "True"
                          - "False"
                          - Unknown
                        type: string
                      type:
                        maxLength: 316
                        pattern: ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$
                        type: string
                    required:
                      - type
                      - status
                      - lastTransitionTime
                      - reason
                      - message
                    type: object
                  type: array
                currentNodes:
                  minimum: 0
                  type: integer
                deleteInProgressNodeIndexes:
                  items:
                    minimum: 0
                    type: integer
                  type: array
                endpoint:
                  type: string
                nextClusterManagerInvocation:
                  format: date-time
                  type: string
                nodes:
                  additionalProperties:
                    properties:
                      containerStatuses:
                        items:
                          properties:
                            containerID:
                              type: string
                            image:
                              type: string
                            imageID:
                              type: string
                            lastState:
                              type: object
                              x-kubernetes-preserve-unknown-fields: true
                            name:
                              type: string
                            ready:
                              type: boolean
                            restartCount:
                              type: integer
                            started:
                              type: boolean
                            state:
                              type: object
                              x-kubernetes-preserve-unknown-fields: true
                          required:
                            - name
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
                        type: array
                      databasePVCStatus:
                        properties:
                          capacity:
                            additionalProperties:
                              anyOf:
                                - type: integer
                                - type: string
                              description: A Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G".
                              x-kubernetes-int-or-string: true
                            type: object
                          conditions:
                            items:
                              properties:
                                lastProbeTime:
                                  format: date-time
                                  type: string
                                lastTransitionTime:
                                  format: date-time
                                  type: string
                                message:
                                  type: string
                                reason:
                                  type: string
                                status:
                                  enum:
                                    - "True"
                                    - "False"
                                    - Unknown
                                  type: string
                                type:
                                  type: string
                              required:
                                - type
                                - status
                              type: object
                            type: array
                          currentVolumeAttributesClassName:
                            type: string
                          events:
                            items:
                              properties:
                                count:
                                  minimum: 0
                                  type: integer
                                firstTimestamp:
                                  format: date-time
                                  type: string
                                lastTimestamp:
                                  format: date-time
                                  type: string
                                message:
                                  type: string
                                reason:
                                  type: string
                              type: object
                            type: array
                          modifyVolumeStatus:
                            properties:
                              status:
                                enum:
                                  - Pending
                                  - InProgress
                                  - Infeasible
                                type: string
                              targetVolumeAttributesClassName:
                                type: string
                            required:
                              - status
                            type: object
                          phase:
                            enum:
                              - Pending
                              - Bound
                              - Lost
                            type: string
                          storageClassName:
                            type: string
                        type: object
                      events:
                        items:
                          properties:
                            count:
                              minimum: 0
                              type: integer
                            firstTimestamp:
                              format: date-time
                              type: string
                            lastTimestamp:
                              format: date-time
                              type: string
                            message:
                              type: string
                            reason:
                              type: string
                          type: object
                        type: array
                      liveness:
                        type: boolean
                      name:
                        type: string
                      podConditions:
                        items:
                          properties:
                            lastProbeTime:
                              format: date-time
                              type: string
                            lastTransitionTime:
                              format: date-time
                              type: string
                            message:
                              type: string
                            observedGeneration:
                              minimum: 0
                              type: integer
                            reason:
                              type: string
                            status:
                              enum:
                                - "True"
                                - "False"
                                - Unknown
                              type: string
                            type:
                              type: string
                          required:
                            - type
                            - status
                          type: object
                        type: array
                      podMessage:
                        type: string
                      podPhase:
                        enum:
                          - Pending
                          - Running
                          - Succeeded
                          - Failed
                          - Unknown
                        type: string
                      podReason:
                        type: string
                      restartCount:
                        minimum: 0
                        type: integer
                      snapshotsPVCStatus:
                        properties:
                          capacity:
                            additionalProperties:
                              anyOf:
                                - type: integer
                                - type: string
                              description: A Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G".
                              x-kubernetes-int-or-string: true
                            type: object
                          conditions:
                            items:
                              properties:
                                lastProbeTime:
                                  format: date-time
                                  type: string
                                lastTransitionTime:
                                  format: date-time
                                  type: string
                                message:
                                  type: string
                                reason:
                                  type: string
                                status:
                                  enum:
                                    - "True"
                                    - "False"
                                    - Unknown
                                  type: string
                                type:
                                  type: string
                              required:
                                - type
                                - status
                              type: object
                            type: array
                          currentVolumeAttributesClassName:
                            type: string
                          events:
                            items:
                              properties:
                                count:
                                  minimum: 0
                                  type: integer
                                firstTimestamp:
                                  format: date-time
                                  type: string
                                lastTimestamp:
                                  format: date-time
                                  type: string
                                message:
                                  type: string
                                reason:
                                  type: string
                              type: object
                            type: array
                          modifyVolumeStatus:
                            properties:
                              status:
                                enum:
                                  - Pending
                                  - InProgress
                                  - Infeasible
                                type: string
                              targetVolumeAttributesClassName:
                                type: string
                            required:
                              - status
                            type: object
                          phase:
                            enum:
                              - Pending
                              - Bound
                              - Lost
                            type: string
                          storageClassName:
                            type: string
                        type: object
                      started_at:
                        type: string
                      state:
                        additionalProperties:
                          enum:
                            - "True"
                            - "False"
                            - Unknown
                          type: string
                        type: object
                      version:
                        type: string
                      zone:
                        type: string
                    type: object
                  type: object
                observedGeneration:
                  minimum: 0
                  type: integer
                phase:
                  enum:
                    - Creating
                    - FailedToCreate
                    - Updating
                    - FailedToUpdate
                    - Scaling
                    - Upgrading
                    - Suspending
                    - Suspended
                    - FailedToSuspend
                    - Resuming
                    - FailedToResume
                    - Healthy
                    - NotReady
                    - RecoveryMode
                    - ManualMaintenance
                  type: string
                reason:
                  type: string
                scaleDownAllowed:
                  type: boolean
                selector:
                  type: string
                temporaryReplicas:
                  items:
                    properties:
                      collection:
                        type: string
                      node:
                        minimum: 0
                        type: integer
                      peerId:
                        minimum: 0
                        type: integer
                      shardId:
                        minimum: 0
                        type: integer
                      standsInFor:
                        minimum: 0
                        type: integer
                    required:
                      - node
                      - collection
                      - shardId
                      - peerId
                      - standsInFor
                    type: object
                  type: array
                version:
                  type: string
              type: object
              x-kubernetes-preserve-unknown-fields: true
          required:
            - spec
          type: object
      served: true
      storage: true
      subresources:
        scale:
          labelSelectorPath: .status.selector
          specReplicasPath: .spec.size
          statusReplicasPath: .status.currentNodes
        status: {}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantclustersnapshots.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantClusterSnapshot
    listKind: QdrantClusterSnapshotList
    plural: qdrantclustersnapshots
    shortNames:
      - qcsnap
      - qcsnaps
    singular: qdrantclustersnapshot
  scope: Namespaced
  versions:
    - additionalPrinterColumns:
        - jsonPath: .spec.cluster-id
          name: clusterid
          type: string
        - jsonPath: .status.phase
          name: Phase
          type: string
        - jsonPath: .status.retainUntil
          name: retainUntil
          type: string
        - jsonPath: .status.completionTime
          name: completion-time
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: age
          type: date
      name: v1
      schema:
        openAPIV3Schema:
          description: "QdrantClusterSnapshot is an on-demand backup of a QdrantCluster: one VolumeSnapshot per volume."
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                cluster-id:
                  minLength: 1
                  type: string
                creation-timestamp:
                  type: integer
                retention:
                  pattern: ^[0-9]+h$
                  type: string
                scheduleShortId:
                  maxLength: 8
                  type: string
              required:
                - cluster-id
              type: object
            status:
              properties:
                completedAt:
                  format: date-time
                  type: string
                completionTime:
                  type: string
                message:
                  type: string
                observedGeneration:
                  minimum: 0
                  type: integer
                phase:
                  enum:
                    - Running
                    - Skipped
                    - Failed
                    - Succeeded
                  type: string
                reason:
                  type: string
                retainUntil:
                  format: date-time
                  type: string
                startedAt:
                  format: date-time
                  type: string
                volumeSnapshots:
                  items:
                    properties:
                      error:
                        properties:
                          message:
                            type: string
                          time:
                            format: date-time
                            type: string
                        type: object
                      events:
                        items:
                          properties:
                            count:
                              minimum: 0
                              type: integer
                            firstTimestamp:
                              format: date-time
                              type: string
                            lastTimestamp:
                              format: date-time
                              type: string
                            message:
                              type: string
                            reason:
                              type: string
                          type: object
                        type: array
                      readyToUse:
                        type: boolean
                      snapshotHandle:
                        type: string
                      volumeName:
                        minLength: 1
                        type: string
                      volumeSnapshotName:
                        minLength: 1
                        type: string
                    required:
                      - volumeSnapshotName
                      - volumeName
                    type: object
                  type: array
              type: object
              x-kubernetes-preserve-unknown-fields: true
          required:
            - spec
          type: object
      served: true
      storage: true
      subresources:
        status: {}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantclusterscheduledsnapshots.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantClusterScheduledSnapshot
    listKind: QdrantClusterScheduledSnapshotList
    plural: qdrantclusterscheduledsnapshots
    shortNames:
      - qcssnap
      - qcssnaps
    singular: qdrantclusterscheduledsnapshot
  scope: Namespaced
  versions:
    - additionalPrinterColumns:
        - jsonPath: .spec.cluster-id
          name: clusterid
          type: string
        - jsonPath: .spec.scheduleShortId
          name: scheduleShortId
          type: string
        - jsonPath: .spec.schedule
          name: schedule
          type: string
        - jsonPath: .spec.retention
          name: retention
          type: string
        - jsonPath: .status.scheduled
          name: scheduled
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: age
          type: date
      name: v1
      schema:
        openAPIV3Schema:
          description: QdrantClusterScheduledSnapshot takes QdrantClusterSnapshots of a cluster on a cron schedule (UTC) and keeps them for a retention.
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                cluster-id:
                  minLength: 1
                  type: string
                retention:
                  pattern: ^[0-9]+h$
                  type: string
                schedule:
                  pattern: ^(@(annually|yearly|monthly|weekly|daily|hourly|reboot))|(@every (\d+(ns|us|µs|ms|s|m|h))+)|((((\d+,)+\d+|([\d\*]+(\/|-)\d+)|\d+|\*) ?){5,7})$
                  type: string
                scheduleShortId:
                  maxLength: 8
                  minLength: 1
                  type: string
              required:
                - cluster-id
                - scheduleShortId
                - schedule
                - retention
              type: object
            status:
              properties:
                message:
                  type: string
                phase:
                  enum:
                    - Active
                    - Disabled
                  type: string
                scheduled:
                  format: date-time
                  type: string
              type: object
          required:
            - spec
          type: object
      served: true
      storage: true
      subresources:
        status: {}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantclusterrestores.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantClusterRestore
    listKind: QdrantClusterRestoreList
    plural: qdrantclusterrestores
    shortNames:
      - qcrs
      - qcr
    singular: qdrantclusterrestore
  scope: Namespaced
  versions:
    - additionalPrinterColumns:
        - jsonPath: .status.phase
          name: Phase
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: Age
          type: date
      name: v1
      schema:
        openAPIV3Schema:
          description: QdrantClusterRestore restores a QdrantClusterSnapshot into a new or an existing QdrantCluster.
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                destination:
                  properties:
                    create:
                      type: boolean
                    name:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                    namespace:
                      maxLength: 63
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                      type: string
                  required:
                    - name
                    - namespace
                  type: object
                source:
                  properties:
                    namespace:
                      maxLength: 63
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                      type: string
                    snapshotName:
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                      type: string
                  required:
                    - snapshotName
                    - namespace
                  type: object
              required:
                - source
                - destination
              type: object
            status:
              properties:
                completedAt:
                  format: date-time
                  type: string
                message:
                  type: string
                observedGeneration:
                  minimum: 0
                  type: integer
                phase:
                  enum:
                    - Running
                    - Skipped
                    - Failed
                    - Succeeded
                    - Pending
                  type: string
                reason:
                  type: string
                restoredClaims:
                  items:
                    type: string
                  type: array
                startedAt:
                  format: date-time
                  type: string
                step:
                  enum:
                    - Suspending
                    - ReplacingVolumes
                    - Resuming
                    - Creating
                  type: string
              type: object
              x-kubernetes-preserve-unknown-fields: true
          required:
            - spec
          type: object
      served: true
      storage: true
      subresources:
        status: {}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantentities.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantEntity
    listKind: QdrantEntityList
    plural: qdrantentities
    shortNames:
      - qe
    singular: qdrantentity
  scope: Namespaced
  versions:
    - additionalPrinterColumns:
        - jsonPath: .spec.entityType
          name: EntityType
          type: string
        - jsonPath: .status.phase
          name: Phase
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: Age
          type: date
      name: v1
      schema:
        openAPIV3Schema:
          description: QdrantEntity is a generic entity synchronised with the control plane.
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                clusterId:
                  type: string
                createdAt:
                  format: date-time
                  type: string
                deletedAt:
                  format: date-time
                  type: string
                entityType:
                  type: string
                id:
                  type: string
                lastUpdatedAt:
                  format: date-time
                  type: string
                payload:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
              type: object
            status:
              properties:
                observedGeneration:
                  minimum: 0
                  type: integer
                phase:
                  enum:
                    - Creating
                    - Ready
                    - Updating
                    - Failing
                    - Deleting
                    - Deleted
                  type: string
                result:
                  properties:
                    payload:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
                    reason:
                      type: string
                    result:
                      enum:
                        - Ok
                        - Pending
                        - Error
                      type: string
                  type: object
              type: object
              x-kubernetes-preserve-unknown-fields: true
          required:
            - spec
          type: object
      selectableFields:
        - jsonPath: .spec.entityType
      served: true
      storage: true
      subresources:
        status: {}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantreleases.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantRelease
    listKind: QdrantReleaseList
    plural: qdrantreleases
    shortNames:
      - qr
      - qrs
    singular: qdrantrelease
  scope: Namespaced
  versions:
    - additionalPrinterColumns:
        - jsonPath: .spec.version
          name: Version
          type: string
        - jsonPath: .spec.default
          name: Default
          type: boolean
        - jsonPath: .spec.unavailable
          name: Unavailable
          type: boolean
        - jsonPath: .spec.endOfLife
          name: EndOfLife
          type: boolean
      name: v1
      schema:
        openAPIV3Schema:
          description: QdrantRelease is a Qdrant version that clusters may run.
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                accountIds:
                  items:
                    type: string
                  type: array
                accountPrivileges:
                  items:
                    type: string
                  type: array
                default:
                  default: false
                  type: boolean
                endOfLife:
                  default: false
                  type: boolean
                image:
                  type: string
                releaseNotesURL:
                  format: uri
                  type: string
                remarks:
                  type: string
                unavailable:
                  default: false
                  type: boolean
                version:
                  pattern: ^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$
                  type: string
              type: object
          required:
            - spec
          type: object
      served: true
      storage: true
      subresources: {}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc
    app.kubernetes.io/part-of: qhc
  name: qdrantcloudregions.qdrant.io
spec:
  group: qdrant.io
  names:
    categories:
      - qdrant
    kind: QdrantCloudRegion
    listKind: QdrantCloudRegionList
    plural: qdrantcloudregions
    shortNames:
      - region
      - regions
    singular: qdrantcloudregion
  scope: Cluster
  versions:
    - additionalPrinterColumns:
        - jsonPath: .status.k8sVersion
          name: K8s Version
          type: string
        - jsonPath: .status.phase
          name: Phase
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: Age
          type: date
      name: v1
      schema:
        openAPIV3Schema:
          description: QdrantCloudRegion is the agent's view of the Kubernetes cluster that forms a region.
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              properties:
                components:
                  items:
                    properties:
                      apiVersion:
                        minLength: 1
                        type: string
                      kind:
                        minLength: 1
                        type: string
                      markedForDeletion:
                        type: boolean
                      name:
                        minLength: 1
                        type: string
                      namespace:
                        type: string
                    required:
                      - apiVersion
                      - kind
                      - name
                      - namespace
                    type: object
                  type: array
                helmReleases:
                  items:
                    properties:
                      markedForDeletionAt:
                        type: string
                      object:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                    type: object
                  type: array
                helmRepositories:
                  items:
                    properties:
                      markedForDeletionAt:
                        type: string
                      object:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                    type: object
                  type: array
                id:
                  type: string
              type: object
            status:
              properties:
                capabilities:
                  properties:
                    volumeExpansion:
                      type: boolean
                    volumeSnapshot:
                      type: boolean
                  type: object
                components:
                  items:
                    properties:
                      message:
                        type: string
                      name:
                        type: string
                      namespace:
                        type: string
                      phase:
                        enum:
                          - Ready
                          - NotReady
                          - Unknown
                          - NotFound
                        type: string
                      version:
                        type: string
                    required:
                      - name
                    type: object
                  type: array
                conditions:
                  items:
                    properties:
                      lastTransitionTime:
                        format: date-time
                        type: string
                      message:
                        maxLength: 32768
                        type: string
                      observedGeneration:
                        minimum: 0
                        type: integer
                      reason:
                        maxLength: 1024
                        pattern: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$
                        type: string
                      status:
                        enum:
                          - "True"
                          - "False"
                          - Unknown
                        type: string
                      type:
                        maxLength: 316
                        pattern: ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$
                        type: string
                    required:
                      - type
                      - status
                      - lastTransitionTime
                      - reason
                      - message
                    type: object
                  type: array
                helmReleases:
                  items:
                    properties:
                      message:
                        type: string
                      name:
                        type: string
                      namespace:
                        type: string
                      phase:
                        enum:
                          - Ready
                          - NotReady
                          - Unknown
                          - NotFound
                        type: string
                      version:
                        type: string
                    required:
                      - name
                    type: object
                  type: array
                helmRepositories:
                  items:
                    properties:
                      message:
                        type: string
                      name:
                        type: string
                      namespace:
                        type: string
                      phase:
                        enum:
                          - Ready
                          - NotReady
                          - Unknown
                          - NotFound
                        type: string
                      version:
                        type: string
                    required:
                      - name
                    type: object
                  type: array
                k8sDistribution:
                  enum:
                    - unknown
                    - aws
                    - gcp
                    - azure
                    - do
                    - scaleway
                    - openshift
                    - linode
                    - civo
                    - oci
                    - ovhcloud
                    - stackit
                    - vultr
                    - k3s
                  type: string
                k8sVersion:
                  type: string
                message:
                  type: string
                monitoring:
                  properties:
                    cAdvisorMetricSource:
                      enum:
                        - kubelet
                        - api
                      type: string
                    nodeMetricSource:
                      enum:
                        - kubelet
                        - api
                      type: string
                  type: object
                nodeInfos:
                  items:
                    properties:
                      allocatable:
                        properties:
                          cpu:
                            type: string
                          ephemeralStorage:
                            type: string
                          memory:
                            type: string
                          pods:
                            type: string
                        required:
                          - cpu
                          - memory
                          - pods
                          - ephemeralStorage
                        type: object
                      arch:
                        type: string
                      capacity:
                        properties:
                          cpu:
                            type: string
                          ephemeralStorage:
                            type: string
                          memory:
                            type: string
                          pods:
                            type: string
                        required:
                          - cpu
                          - memory
                          - pods
                          - ephemeralStorage
                        type: object
                      instanceType:
                        type: string
                      name:
                        type: string
                      region:
                        type: string
                      zone:
                        type: string
                    required:
                      - name
                      - capacity
                      - allocatable
                    type: object
                  type: array
                numberOfNodes:
                  minimum: 0
                  type: integer
                phase:
                  enum:
                    - Ready
                    - NotReady
                    - FailedToSync
                  type: string
                storageClasses:
                  items:
                    properties:
                      allowVolumeExpansion:
                        type: boolean
                      default:
                        type: boolean
                      name:
                        type: string
                      parameters:
                        additionalProperties:
                          type: string
                        type: object
                      provisioner:
                        type: string
                      reclaimPolicy:
                        type: string
                    required:
                      - name
                      - default
                      - provisioner
                      - allowVolumeExpansion
                      - reclaimPolicy
                    type: object
                  type: array
                volumeAttributesClasses:
                  items:
                    properties:
                      driver:
                        type: string
                      name:
                        type: string
                      parameters:
                        additionalProperties:
                          type: string
                        type: object
                    required:
                      - name
                      - driver
                    type: object
                  type: array
                volumeSnapshotClasses:
                  items:
                    properties:
                      driver:
                        type: string
                      name:
                        type: string
                    required:
                      - name
                      - driver
                    type: object
                  type: array
              type: object
          required:
            - spec
          type: object
      served: true
      storage: true
      subresources:
        status: {}
QHC_MANIFESTS_END
kubectl wait --for=condition=Established --timeout=60s crd/qdrantclusters.qdrant.io crd/qdrantclustersnapshots.qdrant.io crd/qdrantclusterscheduledsnapshots.qdrant.io crd/qdrantclusterrestores.qdrant.io crd/qdrantentities.qdrant.io crd/qdrantreleases.qdrant.io crd/qdrantcloudregions.qdrant.io
kubectl apply --server-side --force-conflicts --field-manager=qhc-installer -f - <<'QHC_MANIFESTS_END'
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator
  namespace: qdrant-hybrid
automountServiceAccountToken: true
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator
  namespace: qdrant-hybrid
rules:
  - apiGroups:
      - qdrant.io
    resources:
      - qdrantclusters
      - qdrantclusters/status
      - qdrantclustersnapshots
      - qdrantclustersnapshots/status
      - qdrantclusterscheduledsnapshots
      - qdrantclusterscheduledsnapshots/status
      - qdrantclusterrestores
      - qdrantclusterrestores/status
      - qdrantentities
      - qdrantentities/status
      - qdrantreleases
      - qdrantreleases/status
      - qdrantclusters/scale
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - apps
    resources:
      - statefulsets
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - ""
    resources:
      - services
      - configmaps
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - ""
    resources:
      - pods
    verbs:
      - get
      - list
      - watch
      - delete
      - patch
  - apiGroups:
      - ""
    resources:
      - persistentvolumeclaims
    verbs:
      - get
      - list
      - watch
      - create
      - patch
      - update
      - delete
  - apiGroups:
      - ""
    resources:
      - secrets
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - networking.k8s.io
    resources:
      - networkpolicies
      - ingresses
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - policy
    resources:
      - poddisruptionbudgets
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - traefik.io
    resources:
      - ingressroutes
      - middlewares
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - snapshot.storage.k8s.io
    resources:
      - volumesnapshots
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - coordination.k8s.io
    resources:
      - leases
    verbs:
      - get
      - create
      - update
  - apiGroups:
      - events.k8s.io
    resources:
      - events
    verbs:
      - create
      - patch
      - get
      - list
      - watch
  - apiGroups:
      - ""
    resources:
      - events
    verbs:
      - get
      - list
      - watch
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator
  namespace: qdrant-hybrid
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: qhc-operator
subjects:
  - kind: ServiceAccount
    name: qhc-operator
    namespace: qdrant-hybrid
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator-qdrant-hybrid
rules:
  - apiGroups:
      - storage.k8s.io
    resources:
      - storageclasses
      - volumeattributesclasses
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - snapshot.storage.k8s.io
    resources:
      - volumesnapshotclasses
      - volumesnapshotcontents
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - ""
    resources:
      - nodes
    verbs:
      - get
      - list
      - watch
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator-qdrant-hybrid
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: qhc-operator-qdrant-hybrid
subjects:
  - kind: ServiceAccount
    name: qhc-operator
    namespace: qdrant-hybrid
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent
  namespace: qdrant-hybrid
automountServiceAccountToken: true
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent
  namespace: qdrant-hybrid
rules:
  - apiGroups:
      - qdrant.io
    resources:
      - qdrantclusters
      - qdrantclusters/status
      - qdrantclustersnapshots
      - qdrantclustersnapshots/status
      - qdrantclusterscheduledsnapshots
      - qdrantclusterscheduledsnapshots/status
      - qdrantclusterrestores
      - qdrantclusterrestores/status
      - qdrantentities
      - qdrantentities/status
      - qdrantreleases
      - qdrantreleases/status
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - ""
    resources:
      - configmaps
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - ""
    resources:
      - secrets
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - apps
    resources:
      - deployments
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - ""
    resources:
      - pods
      - persistentvolumeclaims
      - services
      - events
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - apps
    resources:
      - statefulsets
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - events.k8s.io
    resources:
      - events
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - coordination.k8s.io
    resources:
      - leases
    verbs:
      - get
      - create
      - update
  - apiGroups:
      - ""
    resources:
      - serviceaccounts
      - services
    verbs:
      - get
      - create
      - patch
  - apiGroups:
      - networking.k8s.io
    resources:
      - networkpolicies
    verbs:
      - get
      - create
      - patch
  - apiGroups:
      - rbac.authorization.k8s.io
    resourceNames:
      - qhc-operator
      - qhc-agent
    resources:
      - roles
      - rolebindings
    verbs:
      - get
      - patch
      - escalate
      - bind
  - apiGroups:
      - rbac.authorization.k8s.io
    resources:
      - roles
      - rolebindings
    verbs:
      - create
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent
  namespace: qdrant-hybrid
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: qhc-agent
subjects:
  - kind: ServiceAccount
    name: qhc-agent
    namespace: qdrant-hybrid
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent-qdrant-hybrid
rules:
  - apiGroups:
      - ""
    resources:
      - nodes
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - storage.k8s.io
    resources:
      - storageclasses
      - volumeattributesclasses
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - snapshot.storage.k8s.io
    resources:
      - volumesnapshotclasses
    verbs:
      - get
      - list
      - watch
  - apiGroups:
      - qdrant.io
    resources:
      - qdrantcloudregions
      - qdrantcloudregions/status
    verbs:
      - get
      - list
      - watch
      - create
      - update
      - patch
      - delete
  - apiGroups:
      - apiextensions.k8s.io
    resourceNames:
      - qdrantclusters.qdrant.io
      - qdrantclustersnapshots.qdrant.io
      - qdrantclusterscheduledsnapshots.qdrant.io
      - qdrantclusterrestores.qdrant.io
      - qdrantentities.qdrant.io
      - qdrantreleases.qdrant.io
      - qdrantcloudregions.qdrant.io
    resources:
      - customresourcedefinitions
    verbs:
      - get
      - update
      - patch
  - apiGroups:
      - apiextensions.k8s.io
    resources:
      - customresourcedefinitions
    verbs:
      - list
      - watch
      - create
  - apiGroups:
      - rbac.authorization.k8s.io
    resourceNames:
      - qhc-operator-qdrant-hybrid
      - qhc-agent-qdrant-hybrid
    resources:
      - clusterroles
      - clusterrolebindings
    verbs:
      - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent-qdrant-hybrid
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: qhc-agent-qdrant-hybrid
subjects:
  - kind: ServiceAccount
    name: qhc-agent
    namespace: qdrant-hybrid
---
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    qhc.dev/installation-hash: 5ef0c125e37f013a5359a3c4711f773bcb594a198cc61b13078cbe054bd4cfe0
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator-settings
  namespace: qdrant-hybrid
data:
  operator-settings.yaml: |
    settings:
      app_environment: kubernetes
      backupHistoryRetentionDays: 2
      operationTimeout: 7200
      handlerTimeout: 21600
      backupTimeout: 12600
      backOff:
        minDelay: 2
        maxDelay: 300
        increment: 5
      clusterManager:
        enable: false
        rebalanceStrategy: disabled
        image:
          repository: qdrant/qdrant-cloud-cluster-manager
          tag: ""
        pullInterval: 10
        logSize: 10
        debug: false
        node_selector: {}
        tolerations: []
      ingress:
        enabled: false
        provider: KubernetesIngress
        kubernetesIngress:
          ingressClassName: ""
        qdrantCloudTraefik:
          entryPoints: []
          tls: false
          secretName: ""
      storage:
        snapshot_class: csi-snapclass
        default_storage_class_names:
          db: ""
          snapshot: ""
      scheduling:
        default_topology_spread_constraints: []
        default_pod_disruption_budget: {}
      qdrant:
        securityContext:
          enabled: false
          user: ""
          fsGroup: ""
          group: ""
        image:
          pull_secret: ""
          pull_policy: IfNotPresent
          repository: qdrant/qdrant
        log_level: INFO
        networkPolicies:
          ingress: []
          egress:
            - to:
                - namespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: kube-system
              ports:
                - protocol: UDP
                  port: 53
---
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc
    app.kubernetes.io/part-of: qhc
  name: qhc-ca-bundle
  namespace: qdrant-hybrid
data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBhDCCASmgAwIBAgIUc/mAiDapbSHznDWcuOEOgjEWsnswCgYIKoZIzj0EAwIw
    FjEUMBIGA1UEAwwLcWhjLXRlc3QtY2EwIBcNMjYxMTI0MTkxNzU2WhgPMjEyNjEw
    MzExOTE3NTZaMBYxFDASBgNVBAMMC3FoYy10ZXN0LWNhMFkwEwYHKoZIzj0CAQYI
    KoZIzj0DAQcDQgAEdJl18UhS5m6/+I6KsIrR2IduD5CgXNse2S08k8JzAUsfSfB5
    9FOqiKY45tYuGgC+REt0W+TPG1I50VQdRgWzRqNTMFEwHQYDVR0OBBYEFKXHyVO4
    YuxBCAmCcMhIFiv3ha8lMB8GA1UdIwQYMBaAFKXHyVO4YuxBCAmCcMhIFiv3ha8l
    MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAMol2ABQ4l+yu4N+
    n4rfbU/6zHuFtdArploYXOoFoLIDAiEAuk5ItZTOjifzDd4f/G2dZ3wACyOP1/nd
    Bj50Y+oHj5g=
    -----END CERTIFICATE-----
---
apiVersion: v1
kind: Secret
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc
    app.kubernetes.io/part-of: qhc
  name: qhc-registry-creds
  namespace: qdrant-hybrid
stringData:
  .dockerconfigjson: '{"auths":{"registry.example.com":{"auth":"cm9ib3Q6czNjcmV0LXB3"}}}'
type: kubernetes.io/dockerconfigjson
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-cluster-manager
    app.kubernetes.io/part-of: qhc
  name: qhc-cluster-manager
  namespace: qdrant-hybrid
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-cluster-manager
    app.kubernetes.io/part-of: qhc
  name: qhc-cluster-manager
  namespace: qdrant-hybrid
spec:
  ports:
    - name: http
      port: 7333
      protocol: TCP
      targetPort: http
  selector:
    app.kubernetes.io/name: qhc-cluster-manager
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-cluster-manager
    app.kubernetes.io/part-of: qhc
  name: qhc-cluster-manager
  namespace: qdrant-hybrid
spec:
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - ports:
        - port: 6333
          protocol: TCP
      to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              app: qdrant
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: qhc-operator
      ports:
        - port: 7333
          protocol: TCP
  podSelector:
    matchLabels:
      app.kubernetes.io/name: qhc-cluster-manager
  policyTypes:
    - Ingress
    - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent
  namespace: qdrant-hybrid
spec:
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - ports:
        - port: 443
          protocol: TCP
        - port: 6443
          protocol: TCP
        - port: 3128
          protocol: TCP
  ingress: []
  podSelector:
    matchLabels:
      app.kubernetes.io/name: qhc-agent
  policyTypes:
    - Ingress
    - Egress
---
apiVersion: v1
kind: Secret
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent-credentials
  namespace: qdrant-hybrid
stringData:
  bootstrap-token: qhcbt_9f8e7d6c5b4a39281706f5e4d3c2b1a0
  control-plane-url: https://qhc.example.com/
type: Opaque
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-operator
    app.kubernetes.io/part-of: qhc
  name: qhc-operator
  namespace: qdrant-hybrid
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: qhc-operator
  strategy:
    type: Recreate
  template:
    metadata:
      annotations:
        qhc.dev/ca-checksum: 5bb1baa9932b8d5ee3244f10151814ef81fbcd2a25b92cb364a4dd27c17020bd
      labels:
        app.kubernetes.io/managed-by: qhc-installer
        app.kubernetes.io/name: qhc-operator
        app.kubernetes.io/part-of: qhc
    spec:
      containers:
        - args:
            - --settings
            - /etc/qhc/settings/operator-settings.yaml
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: HTTP_PROXY
              value: http://proxy.internal:3128
            - name: HTTPS_PROXY
              value: http://proxy.internal:3128
            - name: NO_PROXY
              value: .internal,kubernetes.default.svc,.svc,.cluster.local,10.0.0.0/8
            - name: NODE_EXTRA_CA_CERTS
              value: /etc/qhc/ca/ca.crt
            - name: QHC_LOG_LEVEL
              value: DEBUG
            - name: NODE_OPTIONS
              value: --max-semi-space-size=4 --max-old-space-size-percentage=50
            - name: QHC_CLUSTER_MANAGER_URL
              value: http://qhc-cluster-manager.qdrant-hybrid.svc:7333
          image: registry.example.com/qdrant/qhc-operator:2.15.0
          imagePullPolicy: IfNotPresent
          livenessProbe:
            failureThreshold: 3
            httpGet:
              path: /healthz
              port: health
            initialDelaySeconds: 15
            periodSeconds: 20
            timeoutSeconds: 5
          name: qhc-operator
          ports:
            - containerPort: 9290
              name: metrics
              protocol: TCP
            - containerPort: 8285
              name: health
              protocol: TCP
          readinessProbe:
            httpGet:
              path: /readyz
              port: health
            initialDelaySeconds: 5
            periodSeconds: 10
            timeoutSeconds: 5
          resources:
            limits:
              memory: 512Mi
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            readOnlyRootFilesystem: true
          volumeMounts:
            - mountPath: /etc/qhc/settings
              name: settings
              readOnly: true
            - mountPath: /etc/qhc/ca
              name: ca-bundle
              readOnly: true
      imagePullSecrets:
        - name: qhc-registry-creds
      securityContext:
        fsGroup: 30001
        runAsGroup: 20001
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      serviceAccountName: qhc-operator
      volumes:
        - configMap:
            name: qhc-operator-settings
          name: settings
        - configMap:
            name: qhc-ca-bundle
          name: ca-bundle
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-cluster-manager
    app.kubernetes.io/part-of: qhc
  name: qhc-cluster-manager
  namespace: qdrant-hybrid
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: qhc-cluster-manager
  strategy:
    type: Recreate
  template:
    metadata:
      annotations:
        qhc.dev/ca-checksum: 5bb1baa9932b8d5ee3244f10151814ef81fbcd2a25b92cb364a4dd27c17020bd
      labels:
        app.kubernetes.io/managed-by: qhc-installer
        app.kubernetes.io/name: qhc-cluster-manager
        app.kubernetes.io/part-of: qhc
    spec:
      automountServiceAccountToken: false
      containers:
        - args:
            - --settings
            - /etc/qhc/settings/operator-settings.yaml
            - --port
            - "7333"
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: HTTP_PROXY
              value: http://proxy.internal:3128
            - name: HTTPS_PROXY
              value: http://proxy.internal:3128
            - name: NO_PROXY
              value: .internal,kubernetes.default.svc,.svc,.cluster.local,10.0.0.0/8
            - name: NODE_EXTRA_CA_CERTS
              value: /etc/qhc/ca/ca.crt
          image: registry.example.com/qdrant/qdrant-cloud-cluster-manager:2.15.0
          imagePullPolicy: IfNotPresent
          livenessProbe:
            failureThreshold: 3
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 15
            periodSeconds: 20
            timeoutSeconds: 5
          name: qhc-cluster-manager
          ports:
            - containerPort: 7333
              name: http
              protocol: TCP
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            initialDelaySeconds: 5
            periodSeconds: 10
            timeoutSeconds: 5
          resources:
            limits:
              memory: 512Mi
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            readOnlyRootFilesystem: true
          volumeMounts:
            - mountPath: /etc/qhc/settings
              name: settings
              readOnly: true
            - mountPath: /etc/qhc/ca
              name: ca-bundle
              readOnly: true
      imagePullSecrets:
        - name: qhc-registry-creds
      securityContext:
        fsGroup: 30001
        runAsGroup: 20001
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      serviceAccountName: qhc-cluster-manager
      volumes:
        - configMap:
            name: qhc-operator-settings
          name: settings
        - configMap:
            name: qhc-ca-bundle
          name: ca-bundle
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/managed-by: qhc-installer
    app.kubernetes.io/name: qhc-agent
    app.kubernetes.io/part-of: qhc
  name: qhc-agent
  namespace: qdrant-hybrid
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: qhc-agent
  strategy:
    type: Recreate
  template:
    metadata:
      annotations:
        qhc.dev/ca-checksum: 5bb1baa9932b8d5ee3244f10151814ef81fbcd2a25b92cb364a4dd27c17020bd
      labels:
        app.kubernetes.io/managed-by: qhc-installer
        app.kubernetes.io/name: qhc-agent
        app.kubernetes.io/part-of: qhc
    spec:
      containers:
        - args: []
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: HTTP_PROXY
              value: http://proxy.internal:3128
            - name: HTTPS_PROXY
              value: http://proxy.internal:3128
            - name: NO_PROXY
              value: .internal,kubernetes.default.svc,.svc,.cluster.local,10.0.0.0/8
            - name: NODE_EXTRA_CA_CERTS
              value: /etc/qhc/ca/ca.crt
            - name: QHC_LOG_LEVEL
              value: WARN
            - name: QHC_CONTROL_PLANE_URL
              valueFrom:
                secretKeyRef:
                  key: control-plane-url
                  name: qhc-agent-credentials
            - name: QHC_BOOTSTRAP_TOKEN
              valueFrom:
                secretKeyRef:
                  key: bootstrap-token
                  name: qhc-agent-credentials
            - name: QHC_REGION
              value: prod-eu
          image: registry.example.com/qdrant/qhc-agent:1.4.2
          imagePullPolicy: IfNotPresent
          name: qhc-agent
          ports: []
          resources:
            limits:
              memory: 512Mi
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            readOnlyRootFilesystem: true
          volumeMounts:
            - mountPath: /tmp
              name: tmp
            - mountPath: /etc/qhc/ca
              name: ca-bundle
              readOnly: true
      imagePullSecrets:
        - name: qhc-registry-creds
      securityContext:
        fsGroup: 30001
        runAsGroup: 20001
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      serviceAccountName: qhc-agent
      volumes:
        - emptyDir: {}
          name: tmp
        - configMap:
            name: qhc-ca-bundle
          name: ca-bundle
QHC_MANIFESTS_END
kubectl -n qdrant-hybrid rollout status deployment/qhc-operator --timeout=300s
kubectl -n qdrant-hybrid rollout status deployment/qhc-agent --timeout=300s
kubectl -n qdrant-hybrid rollout status deployment/qhc-cluster-manager --timeout=300s
echo "qhc: region prod-eu installed; the agent connects to the control plane on its own."
