// Types of src/components/themeScript.js (plain JS: its source is inlined in every page's <head>).
export const THEME_KEY: string;
export function resolveTheme(stored: string | null | undefined, systemDark: boolean): {choice: "auto" | "light" | "dark"; theme: "light" | "dark"};
export function installTheme(key: string): void;
export function themeScript(): string;
