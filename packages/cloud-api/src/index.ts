export { http } from './generated/google/api/annotations_pb.ts';
