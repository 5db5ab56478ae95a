// Types of src/runtime/urlGuard.js (plain JS: its source is inlined in every page's <head>).
export interface UrlNote { key: string; text: string }
export function sanitizeSearch(search: string): {search: string; notes: UrlNote[]};
export function urlGuardScript(): string;
