// Type-checks and bundles the extension, copies the archlens.toml schema (and, with
// --bundle-server PATH or ARCHLENS_BUNDLE_SERVER=PATH, a release build of the server) in,
// and packages archlens-<version>.vsix with vsce.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const flag = args.findIndex((arg) => arg === "--bundle-server" || arg.startsWith("--bundle-server="));
const bundleServer =
  flag === -1 ? process.env.ARCHLENS_BUNDLE_SERVER : args[flag].split("=")[1] ?? args[flag + 1];
if (flag !== -1 && !bundleServer) {
  console.error("package: --bundle-server needs the path of an archlens binary");
  process.exit(2);
}

const run = (command, ...rest) => execFileSync(command, rest, { cwd: root, stdio: "inherit" });
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

rmSync(join(root, "schemas"), { recursive: true, force: true });
rmSync(join(root, "server"), { recursive: true, force: true });
mkdirSync(join(root, "schemas"));
copyFileSync(join(root, "../../docs/archlens.schema.json"), join(root, "schemas/archlens.schema.json"));
if (bundleServer) {
  const name = bundleServer.endsWith(".exe") ? "archlens.exe" : "archlens";
  mkdirSync(join(root, "server"));
  copyFileSync(bundleServer, join(root, "server", name));
  chmodSync(join(root, "server", name), 0o755);
  console.log(`package: bundling the server from ${bundleServer}`);
}

run("npm", "run", "--silent", "check");
run("npm", "run", "--silent", "build");
run(
  "npx",
  "vsce",
  "package",
  "--no-dependencies",
  "--skip-license",
  "--allow-missing-repository",
  "--out",
  `archlens-${version}.vsix`,
);
