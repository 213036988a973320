import type { Review } from "../review-types.js";

export function renderJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}
