// Facts that need I/O (what the current owner secret is, the deployed baseline, live check results, other files
// of the workspace) are gathered before analysis by the server or the CLI and handed to the rules as plain data.
// Rules never do I/O; with no facts they still run and say what they cannot know.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by later capabilities
export interface AnalysisFacts {}
