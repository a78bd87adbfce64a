import * as vscode from "vscode";

export type ServerState = { kind: "starting" } | { kind: "running" } | { kind: "stopped"; error?: string };

/** The status bar item: the server's state and the number of archlens problems in the workspace. */
export class Status implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("archlens.status", vscode.StatusBarAlignment.Left);
  private readonly listener = vscode.languages.onDidChangeDiagnostics(() => this.render());
  private state: ServerState = { kind: "starting" };

  constructor() {
    this.item.name = "archlens";
    this.item.command = "archlens.showOutput";
    this.render();
    this.item.show();
  }

  set(state: ServerState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const problems = countProblems();
    const count = problems === 1 ? "1 problem" : `${problems} problems`;
    switch (this.state.kind) {
      case "starting":
        this.item.text = "$(sync~spin) archlens";
        this.item.tooltip = "archlens: the server is starting. Click to show its output.";
        this.item.backgroundColor = undefined;
        break;
      case "running":
        this.item.text = `$(checklist) archlens ${problems}`;
        this.item.tooltip = `archlens: the server is running; ${count} in the workspace. Click to show its output.`;
        this.item.backgroundColor = undefined;
        break;
      case "stopped":
        this.item.text = "$(error) archlens";
        this.item.tooltip = `archlens: the server is stopped${this.state.error ? `: ${this.state.error}` : ""}. Click to show its output.`;
        this.item.backgroundColor = this.state.error ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
        break;
    }
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}

function countProblems(): number {
  let count = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    count += diagnostics.filter((diagnostic) => diagnostic.source === "archlens").length;
  }
  return count;
}
