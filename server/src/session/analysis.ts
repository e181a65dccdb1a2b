// The server's one road to the engine: a document's analysis with its settings and facts (owner secrets, the
// deployed baseline, the workspace). Open documents' analyses are kept per version for every feature to read; a
// file on disk is analysed for its diagnostics and not kept. What an open policy says about itself goes into the
// workspace index, and the other files that changes are reported.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { baselineSpecOf, deployedStateOf } from '../deployed-baselines';
import { AnalysisCache, fsPathOf, type DocumentAnalysis } from '../documents';
import type { AnalysisFacts, EditorFacts } from '../engine/facts';
import { PATHS } from '../engine/policy/paths';
import type { Clock } from '../util/clock';
import { entryOf } from '../workspace-index';
import type { DocumentStore } from './document-store';
import type { Session } from './session';
import type { SettingsCache } from './settings-cache';

export type PolicyAnalysis = Extract<DocumentAnalysis, { kind: 'policy' }>;

export class Analyzer {
  private readonly cache: AnalysisCache;
  /** The version of each open document whose identity the index holds. */
  private readonly indexed = new Map<string, number>();

  constructor(
    private readonly session: Session,
    private readonly documents: DocumentStore,
    private readonly settings: SettingsCache,
    clock: Clock,
    /** Other files whose cross-file facts changed because an open document did. */
    private readonly othersChanged: (files: ReadonlySet<string>) => void,
    /** What the editor offers beyond the CLI (known after initialize), named in messages. */
    editor: () => EditorFacts | undefined,
  ) {
    this.cache = new AnalysisCache(
      session.configs,
      (config, documentPath, settings) => {
        const facts = withEditor(session.ownerSecrets.factsFor(config, documentPath, settings.verify), editor());
        // A deployed snapshot is no policy of the workspace: no cross-file facts, no baseline of its own.
        if (!documentPath || session.isSnapshot(documentPath, config)) return { facts };
        const baseline = session.baselines.get(documentPath);
        const deployed = deployedStateOf(baselineSpecOf(config));
        return {
          facts: { ...facts, ...(baseline ? { baseline } : {}), ...(deployed ? { deployed } : {}) },
          workspace: (identity) => session.index.factsFor(documentPath, identity),
        };
      },
      () => clock.now(),
    );
  }

  async analysisOf(doc: TextDocument): Promise<DocumentAnalysis> {
    const settings = await this.settings.settingsFor(doc.uri);
    const current = this.documents.documentOf(doc.uri) ?? doc;
    const open = this.documents.isOpen(current.uri);
    const result = open ? this.cache.get(current, settings) : this.cache.once(current, settings);
    if (result.kind !== 'policy') return result;
    // The secret a document embeds is masked in every later log line; the one it embedded before stays masked among
    // the last few replaced (redact.ts), so what was typed on the way is not kept for the whole session. A text too
    // large to read keeps the secret known before.
    if (!result.analysis.limit) {
      this.session.redactor.setCurrent(current.uri, result.analysis.model.string(PATHS.clientSecret));
    }
    const file = fsPathOf(current.uri);
    if (file && !this.session.isSnapshot(file, result.config)) {
      this.session.refreshBaseline(file, result.analysis.model.string(PATHS.id), result.config);
      if (open) this.index(file, current, result);
    }
    return result;
  }

  /** Forgets the kept analysis of a document (its facts changed). */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /**
   * Forgets every kept analysis (settings, a config or what is known about secrets changed, or a scan read every
   * file again): open documents tell the index about themselves again at their next analysis.
   */
  clear(): void {
    this.cache.clear();
    this.indexed.clear();
  }

  /** A document closed: its analysis and settings go, and the index hears of it again from its next open. */
  closed(uri: string): void {
    this.cache.delete(uri);
    this.indexed.delete(uri);
    this.settings.forget(uri);
  }

  /**
   * A document left the server (closed and not a policy on disk, deleted, or no longer found by the scan): nothing
   * its analyses left behind is kept (its secret for the redactor, its deployed baseline and first-open text).
   */
  forgotten(uri: string): void {
    this.closed(uri);
    this.session.redactor.forget(uri);
    const file = fsPathOf(uri);
    if (file) this.session.baselines.forget(file);
  }

  /** Other files see an open policy as it is being edited: its id, owner client and secret. */
  private index(file: string, doc: TextDocument, result: PolicyAnalysis): void {
    if (result.analysis.limit || this.indexed.get(doc.uri) === result.version) return;
    this.indexed.set(doc.uri, result.version);
    if (!this.documents.onDisk.has(file)) this.documents.openOnly.add(file);
    const model = result.analysis.model;
    const affected = this.session.index.setPolicy(
      file,
      entryOf({
        id: model.string(PATHS.id),
        clientId: model.string(PATHS.clientId),
        secret: model.string(PATHS.clientSecret),
        title: model.string(['title']),
      }),
    );
    if (affected.size > 0) this.othersChanged(affected);
  }
}

function withEditor(facts: AnalysisFacts, editor: EditorFacts | undefined): AnalysisFacts {
  return editor ? { ...facts, editor } : facts;
}
