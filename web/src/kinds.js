// The kinds the server follows, with the names kubectl knows them by, read once (ui/kinds.json): so every
// page names an object's kind the same way ("Deployment frontend"), whichever name its URL used
// (Deployment.apps, deployments, deploy). Without it, the URL's own word is shown.
import { getJson } from './api.js';

let known = [];

export async function loadKinds() {
  try {
    known = (await getJson('ui/kinds.json')).kinds ?? [];
  } catch {
    known = [];
  }
}

/** The kind a resource word names: Kind, Kind.group, plural, plural.group, singular or short name. */
export function findKind(word) {
  if (!word) return undefined;
  const lower = word.toLowerCase();
  const exact = (k) => [k.kind.toLowerCase(), k.resource, k.singular, ...(k.shortNames ?? [])].includes(lower);
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const [head, group] = [lower.slice(0, dot), lower.slice(dot + 1)];
    const grouped = known.find((k) => k.group === group && [k.kind.toLowerCase(), k.resource, k.singular].includes(head));
    if (grouped) return grouped;
  }
  // Core kinds first, as kubectl resolves a bare name.
  return known.find((k) => k.group === '' && exact(k)) ?? known.find(exact);
}

/** How a page names the kind of a ref: its Kind, else the word its URL used. */
export function kindName(ref) {
  return ref.kind ?? findKind(ref.resource)?.kind ?? ref.resource.split('.')[0];
}
