import type { Region } from '@qhc/schemas';
import {
  INSTALL_CLUSTER_RIGHTS,
  MIN_KUBERNETES_MINOR,
  PREFLIGHT_CHECKS,
  SNAPSHOT_API_GROUP,
  SNAPSHOT_API_RESOURCES,
  controlPlaneHealthUrl,
  preflightTargets,
} from './preflight.ts';
import { shellWord } from './release.ts';

// The preflight checks of preflight.ts as bash, for the installation script. Every finding
// becomes a function (qhc_pf_<check>_<outcome>) printing the same line formatPreflightLine
// prints in TypeScript; the gathering below only decides which one to call.

const CA_HEREDOC = 'QHC_CA_END';

/** What the script (and `qhc region preflight`) says when a check failed. */
export const PREFLIGHT_STOP_MESSAGE = 'a preflight check failed, nothing was applied: fix it and run again, or pass --skip-preflight to install anyway';

/** A template as a double-quoted bash word: {name} becomes ${qhc_name}, nothing else expands. */
function bashTemplate(text: string): string {
  const escaped = text.replaceAll(/[\\"$`]/g, (c) => `\\${c}`);
  return `"${escaped.replaceAll(/\{(\w+)\}/g, (_, name: string) => `\${qhc_${name}}`)}"`;
}

const fn = (id: string, outcome: string) => `qhc_pf_${id.replaceAll('-', '_')}_${outcome}`;

function outcomeFunctions(): string[] {
  const lines = [
    '# One line per check: ok, warn or FAIL, the finding, and for warnings and failures the fix.',
    'qhc_failures=0',
    'qhc_pf_line() {',
    '  if [ "$1" = ok ]; then printf \'ok   %s: %s\\n\' "$2" "$3"; return; fi',
    '  if [ "$1" = fail ]; then qhc_failures=$((qhc_failures + 1)); printf \'FAIL %s: %s. Fix: %s\\n\' "$2" "$3" "$4"; return; fi',
    '  printf \'warn %s: %s. Fix: %s\\n\' "$2" "$3" "$4"',
    '}',
  ];
  for (const check of PREFLIGHT_CHECKS) {
    for (const [outcome, finding] of Object.entries(check.findings)) {
      const fix = finding.status === 'ok' ? "''" : shellWord(check.fix);
      lines.push(`${fn(check.id, outcome)}() { qhc_pf_line ${finding.status} ${check.id} ${bashTemplate(finding.text)} ${fix}; }`);
    }
  }
  return lines;
}

// The last line of a command's output: kubectl and curl put the reason there.
const LAST_LINE = "qhc_error=${qhc_out##*$'\\n'}; qhc_error=${qhc_error:0:300}";

function clusterChecks(): string[] {
  const rights = INSTALL_CLUSTER_RIGHTS.map((r) => shellWord(`${r.verb} ${r.resource}`)).join(' ');
  return [
    `  qhc_minimum=${MIN_KUBERNETES_MINOR}`,
    "  qhc_server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null || true)",
    '  qhc_server=${qhc_server:-the current cluster}',
    '  if ! qhc_out=$(kubectl get --raw /version 2>&1); then',
    `    ${LAST_LINE}`,
    `    ${fn('cluster-reachable', 'fail')}`,
    '    return',
    '  fi',
    `  ${fn('cluster-reachable', 'ok')}`,
    '  qhc_version=$(printf \'%s\\n\' "$qhc_out" | sed -n \'s/.*"gitVersion": *"\\([^"]*\\)".*/\\1/p\')',
    "  qhc_minor=$(printf '%s\\n' \"$qhc_version\" | sed -n 's/^v\\{0,1\\}1\\.\\([0-9][0-9]*\\).*/\\1/p')",
    `  if [ -n "$qhc_minor" ] && [ "$qhc_minor" -ge "$qhc_minimum" ]; then ${fn('kubernetes-version', 'ok')}; else ${fn('kubernetes-version', 'fail')}; fi`,
    "  qhc_missing=''",
    `  for qhc_right in ${rights}; do`,
    '    read -r qhc_verb qhc_resource <<<"$qhc_right"',
    '    if ! kubectl auth can-i "$qhc_verb" "$qhc_resource" >/dev/null 2>&1; then qhc_missing="${qhc_missing:+$qhc_missing, }$qhc_right"; fi',
    '  done',
    `  if [ -z "$qhc_missing" ]; then ${fn('cluster-scope-rights', 'ok')}; else ${fn('cluster-scope-rights', 'fail')}; fi`,
  ];
}

function storageChecks(wanted: string): string[] {
  // Fields split on "|", not tabs: a tab is IFS whitespace, so an empty field between two tabs
  // would vanish and shift the rest. Name and boolean first (they cannot hold a "|").
  const jsonpath =
    '{range .items[*]}{.metadata.name}|{.allowVolumeExpansion}|{.metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class}|{.metadata.annotations.storageclass\\.beta\\.kubernetes\\.io/is-default-class}{"\\n"}{end}';
  return [
    `  qhc_wanted=${shellWord(wanted) || "''"}`,
    `  if ! qhc_out=$(kubectl get storageclasses -o jsonpath=${shellWord(jsonpath)} 2>&1); then`,
    `    ${LAST_LINE}`,
    `    ${fn('storage-class', 'unreadable')}`,
    '  else',
    "    qhc_storageClass='' qhc_expansion=''",
    "    while IFS='|' read -r qhc_name qhc_expand qhc_default qhc_beta_default; do",
    '      if [ -n "$qhc_storageClass" ] || [ -z "$qhc_name" ]; then continue; fi',
    '      if [ -n "$qhc_wanted" ]; then',
    '        if [ "$qhc_name" = "$qhc_wanted" ]; then qhc_storageClass=$qhc_name qhc_expansion=$qhc_expand; fi',
    '      elif [ "$qhc_default" = true ] || [ "$qhc_beta_default" = true ]; then qhc_storageClass=$qhc_name qhc_expansion=$qhc_expand; fi',
    '    done <<<"$qhc_out"',
    '    if [ -z "$qhc_storageClass" ] && [ -n "$qhc_wanted" ]; then',
    `      qhc_storageClass=$qhc_wanted; ${fn('storage-class', 'missing')}`,
    `    elif [ -z "$qhc_storageClass" ]; then ${fn('storage-class', 'noDefault')}`,
    '    else',
    "      if [ -n \"$qhc_wanted\" ]; then qhc_source='named in the operator settings'; else qhc_source='the default'; fi",
    `      ${fn('storage-class', 'ok')}`,
    `      if [ "$qhc_expansion" = true ]; then ${fn('volume-expansion', 'ok')}; else ${fn('volume-expansion', 'warn')}; fi`,
    '    fi',
    '  fi',
  ];
}

function snapshotChecks(wanted: string): string[] {
  const jsonpath = '{range .items[*]}{.metadata.name}|{.metadata.annotations.snapshot\\.storage\\.kubernetes\\.io/is-default-class}{"\\n"}{end}';
  return [
    `  qhc_wanted=${shellWord(wanted) || "''"}`,
    // api-resources asks the apiserver afresh (no cached discovery): a CRD deleted a moment ago is gone.
    `  if ! qhc_out=$(kubectl api-resources --api-group=${SNAPSHOT_API_GROUP} -o name 2>&1); then`,
    `    ${LAST_LINE}; ${fn('volume-snapshots', 'unreadable')}; return`,
    '  fi',
    '  qhc_served=yes',
    `  for qhc_kind in ${SNAPSHOT_API_RESOURCES.join(' ')}; do`,
    `    case $'\\n'"$qhc_out"$'\\n' in *$'\\n'"$qhc_kind.${SNAPSHOT_API_GROUP}"$'\\n'*) ;; *) qhc_served=no ;; esac`,
    '  done',
    `  if [ "$qhc_served" = no ]; then ${fn('volume-snapshots', 'noApi')}; return; fi`,
    `  if ! qhc_out=$(kubectl get volumesnapshotclasses.${SNAPSHOT_API_GROUP} -o jsonpath=${shellWord(jsonpath)} 2>&1); then`,
    `    ${LAST_LINE}; ${fn('volume-snapshots', 'unreadable')}; return`,
    '  fi',
    "  qhc_snapshotClass=''",
    "  while IFS='|' read -r qhc_name qhc_default; do",
    '    if [ -n "$qhc_snapshotClass" ] || [ -z "$qhc_name" ]; then continue; fi',
    '    if [ -n "$qhc_wanted" ]; then',
    '      if [ "$qhc_name" = "$qhc_wanted" ]; then qhc_snapshotClass=$qhc_name; fi',
    '    elif [ "$qhc_default" = true ]; then qhc_snapshotClass=$qhc_name; fi',
    '  done <<<"$qhc_out"',
    `  if [ -n "$qhc_snapshotClass" ]; then ${fn('volume-snapshots', 'ok')}`,
    `  elif [ -n "$qhc_wanted" ]; then qhc_snapshotClass=$qhc_wanted; ${fn('volume-snapshots', 'missing')}`,
    `  else ${fn('volume-snapshots', 'noDefault')}; fi`,
  ];
}

/** curl through the region's proxy, trusting the region's CA on top of the system's. */
function controlPlaneCheck(region: Region, controlPlaneUrl: string): string[] {
  const proxy = region.advanced.proxy;
  const proxyUrl = proxy?.httpsProxy ?? proxy?.httpProxy;
  const ca = region.advanced.caCertificate;
  if (ca?.split('\n').includes(CA_HEREDOC)) throw new Error('the CA certificate contains the here-document delimiter');
  const lines = [
    `  qhc_url=${shellWord(controlPlaneHealthUrl(controlPlaneUrl))}`,
    `  if ! command -v curl >/dev/null 2>&1; then ${fn('control-plane', 'noCurl')}; return; fi`,
    '  qhc_curl=(curl -fsS -o /dev/null --connect-timeout 5 --max-time 15)',
  ];
  if (proxyUrl) lines.push(`  qhc_curl+=(--proxy ${shellWord(proxyUrl)})`);
  if (proxy && proxy.noProxy.length > 0) lines.push(`  qhc_curl+=(--noproxy ${shellWord(proxy.noProxy.join(','))})`);
  if (ca) {
    lines.push(
      '  qhc_ca_file=$(mktemp)',
      '  trap \'rm -f "$qhc_ca_file"\' EXIT',
      '  {',
      '    for qhc_bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/cert.pem; do',
      '      if [ -r "$qhc_bundle" ]; then cat "$qhc_bundle"; break; fi',
      '    done',
      `    cat <<'${CA_HEREDOC}'`,
      `${ca.trimEnd()}`,
      CA_HEREDOC,
      '  } >"$qhc_ca_file"',
      '  qhc_curl+=(--cacert "$qhc_ca_file")',
    );
  }
  lines.push(
    '  if qhc_out=$("${qhc_curl[@]}" "$qhc_url" 2>&1); then',
    `    ${fn('control-plane', 'ok')}`,
    '  else',
    // curl's reason is its "curl: (N) …" line; what follows it (for a certificate) is advice.
    "    qhc_error=''",
    '    while IFS= read -r qhc_line; do case $qhc_line in \'curl: (\'*) qhc_error=${qhc_line:0:300}; break ;; esac; done <<<"$qhc_out"',
    `    if [ -z "$qhc_error" ]; then ${LAST_LINE}; qhc_error=\${qhc_error:-no answer}; fi`,
    `    ${fn('control-plane', 'fail')}`,
    '  fi',
  );
  return lines;
}

/**
 * The preflight as bash: functions, then `qhc_preflight`, which prints one line per check and
 * exits 1 before anything is applied when a check failed. Hard failures: no cluster, an
 * unsupported version, no cluster-scope rights, no usable StorageClass, no control plane.
 */
export function renderPreflight(region: Region, controlPlaneUrl: string): string {
  const targets = preflightTargets(region, controlPlaneUrl);
  return [
    ...outcomeFunctions(),
    'qhc_pf_cluster() {',
    ...clusterChecks(),
    '  qhc_pf_storage',
    '  qhc_pf_snapshots',
    '}',
    'qhc_pf_storage() {',
    ...storageChecks(targets.storageClass),
    '}',
    'qhc_pf_snapshots() {',
    ...snapshotChecks(targets.snapshotClass),
    '}',
    'qhc_pf_control_plane() {',
    ...controlPlaneCheck(region, controlPlaneUrl),
    '}',
    'qhc_preflight() {',
    '  echo "qhc: preflight checks (--skip-preflight skips them)"',
    '  qhc_pf_cluster',
    '  qhc_pf_control_plane',
    '  if [ "$qhc_failures" -gt 0 ]; then',
    `    echo "qhc: ${PREFLIGHT_STOP_MESSAGE}" >&2`,
    '    exit 1',
    '  fi',
    '}',
  ].join('\n');
}
