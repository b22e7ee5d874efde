import type { Options } from 'tsup';

export declare function library(extra?: Options): Options;
export declare function app(extra?: Options): Options;
