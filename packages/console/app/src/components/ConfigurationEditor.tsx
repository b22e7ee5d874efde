import { lazy, Suspense, useDeferredValue, useMemo } from 'react';
import type { DescMessage } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import type { Problem } from '@qhc/schemas';
import { parseMessageYaml } from '../lib/message-yaml.ts';
import { describeProblem, problemsToDiagnostics } from '../lib/problems.ts';

const YamlEditor = lazy(() => import('./YamlEditor.tsx'));

/** What is wrong with the configuration text, checked as the user types (deferred). */
export function useConfigurationProblems(text: string, schema: DescMessage = hybridV1.HybridCloudEnvironmentConfigurationSchema): Problem[] {
  const deferred = useDeferredValue(text);
  return useMemo(() => parseMessageYaml(schema, deferred).problems, [deferred, schema]);
}

/** A configuration as YAML (the environment's by default), its problems underlined at their line and listed below. */
export function ConfigurationEditor({
  value,
  onChange,
  problems,
  label = 'Environment configuration (YAML)',
  id = 'configuration',
}: {
  value: string;
  onChange: (v: string) => void;
  problems: Problem[];
  label?: string;
  id?: string;
}) {
  const diagnostics = useMemo(() => problemsToDiagnostics(value, problems), [value, problems]);
  return (
    <div className="field">
      <span className="label" id={`${id}-label`}>
        {label}
      </span>
      <Suspense fallback={<p role="status">Loading the editor…</p>}>
        <YamlEditor value={value} onChange={onChange} diagnostics={diagnostics} labelledBy={`${id}-label`} describedBy={`${id}-problems`} />
      </Suspense>
      <div id={`${id}-problems`} aria-live="polite">
        {problems.length > 0 ? (
          <ul className="problems" aria-label={`Problems in the ${label.replace(/ \(YAML\)$/, '').toLowerCase()}`}>
            {problems.map((p, i) => (
              <li key={i}>{describeProblem(p)}</li>
            ))}
          </ul>
        ) : (
          <p className="hint">The configuration is well-formed; the control plane checks its values.</p>
        )}
      </div>
    </div>
  );
}
