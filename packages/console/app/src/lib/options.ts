// Choices the forms offer, kept here rather than imported from @qhc/schemas so the pages that
// only show them do not load the validation chunk; test/lib.test.ts holds them to the schemas.
export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
