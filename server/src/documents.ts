// The analysis cache: (uri, version) → analysis, the only caller of engine.analyze() in the server. Diagnostics,
// hovers, code actions and completion all read the same cached result. Also decides what a document is: a policy,
// the config file, or something we leave alone.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyze, type Analysis } from './engine/analyze';
import type { ConfigAnalysis } from './engine/config/analyze-config';
import type { AnalysisFacts, WorkspaceLookup } from './engine/facts';
import { analyzeConfig } from './engine/config/analyze-config';
import { mergeOverrides } from './engine/severity';
import type { ConfigStore, LoadedConfig } from './project/config-store';
import { isConfigFile } from './project/config-store';
import { hasIdentityStoreDetails, isPolicyFileName } from './project/policy-files';
import type { ServerSettings } from './settings';

export const POLICY_LANGUAGE_ID = 'login-policy';

/** The editor is sent at most this many diagnostics per file (DESIGN §11); the CLI lists them all. */
export const EDITOR_MAX_DIAGNOSTICS = 1000;

export type DocumentAnalysis =
  | {
      readonly kind: 'policy';
      readonly version: number;
      readonly analysis: Analysis;
      readonly config: LoadedConfig | undefined;
    }
  | { readonly kind: 'config'; readonly version: number; readonly config: ConfigAnalysis }
  | { readonly kind: 'other'; readonly version: number };

/** A file-system path for file: URIs (config lookup needs one); undefined for untitled or virtual documents. */
export function fsPathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

export function classify(doc: TextDocument, settings: ServerSettings): DocumentAnalysis['kind'] {
  const uri = URI.parse(doc.uri);
  if (isConfigFile(uri.path)) return 'config';
  if (doc.languageId === POLICY_LANGUAGE_ID) return 'policy';
  if (isPolicyFileName(uri.path)) return 'policy';
  const jsonLike = doc.languageId === 'json' || doc.languageId === 'jsonc' || uri.path.endsWith('.json');
  if (jsonLike && settings.detectByContent && hasIdentityStoreDetails(doc.getText())) return 'policy';
  return 'other';
}

/** What a policy's analysis is given besides its text: facts gathered by I/O, and its view of the workspace. */
export interface AnalysisInputs {
  readonly facts: AnalysisFacts;
  readonly workspace?: WorkspaceLookup;
}

export class AnalysisCache {
  private readonly entries = new Map<string, DocumentAnalysis>();

  constructor(
    private readonly configs: ConfigStore,
    /** Facts (known clients, live checks, the deployed baseline, the workspace) for a policy under a config. */
    private readonly inputsFor: (
      config: LoadedConfig | undefined,
      documentPath: string | undefined,
      settings: ServerSettings,
    ) => AnalysisInputs = () => ({ facts: {} }),
    /** The time the rules judge expiry dates by. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The analysis of the document's current version, computed at most once per version and kept. */
  get(doc: TextDocument, settings: ServerSettings): DocumentAnalysis {
    const cached = this.entries.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const result = this.compute(doc, settings);
    this.entries.set(doc.uri, result);
    return result;
  }

  /**
   * The analysis of a document that is not kept (a file on disk: only its diagnostics are wanted, and keeping every
   * analysis of a large workspace would cost memory in proportion to it).
   */
  once(doc: TextDocument, settings: ServerSettings): DocumentAnalysis {
    const cached = this.entries.get(doc.uri);
    return cached && cached.version === doc.version ? cached : this.compute(doc, settings);
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  /** Forget everything (settings or a config changed). */
  clear(): void {
    this.entries.clear();
  }

  private compute(doc: TextDocument, settings: ServerSettings): DocumentAnalysis {
    const kind = classify(doc, settings);
    const text = doc.getText();
    switch (kind) {
      case 'config':
        return { kind, version: doc.version, config: analyzeConfig(text) };
      case 'policy': {
        const path = fsPathOf(doc.uri);
        const config = path ? this.configs.forFile(path) : undefined;
        const { facts, workspace } = this.inputsFor(config, path, settings);
        const analysis = analyze(text, {
          severities: mergeOverrides(config?.config?.rules, settings.rules),
          facts,
          ...(workspace ? { workspace } : {}),
          now: this.now(),
          maxFindings: EDITOR_MAX_DIAGNOSTICS,
        });
        return { kind, version: doc.version, analysis, config };
      }
      default:
        return { kind, version: doc.version };
    }
  }
}
