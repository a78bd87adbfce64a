import * as vscode from "vscode";

/**
 * The settings the server reads: `{rules, openapi, llm, diagnostics}`, nested, with the
 * keys the server knows (`groupInfo` becomes `group-info`). Only values the user has set are
 * sent, because editor settings override `archlens.toml` and defaults must not.
 */
export function serverSettings(): Record<string, Record<string, unknown>> {
  const config = vscode.workspace.getConfiguration("archlens");
  const settings: Record<string, Record<string, unknown>> = {};
  for (const key of contributedKeys()) {
    const inspected = config.inspect(key);
    const isSet = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some(
      (value) => value !== undefined,
    );
    if (!isSet) {
      continue;
    }
    const [section, name] = key.split(".");
    settings[section] ??= {};
    settings[section][name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)] = config.get(key);
  }
  return settings;
}

function contributedKeys(): string[] {
  const extension = vscode.extensions.getExtension("archlens.archlens");
  const properties = extension?.packageJSON.contributes.configuration.properties ?? {};
  return Object.keys(properties)
    .map((key) => key.slice("archlens.".length))
    .filter((key) => !key.startsWith("server."));
}
