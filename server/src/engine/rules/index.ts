// The static registry of rules, sorted by id. Every rule is imported here by name, so bundling stays trivial
// and a rule cannot exist without being registered (a meta test checks ids, files, docs and tests agree).
import { compareIds } from '../finding';
import type { Rule } from '../rule';
import analysisLimit from './analysis-limit';
import clientsOnReplacedPolicy from './clients-on-replaced-policy';
import customClaims from './custom-claims';
import divergentOwnerSecret from './divergent-owner-secret';
import duplicateKey from './duplicate-key';
import duplicatePolicyId from './duplicate-policy-id';
import hostedLoginV1 from './hosted-login-v1';
import immutableIdentityStore from './immutable-identity-store';
import jsonStrict from './json-strict';
import jsonSyntax from './json-syntax';
import loginUrl from './login-url';
import notOwnerClient from './not-owner-client';
import policyNotDeployed from './policy-not-deployed';
import rotatedOwnerSecret from './rotated-owner-secret';
import schema from './schema';
import secretCheckFailed from './secret-check-failed';
import staleOwnerSecret from './stale-owner-secret';
import undeployedChange from './undeployed-change';
import unknownProperty from './unknown-property';
import unverifiedOwnerSecret from './unverified-owner-secret';
import valueFormat from './value-format';

export const rules: readonly Rule[] = [
  analysisLimit,
  clientsOnReplacedPolicy,
  customClaims,
  divergentOwnerSecret,
  duplicateKey,
  duplicatePolicyId,
  hostedLoginV1,
  immutableIdentityStore,
  jsonStrict,
  jsonSyntax,
  loginUrl,
  notOwnerClient,
  policyNotDeployed,
  rotatedOwnerSecret,
  schema,
  secretCheckFailed,
  staleOwnerSecret,
  undeployedChange,
  unknownProperty,
  unverifiedOwnerSecret,
  valueFormat,
].sort((a, b) => compareIds(a.id, b.id));

const byId = new Map(rules.map((rule) => [rule.id, rule]));

export const ruleIds: readonly string[] = rules.map((rule) => rule.id);

export function getRule(id: string): Rule | undefined {
  return byId.get(id);
}

/** Where a rule's documentation lives, relative to the package root. */
export function ruleDocsPath(id: string): string {
  return `docs/rules/${id}.md`;
}
