// The workspace's boundaries, checked by `pnpm lint` (dependency-cruiser). Data flows one way:
// schemas → manifests → kube → apps. Imports between workspace packages resolve through their
// package `exports` to the imported package's folder, so the rules are written on folders.
const src = '^(apps|packages)/[^/]+/(src|app)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'packages-never-import-apps',
      comment: 'A package is a library the apps share; it never depends on an app.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-never-import-each-other',
      comment: 'Apps talk to each other over the wire contract in @qhc/schemas, never by importing code.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'schemas-is-the-bottom-layer',
      comment: '@qhc/schemas depends on no other workspace package.',
      severity: 'error',
      from: { path: '^packages/schemas/' },
      to: { path: '^(packages/(?!schemas/)|tooling/(?!tsconfig|tsup|vitest))' },
    },
    {
      name: 'cloud-api-is-a-contract',
      comment: '@qhc/cloud-api (the protos and their generated code) depends on no other workspace package.',
      severity: 'error',
      from: { path: '^packages/cloud-api/' },
      to: { path: '^(packages/(?!cloud-api/)|apps/|tooling/(?!tsconfig|tsup|vitest))' },
    },
    {
      name: 'manifests-are-pure-builders',
      comment: '@qhc/manifests builds objects from schemas; no client, no Qdrant calls, no console.',
      severity: 'error',
      from: { path: '^packages/manifests/src/' },
      to: { path: '^packages/(kube|qdrant|console)/' },
    },
    {
      name: 'kube-does-not-build-objects',
      comment: '@qhc/kube is the client layer; it knows schemas, not builders, Qdrant or the console.',
      severity: 'error',
      from: { path: '^packages/kube/src/' },
      to: { path: '^packages/(manifests|qdrant|console)/' },
    },
    {
      name: 'console-runs-in-a-browser',
      comment: 'The console ships to browsers: only the wire contract, never Node-side packages.',
      severity: 'error',
      from: { path: '^packages/console/' },
      to: { path: '^packages/(manifests|kube|qdrant)/' },
    },
    {
      name: 'console-app-imports-no-node',
      comment: 'The console app runs in the browser and speaks the Cloud API through connect-web: no Node built-ins, no Node-side transport or HTTP client.',
      severity: 'error',
      from: { path: '^packages/console/app/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'console-app-imports-no-node-packages',
      comment: 'connect-node, undici and the control plane are Node-side; the console reaches the control plane only over HTTP.',
      severity: 'error',
      from: { path: '^packages/console/app/' },
      to: { path: ['node_modules/(@connectrpc/connect-node|undici|@qhc/control-plane)/', '^apps/'] },
    },
    {
      name: 'shipped-code-never-imports-test-tooling',
      comment: 'The sandbox, the Qdrant double and the demo are for tests and development only.',
      severity: 'error',
      from: { path: src },
      to: { path: '^tooling/(kube-sandbox|qdrant-double|demo|images|helm)/' },
    },
    {
      name: 'declared-dependencies-only',
      comment: "An import of a package the importer's package.json does not declare works only by hoisting luck.",
      severity: 'error',
      from: { path: '^(apps|packages|tooling|tests)/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'resolvable-imports-only',
      comment: 'An import nothing resolves (an undeclared workspace package, a typo) fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'shipped-code-uses-runtime-dependencies',
      comment:
        'What ships imports only dependencies, never devDependencies (absent from an installed package). The CLI and the console ship bundled, so their bundler takes devDependencies.',
      severity: 'error',
      from: { path: src, pathNot: '^(apps/cli|packages/console)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    // dist folders are where other workspace packages resolve to: listed as targets, never walked.
    doNotFollow: { path: '(^|/)(node_modules|dist)/' },
    exclude: { path: '(^|/)(generated|reports)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'], mainFields: ['module', 'main', 'types'] },
  },
};
