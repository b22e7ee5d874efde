import type { DescService } from '@bufbuild/protobuf';
import type { ConnectRouter, ServiceImpl } from '@connectrpc/connect';
import { accountV1, authV1, backupV1, bookingV1, clusterV1, databaseApiKeyV2, hybridV1, iamV1, qhcV1 } from '@qhc/cloud-api';
import { accountService } from './account/account-service.ts';
import { auditLogService } from './audit/service.ts';
import { authService } from './auth-service.ts';
import { backupService } from './backup/backup-service.ts';
import { bookingService } from './booking/booking-service.ts';
import { clusterService } from './cluster/cluster-service.ts';
import type { CloudDeps } from './context.ts';
import { databaseApiKeyService } from './database-api-keys/service.ts';
import { hybridCloudService } from './hybrid/service.ts';
import { accountAccessService } from './qhc/account-access.ts';
import { accountBillingService } from './qhc/billing.ts';
import { iamService } from './iam/iam-service.ts';
import { clusterEventService } from './qhc/cluster-event-service.ts';
import { clusterExtensionService } from './qhc/cluster-extension-service.ts';
import { environmentAgentService } from './qhc/environment-service.ts';
import { managementKeyRoleService } from './qhc/management-key-roles.ts';
import { sessionService } from './qhc/session-service.ts';
import { ssoService } from './sso/sso-service.ts';

/** A Cloud API service: its descriptor and how to make its implementation. */
export interface CloudService {
  readonly service: DescService;
  register(router: ConnectRouter, deps: CloudDeps): void;
}

/** Pairs a descriptor with its implementation, type-checked against each other. */
export function cloudService<S extends DescService>(service: S, implementation: (deps: CloudDeps) => Partial<ServiceImpl<S>>): CloudService {
  return { service, register: (router, deps) => router.service(service, implementation(deps)) };
}

/**
 * Every service the Cloud API serves (gRPC, gRPC-Web, Connect, and the REST gateway and
 * OpenAPI document generated from their descriptors). Serving another is one line here.
 */
export const CLOUD_SERVICES: readonly CloudService[] = [
  cloudService(authV1.AuthService, authService),
  cloudService(clusterV1.ClusterService, clusterService),
  cloudService(bookingV1.BookingService, bookingService),
  cloudService(hybridV1.HybridCloudService, hybridCloudService),
  cloudService(backupV1.BackupService, backupService),
  cloudService(qhcV1.SessionService, sessionService),
  cloudService(qhcV1.EnvironmentAgentService, environmentAgentService),
  cloudService(qhcV1.ClusterEventService, clusterEventService),
  cloudService(qhcV1.ClusterExtensionService, clusterExtensionService),
  cloudService(databaseApiKeyV2.DatabaseApiKeyService, databaseApiKeyService),
  cloudService(qhcV1.AuditLogService, auditLogService),
  cloudService(accountV1.AccountService, accountService),
  cloudService(qhcV1.AccountAccessService, accountAccessService),
  cloudService(qhcV1.AccountBillingService, accountBillingService),
  cloudService(iamV1.IAMService, iamService),
  cloudService(qhcV1.ManagementKeyRoleService, managementKeyRoleService),
  cloudService(qhcV1.SsoService, ssoService),
];

export const registerCloudServices =
  (deps: CloudDeps, services: readonly CloudService[] = CLOUD_SERVICES) =>
  (router: ConnectRouter) => {
    for (const entry of services) entry.register(router, deps);
  };
