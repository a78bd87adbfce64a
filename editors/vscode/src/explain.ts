import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as vscode from "vscode";

const run = promisify(execFile);

/** Shows `archlens explain CODE` for the archlens diagnostic at the cursor, or for a rule picked from a list. */
export async function explainRule(server: string): Promise<void> {
  const code = codeAtCursor() ?? (await pickRule(server));
  if (!code) {
    return;
  }
  const { stdout } = await run(server, ["explain", code]);
  const document = await vscode.workspace.openTextDocument({ language: "markdown", content: stdout });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

function codeAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const cursor = editor.selection.active;
  const found = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.source === "archlens" && diagnostic.range.contains(cursor))
    .sort((a, b) => a.severity - b.severity)[0];
  const code = typeof found?.code === "object" ? found.code.value : found?.code;
  return code === undefined ? undefined : String(code);
}

async function pickRule(server: string): Promise<string | undefined> {
  const rules = run(server, ["rules"]).then(({ stdout }) =>
    stdout
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s{2,}/))
      .filter((columns) => columns.length >= 4)
      .map(([code, name, area, severity, state, precision]) => ({
        label: code,
        description: name,
        detail: [area, severity, state && `${state} by default`, precision && precision !== "-" && `precision ${precision}`]
          .filter(Boolean)
          .join(" · "),
      })),
  );
  const picked = await vscode.window.showQuickPick(rules, {
    title: "archlens: Explain Rule",
    placeHolder: "Rule code or name",
    matchOnDescription: true,
  });
  return picked?.label;
}
