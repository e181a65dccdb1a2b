// The analysis cache: (uri, version) → analysis, the only caller of engine.analyze() in the server. Diagnostics,
// hovers, code actions and completion all read the same cached result. Also decides what a document is: a policy,
// the config file, or something we leave alone.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyze, type Analysis } from './engine/analyze';
import type { ConfigAnalysis } from './engine/config/analyze-config';
import type { AnalysisFacts } from './engine/facts';
import { analyzeConfig } from './engine/config/analyze-config';
import { mergeOverrides } from './engine/severity';
import type { ConfigStore, LoadedConfig } from './project/config-store';
import { isConfigFile } from './project/config-store';
import { hasIdentityStoreDetails, isPolicyFileName } from './project/policy-files';
import type { ServerSettings } from './settings';

export const POLICY_LANGUAGE_ID = 'login-policy';

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

export class AnalysisCache {
  private readonly entries = new Map<string, DocumentAnalysis>();

  constructor(
    private readonly configs: ConfigStore,
    /** Facts (known clients, live checks) for a policy under a config. */
    private readonly factsFor: (
      config: LoadedConfig | undefined,
      documentPath: string | undefined,
      settings: ServerSettings,
    ) => AnalysisFacts = () => ({}),
    /** The time the rules judge expiry dates by. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The analysis of the document's current version, computed at most once per version. */
  get(doc: TextDocument, settings: ServerSettings): DocumentAnalysis {
    const cached = this.entries.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const result = this.compute(doc, settings);
    this.entries.set(doc.uri, result);
    return result;
  }

  /** The cached analysis, whatever its version (for requests racing a change). */
  peek(uri: string): DocumentAnalysis | undefined {
    return this.entries.get(uri);
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
        const analysis = analyze(text, {
          severities: mergeOverrides(config?.config?.rules, settings.rules),
          facts: this.factsFor(config, path, settings),
          now: this.now(),
        });
        return { kind, version: doc.version, analysis, config };
      }
      default:
        return { kind, version: doc.version };
    }
  }
}
