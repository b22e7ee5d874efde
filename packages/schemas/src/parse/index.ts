export { createParser, type ParseOptions, type Parser, type SafeParseResult } from './create-parser.ts';
export { QhcSchemaError, formatPath, formatProblem, type Problem } from './problem.ts';
export { readSource, type PathSegment, type SourceDocument, type SourcePosition } from './source.ts';
export { MAX_SOURCE_DEPTH, MAX_SOURCE_LENGTH } from './source-limits.ts';
export { closestMatch } from './suggest.ts';
