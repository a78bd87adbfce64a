use crate::analysis::{RuleContext, Severity, Sink};
use crate::openapi::syntax::Value;
use crate::rules::{Check, declare_rule};
use crate::rust::RustFile;
use crate::workspace::services::base_path;

declare_rule! {
    /// ## What it does
    /// Checks for operations of an OpenAPI document that no route of the service it
    /// describes serves: the contract promises an endpoint the code does not have. The routes
    /// are read as for ARC002 (axum, actix-web and rocket routers across the crate) and
    /// compared under the document's server base paths; HEAD counts as served with GET.
    ///
    /// Operations marked `x-archlens-internal: true` (on the operation or its path item) are
    /// left alone. A document that describes no crate, or a crate that serves no route, is
    /// not checked. When part of the router cannot be read (a router merged from another
    /// crate, or passed in as a parameter), the operations are not checked either, and one
    /// information finding on that router says so.
    ///
    /// ## Why is this bad?
    /// Clients generated from the document call the operation and get a 404 or 405. Such
    /// gaps come from endpoints that were renamed or removed in code while the document
    /// stayed, or documented ahead of an implementation that never landed.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /customers/{customerId}/orders:   # no route serves it
    ///     get:
    ///       operationId: listCustomerOrders
    /// ```
    ///
    /// Use instead: serve the operation, remove it from the document, or mark it when
    /// another service serves it:
    /// ```yaml
    /// paths:
    ///   /customers/{customerId}/orders:
    ///     x-archlens-internal: true   # served by the reporting service behind the gateway
    /// ```
    pub struct OperationNotImplemented {
        code: "ARC003",
        name: "operation-not-implemented",
        area: Arc,
        severity: Warning,
        input: Service,
    }
}

impl Check for OperationNotImplemented {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let (Some(service), Some(model)) = (context.service, context.model) else { return };
        if service.table.served.is_empty() || !service.table.is_complete() {
            return;
        }
        let mut bases: Vec<String> =
            model.servers.iter().filter_map(|server| server.child("url")).filter_map(|url| url.node.as_str().map(base_path)).collect();
        bases.push(String::new());
        let internal = |node: &crate::openapi::syntax::Node| {
            node.get("x-archlens-internal").is_some_and(|value| matches!(value.value, Value::Bool(true)))
        };
        let name = service.crate_root.file_name().unwrap_or_default().to_string_lossy();
        let router = service.table.roots.first().and_then(|(file, span)| Some((service.files.get(*file)?, span.clone())));
        for item in &model.paths {
            if internal(item.item.node) {
                continue;
            }
            for operation in item.operations.iter().filter(|operation| !internal(operation.at.node)) {
                let method = operation.method.to_ascii_uppercase();
                if service.serves(&method, &item.path, &bases) {
                    continue;
                }
                let span = operation.at.key_span.clone().unwrap_or_else(|| operation.at.span());
                let finding = sink.span(
                    operation.at.file,
                    span,
                    operation.at.pointer.clone(),
                    format!("`{method} {}` is described here but no route of `{name}` serves it", item.path),
                );
                if let Some(((path, text), span)) = &router {
                    finding.elsewhere(path.clone(), text.clone(), span.clone(), format!("the router of `{name}`"));
                }
            }
        }
    }

    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        let specs = &file.crate_facts().specs;
        if specs.is_empty() || file.kind != crate::rust::FileKind::Source {
            return;
        }
        let (table, paths) = file.routes();
        let Some(own) = paths.iter().position(|path| path == file.path) else { return };
        let names: Vec<String> =
            specs.iter().map(|spec| format!("`{}`", spec.document.file_name().unwrap_or_default().to_string_lossy())).collect();
        // One finding for the crate, on the first router it cannot read (by file, then
        // place), with the others in related information.
        let mut unresolved: Vec<_> = table.unresolved.iter().collect();
        unresolved.sort_by(|left, right| (&paths[left.file], left.span.start).cmp(&(&paths[right.file], right.span.start)));
        let Some((first, others)) = unresolved.split_first() else { return };
        if first.file != own || !file.in_scope_span(&first.span) {
            return;
        }
        let more = match others.len() {
            0 => String::new(),
            count => format!(" (and {count} more)"),
        };
        let finding = file
            .report_span(
                sink,
                first.span.clone(),
                format!(
                    "the router could not be fully resolved: `{}`{more} is built where archlens cannot read it, so the operations of {} are not checked against the routes",
                    first.text,
                    names.join(" and ")
                ),
            )
            .severity(Severity::Info);
        for other in others.iter().take(50) {
            if other.file == own {
                finding.related(0, other.span.clone(), format!("`{}` is not read either", other.text));
            } else if let Some(known) = file.model.file(&paths[other.file]) {
                finding.elsewhere(
                    known.path.clone(),
                    known.text.clone(),
                    other.span.clone(),
                    format!("`{}` is not read either", other.text),
                );
            }
        }
    }
}
