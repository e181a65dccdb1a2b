// Paths of the fields rules and features talk about, named once.
import type { JsonPath } from '../ast';

const CONNECTION = ['identityStoreDetails', 'connectionDetails'] as const;

export const PATHS = {
  id: ['id'],
  title: ['title'],
  loginURL: ['loginURL'],
  identityStoreDetails: ['identityStoreDetails'],
  type: ['identityStoreDetails', 'type'],
  connectionDetails: CONNECTION,
  domain: [...CONNECTION, 'domain'],
  applicationId: [...CONNECTION, 'applicationId'],
  entityType: [...CONNECTION, 'entityType'],
  clientId: [...CONNECTION, 'clientId'],
  clientSecret: [...CONNECTION, 'clientSecret'],
  customClaims: ['customClaims'],
  links: ['_links'],
  selfHref: ['_links', 'self', 'href'],
} as const satisfies Record<string, JsonPath>;

/** True when `path` is `prefix` or below it. */
export function isUnder(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}
