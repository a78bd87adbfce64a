use crate::analysis::Sink;
use crate::config::Layer;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for modules of an inner layer that depend on an outer one, in every `use`
    /// declaration and every path in code or types (`sqlx::query(…)`, `axum::Json<T>`).
    ///
    /// Layers come from `[[layers]]` in `archlens.toml`: each names its modules
    /// (`crate::domain::*`: the module and everything under it) and crates (`sqlx`), and the
    /// layers it may use. A layer may always use itself; code outside every layer is not
    /// checked.
    ///
    /// Without `[[layers]]`, a module's name alone is not evidence: a `domain` module (or one
    /// under it) may not use web frameworks (axum, actix-web, rocket, warp), database crates
    /// (sqlx, diesel, sea-orm, redis) or HTTP clients (reqwest) when its crate is layered on
    /// purpose (a module of an outer layer beside it: `infrastructure`, `adapters`, `db`,
    /// `api`, `web`, `routes`…) and the file holds no HTTP endpoints or ORM entities, which
    /// would say the project keeps them there by design. Modules named `core` or `model`
    /// are judged only through `[[layers]]`.
    ///
    /// A file that uses a crate is reported once for it: at its `use`, or, without one, at
    /// the first path that names it in each item.
    ///
    /// Modules come from file paths under `src/` (`src/domain/order.rs` is
    /// `crate::domain::order`) and inline `mod` items. Tests are left alone.
    ///
    /// ## Why is this bad?
    /// The domain holds the rules of the business, and should be testable and changeable
    /// without a database, a web server or the network. Once a domain type takes a
    /// `sqlx::PgPool` or returns an `axum::Json`, every test needs the infrastructure, a
    /// change of framework rewrites the business rules, and the dependency arrows of the
    /// architecture point the wrong way.
    ///
    /// ## Example
    /// ```rust
    /// // src/domain/order.rs
    /// pub async fn total(pool: &sqlx::PgPool, id: Uuid) -> Money { … }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// // src/domain/order.rs: the domain says what it needs…
    /// pub trait OrderRepository { async fn lines(&self, id: Uuid) -> Vec<Line>; }
    /// pub async fn total(orders: &impl OrderRepository, id: Uuid) -> Money { … }
    /// // src/db/orders.rs: …and the database layer provides it with sqlx.
    /// ```
    pub struct LayerViolation {
        code: "ARC001",
        name: "layer-violation",
        area: Arc,
        severity: Warning,
        input: Rust,
    }
}

/// The default layering: the crates an inner module may not use, by kind.
const OUTER_CRATES: [(&str, &str); 9] = [
    ("axum", "a web framework"),
    ("actix_web", "a web framework"),
    ("rocket", "a web framework"),
    ("warp", "a web framework"),
    ("sqlx", "a database crate"),
    ("diesel", "a database crate"),
    ("sea_orm", "a database crate"),
    ("redis", "a database crate"),
    ("reqwest", "an HTTP client"),
];

/// The module name that makes a module inner by default, when the crate is layered.
const INNER_MODULES: [&str; 1] = ["domain"];

/// Module names of outer layers: beside a `domain` module, one of them shows that the crate
/// is layered on purpose.
const OUTER_MODULES: [&str; 18] = [
    "infra",
    "infrastructure",
    "adapters",
    "adapter",
    "persistence",
    "repository",
    "repositories",
    "db",
    "database",
    "storage",
    "store",
    "api",
    "web",
    "http",
    "handlers",
    "routes",
    "controllers",
    "ports",
];

impl Check for LayerViolation {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        // Without declared layers, a module's name is not evidence enough: the crate must be
        // layered (a `domain` module beside outer ones), and the module must not hold what
        // the project keeps there on purpose (HTTP endpoints, ORM entities).
        if file.layers.is_empty() && (!is_layered(file) || holds_infrastructure(file)) {
            return;
        }
        // One finding per crate a file uses: its `use`, or the first path that names it in an
        // item.
        let mut reported: std::collections::HashSet<String> = std::collections::HashSet::new();
        for found in file.matches(self.meta().code) {
            let (node, target) = if let Some(path) = found.get("path") {
                (path, file.text_of(path).to_owned())
            } else if let Some(root) = found.get("root").or_else(|| found.get("type_root")) {
                // Paths inside a `use` are checked with the declaration.
                if std::iter::successors(root.parent(), |node| node.parent()).any(|node| node.kind() == "use_declaration") {
                    continue;
                }
                let whole = found.get("scoped").or_else(|| found.get("scoped_type")).unwrap_or(root);
                (root, file.text_of(whole).to_owned())
            } else {
                continue;
            };
            if file.is_test(node) {
                continue;
            }
            let Some(module) = file.module_of(node) else { continue };
            let segments: Vec<&str> = target.split("::").map(str::trim).collect();
            if let Some(message) = violation(&file.layers, &module, &segments) {
                let used = segments.first().copied().unwrap_or_default();
                let used = if used == "crate" { segments.iter().take(2).copied().collect::<Vec<_>>().join("::") } else { used.to_owned() };
                // A `use` is always reported; a path in code only when no `use` of the file
                // names its crate, and once per top-level item.
                let imported = file.summary().imports.iter().any(|import| import.path.first().is_some_and(|first| *first == used));
                let item =
                    crate::rust::ancestors(node).find(|ancestor| ancestor.parent().is_some_and(|parent| parent.kind() == "source_file"));
                let key = format!("{used}@{}", item.map_or(0, |item| item.start_byte()));
                if found.get("path").is_some() || (!imported && reported.insert(key)) {
                    file.report(sink, node, message);
                }
            }
        }
    }
}

/// Whether the file's crate is layered on purpose: the file sits in a `domain` module that
/// has, beside it, a module of an outer layer (`infrastructure`, `adapters`, `db`, `api`…).
fn is_layered(file: &RustFile<'_>) -> bool {
    // A file outside any project is judged by its module's name alone.
    if !file.in_project() {
        return true;
    }
    let Some(module) = file.module_of(file.tree.root_node()) else { return false };
    let Some(position) = module.iter().position(|segment| INNER_MODULES.contains(&segment.as_str())) else { return false };
    let parent = &module[1..position];
    let package = file.model.package_of(file.path).map(|package| package.folder.clone());
    file.model.files.iter().filter(|other| package.as_ref().is_some_and(|folder| other.path.starts_with(folder))).any(|other| {
        other.module.len() > parent.len() + 1
            && other.module[1..parent.len() + 1] == *parent
            && OUTER_MODULES.contains(&other.module[parent.len() + 1].as_str())
    })
}

/// Whether the file holds HTTP endpoints or ORM entities: then its module is not the domain
/// layer the name suggests, whatever it is called.
fn holds_infrastructure(file: &RustFile<'_>) -> bool {
    let entities = ["DeriveEntityModel", "#[diesel(", "table_name", "derive(Queryable", "Insertable", "#[sea_orm("];
    entities.iter().any(|sign| file.text.contains(sign))
        || file.model.file_index(file.path).is_some_and(|index| {
            (0..file.model.files[index].summary.functions.len())
                .any(|function| file.model.calls.is_handler(crate::project::FunctionId { file: index, index: function }))
        })
}

/// What is wrong with module `module` using the path `target`, if anything.
fn violation(layers: &[Layer], module: &[String], target: &[&str]) -> Option<String> {
    let from = module.join("::");
    let root = *target.first()?;
    if layers.is_empty() {
        let inner = module.iter().skip(1).find(|segment| INNER_MODULES.contains(&segment.as_str()))?;
        let (name, kind) = OUTER_CRATES.iter().find(|(name, _)| *name == root)?;
        let used = target.join("::");
        return Some(format!(
            "`{from}` is {inner} code but uses `{used}` from `{name}`, {kind}: keep {inner} code free of infrastructure (or say what may use what in `[[layers]]`)"
        ));
    }
    let own = layer_of_module(layers, module)?;
    let target_module: Vec<String> = target.iter().map(|segment| (*segment).to_owned()).collect();
    let used = if root == "crate" {
        layer_of_module(layers, &target_module)
    } else {
        layers.iter().find(|layer| layer.crates.iter().any(|name| name == root))
    }?;
    if used.name == own.name || own.may_use.contains(&used.name) {
        return None;
    }
    let what = if root == "crate" { format!("`{}`", target.join("::")) } else { format!("`{}` from `{root}`", target.join("::")) };
    Some(format!(
        "`{from}` (layer {}) uses {what} (layer {}), which layer {} may not use (`[[layers]]` in archlens.toml)",
        own.name, used.name, own.name
    ))
}

/// The first layer whose module patterns hold `module`.
fn layer_of_module<'l>(layers: &'l [Layer], module: &[String]) -> Option<&'l Layer> {
    let path = module.join("::");
    layers.iter().find(|layer| {
        layer.modules.iter().any(|pattern| match pattern.strip_suffix("::*") {
            Some(prefix) => path == prefix || path.starts_with(&format!("{prefix}::")),
            None => path == *pattern,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(path: &str) -> Vec<String> {
        path.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn configured_layers_say_who_may_use_whom() {
        let layer = |name: &str, modules: &[&str], crates: &[&str], may_use: &[&str]| Layer {
            name: name.to_owned(),
            modules: modules.iter().map(|text| (*text).to_owned()).collect(),
            crates: crates.iter().map(|text| (*text).to_owned()).collect(),
            may_use: may_use.iter().map(|text| (*text).to_owned()).collect(),
        };
        let layers = [
            layer("domain", &["crate::domain::*"], &[], &[]),
            layer("application", &["crate::app::*"], &[], &["domain"]),
            layer("infrastructure", &["crate::db::*", "crate::http::*"], &["sqlx", "axum"], &["domain", "application"]),
        ];
        assert!(violation(&layers, &module("crate::domain::order"), &["crate", "app", "service"]).is_some());
        assert!(violation(&layers, &module("crate::domain::order"), &["sqlx", "PgPool"]).unwrap().contains("layer infrastructure"));
        assert!(violation(&layers, &module("crate::app::checkout"), &["crate", "domain", "Order"]).is_none());
        assert!(violation(&layers, &module("crate::db::orders"), &["sqlx", "query"]).is_none());
        assert!(violation(&layers, &module("crate::domain"), &["serde", "Serialize"]).is_none(), "crates of no layer are free");
        assert!(violation(&layers, &module("crate::main_helpers"), &["sqlx", "query"]).is_none(), "modules of no layer are not checked");
    }
}
