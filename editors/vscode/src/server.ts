import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";

const executable = process.platform === "win32" ? "archlens.exe" : "archlens";

/** `archlens.server.path`, else `archlens` on PATH, else the binary bundled in the extension. */
export function findServer(context: vscode.ExtensionContext): string | undefined {
  const configured = vscode.workspace.getConfiguration("archlens").get<string>("server.path")?.trim();
  if (configured) {
    return configured.replace(/^~(?=$|[\\/])/, os.homedir());
  }
  const onPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((folder) => path.join(folder, executable))
    .find(isExecutable);
  if (onPath) {
    return onPath;
  }
  const bundled = context.asAbsolutePath(path.join("server", executable));
  if (!fs.existsSync(bundled)) {
    return undefined;
  }
  if (!isExecutable(bundled)) {
    fs.chmodSync(bundled, 0o755);
  }
  return bundled;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export async function reportMissingServer(): Promise<void> {
  const openSetting = "Open Setting";
  const choice = await vscode.window.showErrorMessage(
    "archlens: the archlens binary was not found. Install it (for example `cargo install --path server` " +
      "in a checkout of archlens) so that `archlens` is on PATH, or set `archlens.server.path` to the binary.",
    openSetting,
  );
  if (choice === openSetting) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "archlens.server.path");
  }
}
