import type { UserConfig } from 'vitest/config';

export declare function defineQhcConfig(overrides?: UserConfig): UserConfig;
