// A minimal type for the parts of plotly.js-dist-min that figure.ts uses (its own
// declarations pull in a large generated schema; this keeps our surface explicit).
declare module "plotly.js-dist-min" {
  export function newPlot(root: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
  export function react(root: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
  export function purge(root: HTMLElement): void;
  export function toImage(
    root: HTMLElement | {data: unknown[]; layout?: Record<string, unknown>},
    options: {format: "png" | "svg" | "jpeg" | "webp"; width?: number; height?: number; scale?: number}
  ): Promise<string>;
  const Plotly: {
    newPlot: typeof newPlot; react: typeof react; purge: typeof purge; toImage: typeof toImage;
  };
  export default Plotly;
}
