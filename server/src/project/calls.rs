//! The workspace call graph, by name resolution: a call's path goes through the file's `use`
//! imports, `crate::`, `self::`, `super::` and the workspace's crate names to a function
//! or method of the workspace; `self.method()` finds the method of the same type; another
//! method call finds the one method of that name (and number of arguments) in the
//! workspace, when there is exactly one and the name is not one every library has. Calls that stay ambiguous are left out:
//! the graph is good enough to carry context along calls, not a compiler's.
//!
//! Context flows along the edges:
//! - from HTTP handlers into the helpers they call ([`CallGraph::handler_reaching`]);
//! - from async code into the sync functions it calls, which then run on the executor
//!   ([`CallGraph::async_caller`]);
//! - from `main` into the functions only start-up calls ([`CallGraph::is_start_up`]);
//! - from what keeps a process running (a server start, a loop that waits for work) and
//!   from `main` into everything they call ([`CallGraph::runs_in`]), which tells a
//!   server's or worker's code from the one-shot commands of the same binary;
//! - up from the functions that run a database query to their callers
//!   ([`CallGraph::runs_query`]);
//! - down from call sites into parameters that every caller passes a constant
//!   ([`CallGraph::constant_values`]).

use std::collections::{HashMap, HashSet, VecDeque};

use super::ModelFile;
use super::cargo::Cargo;
use crate::rust::summary::{Argument, Call, CallContext, FunctionSummary, Target};

/// A function of the model: its file and its place in the file's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunctionId {
    pub file: usize,
    pub index: usize,
}

/// A binary's entry point: a free `fn main` outside any inline module.
fn is_main(function: &FunctionSummary) -> bool {
    function.name == "main" && function.owner.is_none() && function.module.is_empty()
}

/// Whether a function's text starts a server.
fn serves(text: &str) -> bool {
    crate::rust::summary::SERVE_SIGNS.iter().any(|sign| text.contains(sign)) || text.contains(".launch()")
}

/// How far context is carried along calls.
const MAX_DEPTH: usize = 6;

/// Method names too common to resolve by name alone: every library has them.
const COMMON_METHODS: [&str; 60] = [
    "new",
    "default",
    "get",
    "set",
    "insert",
    "remove",
    "push",
    "pop",
    "len",
    "is_empty",
    "iter",
    "into_iter",
    "map",
    "clone",
    "into",
    "from",
    "to_string",
    "as_ref",
    "as_str",
    "unwrap",
    "expect",
    "send",
    "recv",
    "run",
    "call",
    "build",
    "execute",
    "query",
    "fetch",
    "fetch_one",
    "fetch_all",
    "fetch_optional",
    "load",
    "save",
    "update",
    "delete",
    "create",
    "find",
    "write",
    "read",
    "open",
    "close",
    "start",
    "stop",
    "init",
    "handle",
    "process",
    "parse",
    "validate",
    "apply",
    "next",
    "poll",
    "lock",
    "contains",
    "extend",
    "with",
    "join",
    "spawn",
    "drop",
    "fmt",
];

/// The call graph of a workspace and the context that flows along it.
#[derive(Debug, Default)]
pub struct CallGraph {
    functions: Vec<FunctionId>,
    slot: HashMap<FunctionId, usize>,
    /// For each function: (call index in its summary, callee).
    callees: Vec<Vec<(usize, usize)>>,
    /// For each function: (caller, call index in the caller's summary).
    callers: Vec<Vec<(usize, usize)>>,
    handler: Vec<bool>,
    reached_from: Vec<Option<usize>>,
    async_caller: Vec<Option<(usize, usize)>>,
    start_up: Vec<bool>,
    runs_query: Vec<bool>,
    runs_in: Vec<RunsIn>,
}

/// What runs a function: which roots reach it through calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunsIn {
    /// An HTTP handler, or a function that starts a server.
    pub server: bool,
    /// A loop that waits for work (a worker, a scheduler, a consumer).
    pub worker: bool,
    /// A binary's `main`.
    pub main: bool,
    /// A command of the binary reaches it: a function `main` reaches that returns nothing
    /// to use (`()`, `Result<()>`), neither serves nor loops, and starts no server, as
    /// `main`'s `admin`, `migrate` or `monitor` arm does. A helper that builds what the
    /// server then uses returns it, and is no command.
    pub command: bool,
}

impl RunsIn {
    /// Run by a one-shot command of the binary (an admin task, a migration, a command-line
    /// client), and by neither a server nor a worker loop.
    pub fn one_shot(&self) -> bool {
        self.command && !self.server && !self.worker
    }
}

/// Whether a return type gives the caller nothing to use: `()`, `Result<()>`,
/// `Result<(), E>`, `ExitCode`.
fn returns_nothing(return_type: Option<&str>) -> bool {
    let Some(written) = return_type else { return true };
    let compact: String = written.split_whitespace().collect();
    compact == "()" || compact.ends_with("ExitCode") || compact.ends_with("Result<()>") || compact.contains("Result<(),")
}

struct Resolver<'m> {
    files: &'m [ModelFile],
    functions: &'m [FunctionId],
    /// Function name → functions.
    by_name: HashMap<&'m str, Vec<usize>>,
    /// Crate name in code → package index.
    crates: HashMap<String, usize>,
    /// Every module path (and each of its prefixes) of each package.
    modules: HashSet<(Option<usize>, Vec<String>)>,
}

impl CallGraph {
    pub fn build(cargo: &Cargo, files: &[ModelFile]) -> CallGraph {
        let functions: Vec<FunctionId> = files
            .iter()
            .enumerate()
            .flat_map(|(file, model)| (0..model.summary.functions.len()).map(move |index| FunctionId { file, index }))
            .collect();
        let slot: HashMap<FunctionId, usize> = functions.iter().enumerate().map(|(dense, id)| (*id, dense)).collect();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (dense, id) in functions.iter().enumerate() {
            by_name.entry(files[id.file].summary.functions[id.index].name.as_str()).or_default().push(dense);
        }
        let crates = cargo.packages.iter().enumerate().map(|(index, package)| (package.name.replace('-', "_"), index)).collect();
        let mut modules: HashSet<(Option<usize>, Vec<String>)> = HashSet::new();
        for id in &functions {
            let file = &files[id.file];
            let mut module = file.module.clone();
            module.extend(file.summary.functions[id.index].module.iter().cloned());
            for length in 1..=module.len() {
                modules.insert((file.package, module[..length].to_vec()));
            }
        }
        for file in files {
            for length in 1..=file.module.len() {
                modules.insert((file.package, file.module[..length].to_vec()));
            }
        }
        let resolver = Resolver { files, functions: &functions, by_name, crates, modules };
        let summary = |dense: usize| -> &FunctionSummary {
            let id = functions[dense];
            &files[id.file].summary.functions[id.index]
        };
        let mut callees: Vec<Vec<(usize, usize)>> = vec![Vec::new(); functions.len()];
        let mut callers: Vec<Vec<(usize, usize)>> = vec![Vec::new(); functions.len()];
        for (dense, outgoing) in callees.iter_mut().enumerate() {
            for (call_index, call) in summary(dense).calls.iter().enumerate() {
                if let Some(callee) = resolver.resolve(dense, call)
                    && callee != dense
                {
                    outgoing.push((call_index, callee));
                    callers[callee].push((dense, call_index));
                }
            }
        }
        // The names routed in each package: a function is routed when its own package, or a
        // package that depends on it, registers its name.
        let mut routed_in: HashMap<Option<usize>, HashSet<&str>> = HashMap::new();
        for file in files.iter().filter(|file| !file.kind.test) {
            routed_in.entry(file.package).or_default().extend(file.facts.routed.iter().map(String::as_str));
        }
        let routers_of: Vec<Vec<Option<usize>>> = cargo
            .packages
            .iter()
            .map(|package| {
                let mut routers: Vec<Option<usize>> = cargo
                    .dependents(package)
                    .iter()
                    .filter_map(|dependent| cargo.packages.iter().position(|candidate| candidate.folder == dependent.folder))
                    .map(Some)
                    .collect();
                routers.push(cargo.packages.iter().position(|candidate| candidate.folder == package.folder));
                routers
            })
            .collect();
        let routed = |dense: usize, name: &str| {
            let routers: &[Option<usize>] = match files[functions[dense].file].package {
                Some(index) => &routers_of[index],
                None => &[None],
            };
            routers.iter().any(|router| routed_in.get(router).is_some_and(|names| names.contains(name)))
        };
        let handler: Vec<bool> = (0..functions.len())
            .map(|dense| {
                let function = summary(dense);
                let test = function.test || files[functions[dense].file].kind.test;
                // Extractor and responder implementations take framework types too.
                let framework_hook = matches!(
                    function.name.as_str(),
                    "from_request" | "from_request_parts" | "respond_to" | "error_response" | "into_response" | "call" | "poll_ready"
                );
                !test
                    && !framework_hook
                    && function.name != "main"
                    && !function.has_self
                    && (function.route_attribute || (function.is_async && (function.extractor || routed(dense, &function.name))))
            })
            .collect();
        let mut graph = CallGraph {
            functions,
            slot,
            callees,
            callers,
            handler,
            reached_from: Vec::new(),
            async_caller: Vec::new(),
            start_up: Vec::new(),
            runs_query: Vec::new(),
            runs_in: Vec::new(),
        };
        graph.reached_from = graph.reach_from_handlers();
        graph.async_caller = graph.reach_from_async(files);
        graph.start_up = graph.start_up_functions(files);
        graph.runs_query = graph.query_runners(files);
        graph.runs_in = graph.what_runs(files);
        graph
    }

    /// For each function, which of the long-running roots (servers, handlers, waiting loops)
    /// and `main` reach it through calls, without a depth limit.
    fn what_runs(&self, files: &[ModelFile]) -> Vec<RunsIn> {
        let text_of = |dense: usize| {
            let id = self.functions[dense];
            let file = &files[id.file];
            file.text.get(self.summary(files, dense).item.0.clone()).unwrap_or("")
        };
        let loops: Vec<bool> = files.iter().map(|file| file.text.contains("loop {")).collect();
        let mut starts = Vec::new();
        let mut server = Vec::new();
        let mut worker = Vec::new();
        let mut main = Vec::new();
        for dense in 0..self.functions.len() {
            let function = self.summary(files, dense);
            let file = &files[self.functions[dense].file];
            if function.test || file.kind.test {
                continue;
            }
            if function.serves || (file.summary.signs.serves && serves(text_of(dense))) {
                starts.push(dense);
            } else if self.handler[dense] {
                server.push(dense);
            }
            if loops[self.functions[dense].file] && super::waits_in_loop(text_of(dense)) {
                worker.push(dense);
            }
            if is_main(function) {
                main.push(dense);
            }
        }
        let mut runs = vec![RunsIn::default(); self.functions.len()];
        let spread = |runs: &mut [RunsIn], roots: Vec<usize>, mark: fn(&mut RunsIn) -> &mut bool| {
            let mut queue = roots;
            while let Some(dense) = queue.pop() {
                let flag = mark(&mut runs[dense]);
                if *flag {
                    continue;
                }
                *flag = true;
                queue.extend(self.callees[dense].iter().map(|(_, callee)| *callee));
            }
        };
        server.extend(&starts);
        spread(&mut runs, server, |runs| &mut runs.server);
        spread(&mut runs, worker, |runs| &mut runs.worker);
        spread(&mut runs, main, |runs| &mut runs.main);
        // The functions that lead to a server start: `main` and what builds the server.
        let mut leads = vec![false; self.functions.len()];
        let mut queue = starts;
        while let Some(dense) = queue.pop() {
            for (caller, _) in &self.callers[dense] {
                if !leads[*caller] {
                    leads[*caller] = true;
                    queue.push(*caller);
                }
            }
        }
        let commands: Vec<usize> = (0..self.functions.len())
            .filter(|dense| {
                let runs = runs[*dense];
                runs.main
                    && !runs.server
                    && !runs.worker
                    && !leads[*dense]
                    && returns_nothing(self.summary(files, *dense).return_type.as_deref())
            })
            .collect();
        spread(&mut runs, commands, |runs| &mut runs.command);
        runs
    }

    fn summary<'f>(&self, files: &'f [ModelFile], dense: usize) -> &'f FunctionSummary {
        let id = self.functions[dense];
        &files[id.file].summary.functions[id.index]
    }

    fn reach_from_handlers(&self) -> Vec<Option<usize>> {
        let mut reached: Vec<Option<usize>> = vec![None; self.functions.len()];
        let mut queue: VecDeque<(usize, usize, usize)> =
            self.handler.iter().enumerate().filter(|(_, handler)| **handler).map(|(dense, _)| (dense, dense, 0)).collect();
        while let Some((dense, handler, depth)) = queue.pop_front() {
            if reached[dense].is_some() {
                continue;
            }
            reached[dense] = Some(handler);
            if depth < MAX_DEPTH {
                queue.extend(self.callees[dense].iter().map(|(_, callee)| (*callee, handler, depth + 1)));
            }
        }
        reached
    }

    fn reach_from_async(&self, files: &[ModelFile]) -> Vec<Option<(usize, usize)>> {
        let mut found: Vec<Option<(usize, usize)>> = vec![None; self.functions.len()];
        let mut queue: VecDeque<(usize, usize)> = VecDeque::new();
        for dense in 0..self.functions.len() {
            let function = self.summary(files, dense);
            for (call_index, callee) in &self.callees[dense] {
                let call = &function.calls[*call_index];
                // Only callers that serve: a test or a command-line tool blocking its own
                // executor stalls nobody else.
                let caller_serves = !function.test && files[self.functions[dense].file].kind.is_service_code();
                if caller_serves
                    && call.context == CallContext::Async
                    && !self.summary(files, *callee).is_async
                    && !self.summary(files, *callee).test
                {
                    queue.push_back((*callee, 0));
                    found[*callee].get_or_insert((dense, *call_index));
                }
            }
        }
        let mut seen = HashSet::new();
        while let Some((dense, depth)) = queue.pop_front() {
            if !seen.insert(dense) || depth >= MAX_DEPTH {
                continue;
            }
            let function = self.summary(files, dense);
            for (call_index, callee) in &self.callees[dense] {
                let call = &function.calls[*call_index];
                if call.context == CallContext::Sync && !self.summary(files, *callee).is_async && found[*callee].is_none() {
                    found[*callee] = Some((dense, *call_index));
                    queue.push_back((*callee, depth + 1));
                }
            }
        }
        found
    }

    fn start_up_functions(&self, files: &[ModelFile]) -> Vec<bool> {
        let mut start_up: Vec<bool> = (0..self.functions.len())
            .map(|dense| {
                let function = self.summary(files, dense);
                is_main(function) && !self.handler[dense]
            })
            .collect();
        loop {
            let mut changed = false;
            for dense in 0..self.functions.len() {
                if start_up[dense] || self.handler[dense] || self.callers[dense].is_empty() {
                    continue;
                }
                let only_start_up = self.callers[dense]
                    .iter()
                    .all(|(caller, call_index)| start_up[*caller] && !self.summary(files, *caller).calls[*call_index].deferred);
                if only_start_up {
                    start_up[dense] = true;
                    changed = true;
                }
            }
            if !changed {
                return start_up;
            }
        }
    }

    fn query_runners(&self, files: &[ModelFile]) -> Vec<bool> {
        let mut runs: Vec<bool> = (0..self.functions.len())
            .map(|dense| self.summary(files, dense).calls.iter().any(|call| call.database && !call.deferred))
            .collect();
        let mut queue: VecDeque<(usize, usize)> = runs.iter().enumerate().filter(|(_, runs)| **runs).map(|(dense, _)| (dense, 0)).collect();
        while let Some((dense, depth)) = queue.pop_front() {
            if depth >= MAX_DEPTH {
                continue;
            }
            for (caller, call_index) in &self.callers[dense] {
                if !runs[*caller] && !self.summary(files, *caller).calls[*call_index].deferred {
                    runs[*caller] = true;
                    queue.push_back((*caller, depth + 1));
                }
            }
        }
        runs
    }

    fn dense(&self, function: FunctionId) -> Option<usize> {
        self.slot.get(&function).copied()
    }

    /// Every function the model takes for an HTTP handler.
    pub fn handlers(&self) -> impl Iterator<Item = FunctionId> + '_ {
        self.handler.iter().enumerate().filter(|(_, handler)| **handler).map(|(dense, _)| self.functions[dense])
    }

    /// Whether the model takes this function for an HTTP handler.
    pub fn is_handler(&self, function: FunctionId) -> bool {
        self.dense(function).is_some_and(|dense| self.handler[dense])
    }

    /// The handler that reaches this function through calls (itself for a handler), if one
    /// does.
    pub fn handler_reaching(&self, function: FunctionId) -> Option<FunctionId> {
        let dense = self.dense(function)?;
        self.reached_from[dense].map(|handler| self.functions[handler])
    }

    /// For a sync function that async code calls (directly or through sync functions): the
    /// caller and the index of the call in the caller's summary.
    pub fn async_caller(&self, function: FunctionId) -> Option<(FunctionId, usize)> {
        let dense = self.dense(function)?;
        self.async_caller[dense].map(|(caller, call)| (self.functions[caller], call))
    }

    /// Whether the function runs only at start-up: `main`, or a function that only
    /// start-up code calls (outside closures and spawned tasks).
    pub fn is_start_up(&self, function: FunctionId) -> bool {
        self.dense(function).is_some_and(|dense| self.start_up[dense])
    }

    /// Which roots reach the function: servers and handlers, waiting loops, `main`.
    pub fn runs_in(&self, function: FunctionId) -> RunsIn {
        self.dense(function).and_then(|dense| self.runs_in.get(dense).copied()).unwrap_or_default()
    }

    /// Whether calling the function runs a database query: it runs one, or calls a
    /// function that does.
    pub fn runs_query(&self, function: FunctionId) -> bool {
        self.dense(function).is_some_and(|dense| self.runs_query[dense])
    }

    /// The functions a call of `function` (by its index in the summary) resolves to.
    pub fn callee(&self, function: FunctionId, call_index: usize) -> Option<FunctionId> {
        let dense = self.dense(function)?;
        self.callees[dense].iter().find(|(index, _)| *index == call_index).map(|(_, callee)| self.functions[*callee])
    }

    /// The callers of a function: (caller, index of the call in the caller's summary).
    pub fn callers(&self, function: FunctionId) -> Vec<(FunctionId, usize)> {
        let Some(dense) = self.dense(function) else { return Vec::new() };
        self.callers[dense].iter().map(|(caller, call)| (self.functions[*caller], *call)).collect()
    }

    /// When every caller of `function` passes a constant (a literal, a constant, the
    /// variable of a loop over a constant, or a parameter of its own that its callers pass
    /// a constant) for its parameter `parameter`: the string literals among them. `None` when a caller passes
    /// anything else, or nobody calls it.
    pub fn constant_values(&self, files: &[ModelFile], function: FunctionId, parameter: &str) -> Option<Vec<String>> {
        self.constant_values_within(files, function, parameter, 0)
    }

    fn constant_values_within(&self, files: &[ModelFile], function: FunctionId, parameter: &str, depth: usize) -> Option<Vec<String>> {
        let dense = self.dense(function)?;
        let callee = self.summary(files, dense);
        let position = callee.parameters.iter().position(|name| name == parameter)?;
        if self.callers[dense].is_empty() {
            return None;
        }
        let mut values = Vec::new();
        for (caller, call_index) in &self.callers[dense] {
            let call: &Call = &self.summary(files, *caller).calls[*call_index];
            let offset = usize::from(matches!(call.target, Target::Path(_)) && callee.has_self);
            match call.arguments.get(position + offset)? {
                Argument::Literal(value) => values.push(value.clone()),
                Argument::Constant => {}
                // The caller's own parameter, constant at its own call sites.
                Argument::Name(name)
                    if depth < MAX_DEPTH && self.summary(files, *caller).parameters.iter().any(|parameter| parameter == name) =>
                {
                    values.extend(self.constant_values_within(files, self.functions[*caller], name, depth + 1)?);
                }
                _ => return None,
            }
        }
        Some(values)
    }
}

impl Resolver<'_> {
    fn summary(&self, dense: usize) -> &FunctionSummary {
        let id = self.functions[dense];
        &self.files[id.file].summary.functions[id.index]
    }

    /// The full module path of a function: its file's module and the inline modules around
    /// it.
    fn module_of(&self, dense: usize) -> Vec<String> {
        let id = self.functions[dense];
        let mut module = self.files[id.file].module.clone();
        module.extend(self.summary(dense).module.iter().cloned());
        module
    }

    fn package_of(&self, dense: usize) -> Option<usize> {
        self.files[self.functions[dense].file].package
    }

    fn resolve(&self, caller: usize, call: &Call) -> Option<usize> {
        match &call.target {
            Target::Method { name, on_self } => self.resolve_method(caller, name, *on_self, call.arguments.len()),
            Target::Path(path) => self.resolve_path(caller, path),
        }
    }

    fn resolve_method(&self, caller: usize, name: &str, on_self: bool, arguments: usize) -> Option<usize> {
        let candidates = self.by_name.get(name)?;
        let methods = candidates.iter().copied().filter(|candidate| self.summary(*candidate).has_self);
        if on_self {
            let owner = self.summary(caller).owner.as_deref()?;
            let package = self.package_of(caller);
            return single(
                methods
                    .filter(|candidate| self.summary(*candidate).owner.as_deref() == Some(owner) && self.package_of(*candidate) == package),
            );
        }
        if COMMON_METHODS.contains(&name) {
            return None;
        }
        // By name alone, the method must at least take as many arguments: `chars().count()`
        // is not the project's `count(self, pool)`.
        single(methods.filter(|candidate| !self.summary(*candidate).test && self.summary(*candidate).parameters.len() == arguments))
    }

    fn resolve_path(&self, caller: usize, written: &[String]) -> Option<usize> {
        let id = self.functions[caller];
        let file = &self.files[id.file];
        let function = self.summary(caller);
        let mut module = file.module.clone();
        module.extend(function.module.iter().cloned());
        let (first, rest) = written.split_first()?;
        // The first segment through the imports of the file.
        let mut path: Vec<String> = match file.summary.import(first, &function.module) {
            Some(import) => import.path.iter().cloned().chain(rest.iter().cloned()).collect(),
            None => written.to_vec(),
        };
        // `crate::`, `self::`, `super::`, `Self::`.
        let crate_name = file.module.first().cloned().unwrap_or_default();
        match path.first().map(String::as_str) {
            Some("crate") => path[0] = crate_name.clone(),
            Some("self") => {
                path.remove(0);
                path.splice(0..0, module.iter().cloned());
            }
            Some("super") => {
                let mut base = module.clone();
                while path.first().is_some_and(|segment| segment == "super") {
                    path.remove(0);
                    base.pop();
                }
                path.splice(0..0, base);
            }
            Some("Self") => {
                let owner = function.owner.clone()?;
                path[0] = owner;
            }
            _ => {}
        }
        let name = path.last()?.clone();
        let candidates = self.by_name.get(name.as_str())?;
        if path.len() == 1 {
            // A plain name: this module, then glob imports, then the one free function of that
            // name in the package.
            let here = candidates.iter().copied().filter(|candidate| {
                self.summary(*candidate).owner.is_none()
                    && self.functions[*candidate].file == id.file
                    && self.summary(*candidate).module == function.module
            });
            if let Some(found) = single(here) {
                return Some(found);
            }
            let globs: Vec<Vec<String>> = file
                .summary
                .imports
                .iter()
                .filter(|import| import.glob)
                .map(|import| self.absolute(&import.path, &crate_name, &module))
                .collect();
            if let Some(found) = single(candidates.iter().copied().filter(|candidate| {
                self.summary(*candidate).owner.is_none() && globs.iter().any(|glob| *glob == self.module_of(*candidate))
            })) {
                return Some(found);
            }
            let package = self.package_of(caller);
            return single(candidates.iter().copied().filter(|candidate| {
                self.summary(*candidate).owner.is_none() && !self.summary(*candidate).test && self.package_of(*candidate) == package
            }));
        }
        let qualifier = &path[..path.len() - 1];
        let last_qualifier = qualifier.last()?;
        let is_type = last_qualifier.chars().next().is_some_and(char::is_uppercase);
        // Another crate: a dependency outside the workspace names nothing here.
        let outside = !self.crates.contains_key(&qualifier[0])
            && qualifier[0] != crate_name
            && !is_type
            && !self.is_local_module(&module, &qualifier[0], caller);
        if outside {
            return None;
        }
        if is_type {
            let package = self.package_of(caller);
            let methods = || {
                candidates.iter().copied().filter(|candidate| self.summary(*candidate).owner.as_deref() == Some(last_qualifier.as_str()))
            };
            return single(methods().filter(|candidate| self.package_of(*candidate) == package)).or_else(|| single(methods()));
        }
        let absolute = if self.crates.contains_key(&qualifier[0]) || qualifier[0] == crate_name {
            qualifier.to_vec()
        } else {
            module.iter().cloned().chain(qualifier.iter().cloned()).collect()
        };
        single(
            candidates
                .iter()
                .copied()
                .filter(|candidate| self.summary(*candidate).owner.is_none() && self.module_of(*candidate) == absolute),
        )
    }

    /// Whether `name` is a module declared in `module` of the caller's crate (`db::insert`
    /// where `mod db;` is beside the caller).
    fn is_local_module(&self, module: &[String], name: &str, caller: usize) -> bool {
        let mut path = module.to_vec();
        path.push(name.to_owned());
        self.modules.contains(&(self.package_of(caller), path))
    }

    /// An import path made absolute (`crate::x` → the crate's name, `self::`, `super::`).
    fn absolute(&self, path: &[String], crate_name: &str, module: &[String]) -> Vec<String> {
        match path.first().map(String::as_str) {
            Some("crate") => std::iter::once(crate_name.to_owned()).chain(path[1..].iter().cloned()).collect(),
            Some("self") => module.iter().cloned().chain(path[1..].iter().cloned()).collect(),
            Some("super") => {
                let mut base = module.to_vec();
                base.pop();
                base.into_iter().chain(path[1..].iter().cloned()).collect()
            }
            _ => path.to_vec(),
        }
    }
}

/// The one item of an iterator, or `None` for none or several.
fn single(mut items: impl Iterator<Item = usize>) -> Option<usize> {
    let first = items.next()?;
    items.next().is_none().then_some(first)
}
