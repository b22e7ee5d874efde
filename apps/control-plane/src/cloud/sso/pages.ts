import type { Reply } from '../../api/http.ts';

// What a browser is shown when a sign-in through a provider cannot finish: a page naming the
// problem (never a token or code), and nothing a script could run.

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function problemPage(status: number, title: string, message: string, headers: Record<string, string | string[]> = {}): Reply {
  return {
    status,
    type: 'text/html; charset=utf-8',
    headers: { 'content-security-policy': "default-src 'none'", ...headers },
    text: [
      '<!doctype html>',
      `<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`,
      `<body><h1>${escape(title)}</h1><p>${escape(message)}</p><p><a href="/">Back to the sign-in page</a></p></body></html>`,
      '',
    ].join('\n'),
  };
}
