import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { explainRule } from "./explain";
import { findServer, reportMissingServer } from "./server";
import { serverSettings } from "./settings";
import { Status } from "./status";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("archlens", { log: true });
  const status = new Status();
  const restart = () => start(context, output, status);
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("archlens.restartServer", restart),
    vscode.commands.registerCommand("archlens.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("archlens.explainRule", async () => {
      const server = findServer(context);
      if (!server) {
        return reportMissingServer();
      }
      try {
        await explainRule(server);
      } catch (error) {
        void vscode.window.showErrorMessage(`archlens: explain failed: ${message(error)}`);
      }
    }),
    vscode.commands.registerCommand("archlens.fixAll", () =>
      vscode.commands.executeCommand("editor.action.codeAction", { kind: "source.fixAll.archlens", apply: "first" }),
    ),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("archlens.server")) {
        await restart();
      } else if (event.affectsConfiguration("archlens") && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings() });
      }
    }),
  );
  await restart();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, status: Status): Promise<void> {
  await stop();
  const server = findServer(context);
  if (!server) {
    status.set({ kind: "stopped", error: "the archlens binary was not found" });
    void reportMissingServer();
    return;
  }
  status.set({ kind: "starting" });
  output.info(`Starting ${server} lsp`);
  const serverOptions: ServerOptions = { command: server, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...["yaml", "json", "jsonc", "rust", "toml", "sql"].map((language) => ({ scheme: "file", language })),
      { scheme: "file", pattern: "**/archlens.toml" },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
  };
  const created = new LanguageClient("archlens", "archlens", serverOptions, clientOptions);
  client = created;
  created.onDidChangeState(({ newState }) => {
    if (client !== created) {
      return;
    }
    if (newState === State.Running) {
      status.set({ kind: "running" });
    } else if (newState === State.Starting) {
      status.set({ kind: "starting" });
    } else {
      status.set({ kind: "stopped", error: "the server exited; see the output" });
    }
  });
  try {
    await created.start();
  } catch (error) {
    status.set({ kind: "stopped", error: message(error) });
    const show = "Show Output";
    if ((await vscode.window.showErrorMessage(`archlens: the server did not start: ${message(error)}`, show)) === show) {
      output.show(true);
    }
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.needsStop()) {
    await running.stop();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
