use std::collections::HashSet;

use crate::analysis::{Fix, Population, RuleContext, Sink};
use crate::openapi::project::RefTarget;
use crate::openapi::syntax::Node;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for entries under the document's `components` (schemas, responses, parameters,
    /// examples, request bodies, headers, links, callbacks, path items) that no `$ref` in the
    /// document or the files it references points to, and for security schemes that no
    /// security requirement names. A component used only by another component counts as used,
    /// and so does one named by a `$ref` anywhere: in `webhooks`, callbacks, links and `x-`
    /// extensions too. When a quarter or more of the components are unused, the document
    /// ships a library it does not use: one finding on `components`.
    ///
    /// ## Why is this bad?
    /// Unused components are dead code in the contract: they are still rendered in the
    /// documentation and generated into client models, so readers and generated code carry
    /// types that nothing sends or receives, and they drift because nothing exercises them.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   schemas:
    ///     LegacyUser:
    ///       type: object
    /// ```
    ///
    /// ## Fix
    /// Removes the component. Another document may reference it from outside the files
    /// archlens reads; keep it in that case (and allow the rule there).
    pub struct UnusedComponent {
        code: "API026",
        name: "unused-component",
        area: Api,
        severity: Info,
    }
}

const COMPONENT_KINDS: [&str; 9] =
    ["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks", "pathItems"];

impl Check for UnusedComponent {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let Some(components) = model.document.child("components") else {
            return;
        };
        let project = context.project;
        let mut used: HashSet<(String, String)> = HashSet::new();
        for site in &project.refs {
            if let RefTarget::Resolved { file, pointer } = &site.target
                && *file == project.root
            {
                let tokens: Vec<String> = pointer.tokens().take(3).collect();
                if let [first, kind, name] = tokens.as_slice()
                    && first == "components"
                {
                    used.insert((kind.clone(), name.clone()));
                }
            }
        }
        // Extensions (`x-codeSamples`, vendor metadata) are data to the resolver, but a
        // `$ref` there still uses what it names.
        for file in &project.files {
            if let Some(root) = file.root() {
                references_in_extensions(root, &mut used);
            }
        }
        let mut judged = 0;
        for kind in COMPONENT_KINDS {
            let Some(entries) = components.child(kind) else {
                continue;
            };
            for component in entries.entries() {
                let name = component.name();
                if name.starts_with("x-") {
                    continue;
                }
                judged += 1;
                if used.contains(&(kind.to_owned(), name.clone())) {
                    continue;
                }
                let finding = sink.at(&component, format!("component `{kind}/{name}` is not referenced anywhere")).of("components");
                if let Some(edit) = context.remove_member(&entries, &name) {
                    finding.fix(Fix::new(format!("Remove `{name}`"), vec![edit]));
                }
            }
        }
        sink.population(
            "components",
            Population::new(judged, "components", "are referenced nowhere", "remove them, or publish them as a library of their own")
                .at(&components),
        );
        let Some(schemes) = components.child("securitySchemes") else {
            return;
        };
        let requirement_lists = model.security.iter().chain(model.operations().filter_map(|operation| operation.security.as_ref()));
        let named: HashSet<String> = requirement_lists
            .flat_map(|list| list.items())
            .flat_map(|requirement| requirement.entries())
            .map(|scheme| scheme.name())
            .collect();
        for scheme in schemes.entries() {
            let name = scheme.name();
            if named.contains(&name) || name.starts_with("x-") {
                continue;
            }
            let finding = sink.at(&scheme, format!("security scheme `{name}` is not used by any security requirement"));
            if let Some(edit) = context.remove_member(&schemes, &name) {
                finding.fix(Fix::new(format!("Remove `{name}`"), vec![edit]));
            }
        }
    }
}

/// The local `#/components/<kind>/<name>` references under `x-` keys, anywhere in `root`.
fn references_in_extensions(root: &Node, used: &mut HashSet<(String, String)>) {
    // (node, inside an extension)
    let mut stack: Vec<(&Node, bool)> = vec![(root, false)];
    while let Some((node, inside)) = stack.pop() {
        if let Some(entries) = node.as_map() {
            for entry in entries {
                let inside = inside || entry.key.starts_with("x-");
                if inside
                    && entry.key == "$ref"
                    && let Some(reference) = entry.value.as_str()
                    && let Some(rest) = reference.strip_prefix("#/components/")
                    && let Some((kind, name)) = rest.split_once('/')
                {
                    used.insert((kind.to_owned(), name.replace("~1", "/").replace("~0", "~")));
                }
                stack.push((&entry.value, inside));
            }
        } else if let Some(items) = node.as_seq() {
            stack.extend(items.iter().map(|item| (item, inside)));
        }
    }
}
