// Types of src/walk.js (plain JS so that Framework's config and data loaders read it as is).
export interface WalkStep {
  /** the page's path, e.g. "/continuous" */
  path: string;
  /** the navigation entry, e.g. "1. The state equation" */
  name: string;
  /** the home page's box title */
  title: string;
  /** one line of math or a phrase under the title */
  gist: string;
}
export const walk: WalkStep[];
