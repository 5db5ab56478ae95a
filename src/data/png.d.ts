// Types of src/data/png.js (a plain-JS module used by the data loaders, and by the unit tests).
export interface DecodedPng { width: number; height: number; channels: number; pixels: Uint8Array }
export function decodePng(buf: Uint8Array): DecodedPng;
export function grayInk(png: DecodedPng, block?: number): {H: number; W: number; values: number[]};
