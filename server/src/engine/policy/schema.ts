// The login policy model: one zod schema, documented field by field. It is the single source of the policy's shape,
// of the words in schema messages, hovers and completion, and of the exported JSON Schema
// (schemas/login-policy.schema.json). zod/mini keeps the server's start-up cheap.
import * as z from 'zod/mini';
import {
  APPLICATION_ID,
  ATTRIBUTE_PATH,
  CLAIM_NAME,
  CLIENT_ID,
  CLIENT_SECRET_OR_FINGERPRINT,
  HOST_NAME,
  UUID,
} from './patterns';
import { placeholderClientId } from '../../shared/secret-placeholder';

/** What a hover, a completion item and a schema message say about one field. */
export interface FieldDoc {
  /** Short noun phrase: "owner client secret". */
  readonly label: string;
  /** Markdown: what the field is and what it does. */
  readonly description: string;
  /** Whether a PUT may change it after the policy exists. */
  readonly mutable: boolean;
  /** The expected value in words, used in messages: "32 lower-case letters and digits". */
  readonly format?: string;
  /** A JSON value, used in hovers and as the completion snippet's default. */
  readonly example?: string;
  /** Vendor page. */
  readonly source: string;
  /** Never shown in clear anywhere. */
  readonly secret?: boolean;
}

export const policyDocs = z.registry<FieldDoc>();

const PAGES = {
  create: 'https://techdocs.akamai.com/identity-cloud/docs/create-a-login-policy',
  modify: 'https://techdocs.akamai.com/identity-cloud/docs/modify-a-login-policy',
  get: 'https://techdocs.akamai.com/identity-cloud-hosted-login/reference/get-login-policy',
  optional: 'https://techdocs.akamai.com/identity-cloud/docs/create-a-login-policy-optional',
  v2: 'https://techdocs.akamai.com/identity-cloud/docs/hosted-login-v2-and-how-to-upgrade-to-it',
  claims: 'https://techdocs.akamai.com/identity-cloud/docs/create-custom-claims',
  ownerSecret:
    'https://techdocs.akamai.com/identity-cloud/docs/contact-akamai-support-if-you-need-to-change-an-owner-client-secret-1',
  appSettings: 'https://techdocs.akamai.com/identity-cloud/docs/configure-the-required-application-client-settings',
} as const;

const FROZEN =
  'Part of `identityStoreDetails`: it can never change once the policy exists. A PUT that changes it fails with ' +
  '`identityStoreDetails cannot be changed`; the way out is a new login policy.';

function documented<T extends z.core.$ZodType>(schema: T, doc: FieldDoc): T {
  policyDocs.add(schema, doc);
  return schema;
}

const attributePath = documented(z.string().check(z.regex(ATTRIBUTE_PATH)), {
  label: 'Capture attribute path',
  description: 'The Capture attribute whose value the claim carries, in dot notation.',
  mutable: true,
  format: 'an attribute path in dot notation, such as primaryAddress.zip',
  example: '"primaryAddress.zip"',
  source: PAGES.claims,
});

const claimName = z.string().check(z.regex(CLAIM_NAME));

function claimMap(where: 'id_token' | 'userinfo'): z.ZodMiniRecord<typeof claimName, typeof attributePath> {
  const place = where === 'id_token' ? 'in the ID token' : 'by the userinfo endpoint (not in the ID token)';
  return documented(z.record(claimName, attributePath), {
    label: `${where} claims`,
    description:
      `Custom claims returned ${place}. Each key is the claim name, each value the Capture attribute path ` +
      'it is read from. A custom claim is returned only if it is defined here, not merely requested.',
    mutable: true,
    format: 'an object of claim name → attribute path',
    example: '{ "zip": "primaryAddress.zip" }',
    source: PAGES.claims,
  });
}

export const connectionDetailsSchema = documented(
  z.strictObject({
    domain: documented(z.string().check(z.minLength(1), z.regex(HOST_NAME)), {
      label: 'Capture domain',
      description: `The Capture (registration) domain of the user store, as a bare host name. ${FROZEN}`,
      mutable: false,
      format: 'a bare host name without scheme or path, such as acme.us.janraincapture.com',
      example: '"acme-prod.eu.janraincapture.com"',
      source: PAGES.create,
    }),
    applicationId: documented(z.string().check(z.minLength(1), z.regex(APPLICATION_ID)), {
      label: 'Capture application id',
      description: `The Capture application (Console → Manage Application). ${FROZEN}`,
      mutable: false,
      format: '26 lower-case letters and digits',
      example: '"q7w2e9r4t6y1u8i3o5p0a2s4dz"',
      source: PAGES.create,
    }),
    entityType: documented(z.string().check(z.minLength(1)), {
      label: 'entity type',
      description:
        'The entity type (user profile store) the owner client works with, usually `user`. It must equal the ' +
        '`user_entity_type` setting of the application client of every OIDC client using this policy; a mismatch ' +
        `makes sign-in fail with "Incorrect username or password". ${FROZEN}`,
      mutable: false,
      format: 'a non-empty entity type name',
      example: '"user"',
      source: PAGES.appSettings,
    }),
    clientId: documented(z.string().check(z.minLength(1), z.regex(CLIENT_ID)), {
      label: 'owner client id',
      description:
        'The id of an API client with the `owner` feature on this Capture application. Hosted Login signs ' +
        `users in with these credentials. ${FROZEN}`,
      mutable: false,
      format: '32 lower-case letters and digits',
      example: '"m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6"',
      source: PAGES.create,
    }),
    clientSecret: documented(
      z.string().check(
        z.minLength(1),
        z.regex(CLIENT_SECRET_OR_FINGERPRINT),
        // A generated policy's placeholder must never be deployed.
        z.refine((value) => placeholderClientId(value) === undefined, {
          error: 'is a placeholder: replace it with the current secret of the owner client',
        }),
      ),
      {
        label: 'owner client secret',
        description:
          "The owner client's secret, embedded in clear. If the owner secret is reset, this copy goes stale: " +
          'sign-in through the policy stops working and the value cannot be updated. Only a new login policy, ' +
          `with every OIDC client re-pointed to it, fixes that. A file may hold the secret's fingerprint ` +
          '(`"sha256:<64 hex>"`, as `login-policy-lint pull` writes it) instead: the secret is then not stored in ' +
          `the file, and its state is judged by that fingerprint. ${FROZEN}`,
        mutable: false,
        format: '32 lower-case letters and digits (or "sha256:" and the secret\'s 64-hex fingerprint)',
        source: PAGES.ownerSecret,
        secret: true,
      },
    ),
  }),
  {
    label: 'connection details',
    description: `Where Hosted Login finds the user store, and the owner credentials it uses. ${FROZEN}`,
    mutable: false,
    format: 'an object with domain, applicationId, entityType, clientId and clientSecret',
    source: PAGES.get,
  },
);

export const identityStoreDetailsSchema = documented(
  z.strictObject({
    type: documented(z.literal('janrainCapture'), {
      label: 'identity store type',
      description: `The kind of identity store. The only value is \`janrainCapture\`. ${FROZEN}`,
      mutable: false,
      format: '"janrainCapture"',
      example: '"janrainCapture"',
      source: PAGES.create,
    }),
    connectionDetails: connectionDetailsSchema,
  }),
  {
    label: 'identity store details',
    description:
      'The Capture user store and the **owner** client credentials this policy signs users in with. ' +
      'The whole block is frozen once the policy exists: a PUT that changes any part of it fails with ' +
      '`identityStoreDetails cannot be changed`.',
    mutable: false,
    format: 'an object with type and connectionDetails',
    source: PAGES.modify,
  },
);

export const customClaimsSchema = documented(
  z.strictObject({
    id_token: z.optional(claimMap('id_token')),
    userinfo: z.optional(claimMap('userinfo')),
  }),
  {
    label: 'custom claims',
    description:
      'Extra claims read from Capture attributes, put in the ID token (`id_token`) or returned by the userinfo ' +
      'endpoint (`userinfo`). A PUT replaces the whole object, so leaving it out of a PUT deletes the claims.',
    mutable: true,
    format: 'an object with id_token and/or userinfo',
    example: '{ "id_token": { "zip": "primaryAddress.zip" } }',
    source: PAGES.claims,
  },
);

export const linksSchema = documented(
  z.looseObject({
    self: z.optional(
      z.looseObject({
        href: documented(z.string(), {
          label: 'self link',
          description: "The policy's own API path, `/{customerId}/config/loginPolicies/{id}`. Set by the server.",
          mutable: false,
          format: '/{customerId}/config/loginPolicies/{id}',
          source: PAGES.modify,
        }),
      }),
    ),
  }),
  {
    label: 'links',
    description:
      'Read-only links the API adds to GET responses. They are not configurable and can be removed from files ' +
      'you send.',
    mutable: false,
    source: PAGES.modify,
  },
);

export const policySchema = documented(
  z.strictObject({
    id: z.optional(
      documented(z.string().check(z.regex(UUID)), {
        label: 'policy id',
        description:
          'Assigned by the server when the policy is created; a file with an `id` describes a deployed policy. ' +
          'Leave it out to create a new policy; a PUT must carry it unchanged. OIDC clients point at it with ' +
          'their `loginPolicy` field.',
        mutable: false,
        format: 'a lower-case UUID',
        example: '"7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58"',
        source: PAGES.get,
      }),
    ),
    title: documented(z.string().check(z.minLength(1)), {
      label: 'title',
      description: 'The human-readable name of the policy, shown in policy lists. Required on every POST and PUT.',
      mutable: true,
      format: 'a non-empty string',
      example: '"ACME EU Login Policy v2"',
      source: PAGES.modify,
    }),
    loginURL: documented(z.string().check(z.minLength(1)), {
      label: 'login URL',
      description:
        'Where users are sent to sign in. Its path decides the Hosted Login version for every OIDC client on ' +
        'this policy: `…/auth-ui/login` is v1, `…/auth-ui/v2/login` is v2. Required on every POST and PUT.',
      mutable: true,
      format: 'https://v1.api.{region}.janrain.com/{customerId}/auth-ui/v2/login',
      example: '"https://v1.api.us.janrain.com/00000000-0000-4000-8000-000000000000/auth-ui/v2/login"',
      source: PAGES.optional,
    }),
    identityStoreDetails: identityStoreDetailsSchema,
    customClaims: z.optional(customClaimsSchema),
    _links: z.optional(linksSchema),
  }),
  {
    label: 'login policy',
    description:
      'An Akamai Identity Cloud Hosted Login login policy: which Capture user store OIDC clients sign users in ' +
      'to, with which owner credentials, on which login page, with which custom claims.',
    mutable: true,
    source: PAGES.get,
  },
);

export type LoginPolicy = z.infer<typeof policySchema>;

/** The two claim maps, validated entry by entry outside zod to keep large maps cheap. */
export const CLAIM_MAPS = ['id_token', 'userinfo'] as const;
export type ClaimMapName = (typeof CLAIM_MAPS)[number];
export const claimNameSchema = claimName;
export const attributePathSchema = attributePath;
