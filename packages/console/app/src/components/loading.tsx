export const Loading = ({ what }: { what: string }) => <p role="status">Loading {what}…</p>;
