// Types of src/lessons/benchTable.js (plain JS so that bench/run.mjs reads it as is).
export interface TableCell {kernel: string; backend: string; L: number; ms: number | null; jsMs: number | null; env?: string}
export interface Table {header: string[]; rows: string[][]}
export function fmtMs(ms: number | null | undefined): string;
export function fmtRatio(ms: number | null | undefined, js: number | null | undefined): string;
export function benchTable(cells: readonly TableCell[], sizes?: readonly number[]): Table;
export function textTable(table: Table): string;
