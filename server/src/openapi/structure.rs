//! Structural validation of an OpenAPI 3.0 or 3.1 document: required fields, the type of
//! every field the specification defines, allowed values, and fields it does not define.
//!
//! The object model of both versions is a table ([`fields`]); one walk over the parsed tree
//! checks it, with no conversion to another representation, and reports every problem (up
//! to a limit) at the exact key or value. References are followed where tools follow them:
//! a `$ref` in place of a component is a reference object, whose target is checked where it
//! lives (in the document, or once in the file it points to); a `$ref` anywhere else (an
//! operation kept in another file, a whole map of properties) stands for its target.

use std::collections::HashSet;

use super::model::SpecVersion;
use super::pointer::{JsonPointer, Path, Step};
use super::project::{FileId, Project};
use super::syntax::{Node, Span, Value};

/// Problems reported per document; past this, the document needs more than a list.
pub const MAX_PROBLEMS: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: FileId,
    pub span: Span,
    pub pointer: JsonPointer,
    pub message: String,
}

/// The objects of the OpenAPI specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Object {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Example,
    Link,
    Tag,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    Discriminator,
    Xml,
    Schema,
}

impl Object {
    fn title(self) -> &'static str {
        match self {
            Object::Document => "the document",
            Object::Info => "the info object",
            Object::Contact => "a contact object",
            Object::License => "a license object",
            Object::Server => "a server",
            Object::ServerVariable => "a server variable",
            Object::Components => "the components object",
            Object::PathItem => "a path item",
            Object::Operation => "an operation",
            Object::ExternalDocs => "an external documentation object",
            Object::Parameter => "a parameter",
            Object::Header => "a header",
            Object::RequestBody => "a request body",
            Object::MediaType => "a media type object",
            Object::Encoding => "an encoding object",
            Object::Response => "a response",
            Object::Example => "an example",
            Object::Link => "a link",
            Object::Tag => "a tag",
            Object::SecurityScheme => "a security scheme",
            Object::OAuthFlows => "an OAuth flows object",
            Object::OAuthFlow => "an OAuth flow",
            Object::Discriminator => "a discriminator",
            Object::Xml => "an XML object",
            Object::Schema => "a schema",
        }
    }
}

/// What a value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    Any,
    Str,
    Bool,
    Number,
    /// A non-negative integer.
    Count,
    Obj(Object),
    /// A reference object or the object itself.
    RefOr(Object),
    /// A mapping of names to the shape.
    Map(&'static Shape),
    Seq(&'static Shape),
    /// The `paths` object: keys start with `/`.
    Paths,
    /// The `responses` object: keys are status codes, `1XX`-style ranges or `default`.
    Responses,
    /// A security requirement: scheme names to lists of scopes.
    SecurityRequirement,
    /// A callback: expressions to path items.
    Callback,
    /// `additionalProperties`, `items` in 3.1 and other places that take a schema or a boolean.
    SchemaOrBool,
    /// `type` of a schema.
    SchemaType,
    /// `exclusiveMinimum`/`exclusiveMaximum`: a boolean in 3.0, a number in 3.1.
    Exclusive,
    OneOf(&'static [&'static str]),
}

const STR_LIST: Shape = Shape::Seq(&Shape::Str);
const SERVERS: Shape = Shape::Seq(&Shape::Obj(Object::Server));
const PARAMETERS: Shape = Shape::Seq(&Shape::RefOr(Object::Parameter));
const SECURITY: Shape = Shape::Seq(&Shape::SecurityRequirement);
const SCHEMAS: Shape = Shape::Map(&Shape::RefOr(Object::Schema));
const SCHEMA_LIST: Shape = Shape::Seq(&Shape::RefOr(Object::Schema));
const CONTENT: Shape = Shape::Map(&Shape::Obj(Object::MediaType));
const EXAMPLES: Shape = Shape::Map(&Shape::RefOr(Object::Example));
const HEADERS: Shape = Shape::Map(&Shape::RefOr(Object::Header));
const LINKS: Shape = Shape::Map(&Shape::RefOr(Object::Link));
const CALLBACKS: Shape = Shape::Map(&Shape::Callback);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Since {
    Both,
    V30,
    V31,
}

struct Field {
    name: &'static str,
    shape: Shape,
    required: bool,
    version: Since,
}

const fn field(name: &'static str, shape: Shape) -> Field {
    Field { name, shape, required: false, version: Since::Both }
}

const fn required(name: &'static str, shape: Shape) -> Field {
    Field { name, shape, required: true, version: Since::Both }
}

const fn only(version: Since, field: Field) -> Field {
    Field { version, ..field }
}

const DOCUMENT: &[Field] = &[
    required("openapi", Shape::Str),
    required("info", Shape::Obj(Object::Info)),
    field("jsonSchemaDialect", Shape::Str),
    field("servers", SERVERS),
    only(Since::V30, required("paths", Shape::Paths)),
    only(Since::V31, field("paths", Shape::Paths)),
    only(Since::V31, field("webhooks", Shape::Map(&Shape::RefOr(Object::PathItem)))),
    field("components", Shape::Obj(Object::Components)),
    field("security", SECURITY),
    field("tags", Shape::Seq(&Shape::Obj(Object::Tag))),
    field("externalDocs", Shape::Obj(Object::ExternalDocs)),
];

const INFO: &[Field] = &[
    required("title", Shape::Str),
    only(Since::V31, field("summary", Shape::Str)),
    field("description", Shape::Str),
    field("termsOfService", Shape::Str),
    field("contact", Shape::Obj(Object::Contact)),
    field("license", Shape::Obj(Object::License)),
    required("version", Shape::Str),
];

const CONTACT: &[Field] = &[field("name", Shape::Str), field("url", Shape::Str), field("email", Shape::Str)];

const LICENSE: &[Field] = &[required("name", Shape::Str), only(Since::V31, field("identifier", Shape::Str)), field("url", Shape::Str)];

const SERVER: &[Field] =
    &[required("url", Shape::Str), field("description", Shape::Str), field("variables", Shape::Map(&Shape::Obj(Object::ServerVariable)))];

const SERVER_VARIABLE: &[Field] = &[field("enum", STR_LIST), required("default", Shape::Str), field("description", Shape::Str)];

const COMPONENTS: &[Field] = &[
    field("schemas", SCHEMAS),
    field("responses", Shape::Map(&Shape::RefOr(Object::Response))),
    field("parameters", Shape::Map(&Shape::RefOr(Object::Parameter))),
    field("examples", EXAMPLES),
    field("requestBodies", Shape::Map(&Shape::RefOr(Object::RequestBody))),
    field("headers", HEADERS),
    field("securitySchemes", Shape::Map(&Shape::RefOr(Object::SecurityScheme))),
    field("links", LINKS),
    field("callbacks", CALLBACKS),
    only(Since::V31, field("pathItems", Shape::Map(&Shape::RefOr(Object::PathItem)))),
];

const OPERATION_FIELD: Shape = Shape::Obj(Object::Operation);

const PATH_ITEM: &[Field] = &[
    field("$ref", Shape::Str),
    field("summary", Shape::Str),
    field("description", Shape::Str),
    field("get", OPERATION_FIELD),
    field("put", OPERATION_FIELD),
    field("post", OPERATION_FIELD),
    field("delete", OPERATION_FIELD),
    field("options", OPERATION_FIELD),
    field("head", OPERATION_FIELD),
    field("patch", OPERATION_FIELD),
    field("trace", OPERATION_FIELD),
    field("servers", SERVERS),
    field("parameters", PARAMETERS),
];

const OPERATION: &[Field] = &[
    field("tags", STR_LIST),
    field("summary", Shape::Str),
    field("description", Shape::Str),
    field("externalDocs", Shape::Obj(Object::ExternalDocs)),
    field("operationId", Shape::Str),
    field("parameters", PARAMETERS),
    field("requestBody", Shape::RefOr(Object::RequestBody)),
    only(Since::V30, required("responses", Shape::Responses)),
    only(Since::V31, field("responses", Shape::Responses)),
    field("callbacks", CALLBACKS),
    field("deprecated", Shape::Bool),
    field("security", SECURITY),
    field("servers", SERVERS),
];

const EXTERNAL_DOCS: &[Field] = &[field("description", Shape::Str), required("url", Shape::Str)];

const PARAMETER_LOCATIONS: &[&str] = &["query", "header", "path", "cookie"];

/// The fields a parameter and a header share.
macro_rules! parameter_fields {
    ($($extra:expr),*) => {
        &[
            $($extra,)*
            field("description", Shape::Str),
            field("required", Shape::Bool),
            field("deprecated", Shape::Bool),
            field("allowEmptyValue", Shape::Bool),
            field("style", Shape::Str),
            field("explode", Shape::Bool),
            field("allowReserved", Shape::Bool),
            field("schema", Shape::RefOr(Object::Schema)),
            field("example", Shape::Any),
            field("examples", EXAMPLES),
            field("content", CONTENT),
        ]
    };
}

const PARAMETER: &[Field] = parameter_fields!(required("name", Shape::Str), required("in", Shape::OneOf(PARAMETER_LOCATIONS)));
const HEADER: &[Field] = parameter_fields!();

const REQUEST_BODY: &[Field] = &[field("description", Shape::Str), required("content", CONTENT), field("required", Shape::Bool)];

const MEDIA_TYPE: &[Field] = &[
    field("schema", Shape::RefOr(Object::Schema)),
    field("example", Shape::Any),
    field("examples", EXAMPLES),
    field("encoding", Shape::Map(&Shape::Obj(Object::Encoding))),
];

const ENCODING: &[Field] = &[
    field("contentType", Shape::Str),
    field("headers", HEADERS),
    field("style", Shape::Str),
    field("explode", Shape::Bool),
    field("allowReserved", Shape::Bool),
];

const RESPONSE: &[Field] =
    &[required("description", Shape::Str), field("headers", HEADERS), field("content", CONTENT), field("links", LINKS)];

const EXAMPLE: &[Field] =
    &[field("summary", Shape::Str), field("description", Shape::Str), field("value", Shape::Any), field("externalValue", Shape::Str)];

const LINK: &[Field] = &[
    field("operationRef", Shape::Str),
    field("operationId", Shape::Str),
    field("parameters", Shape::Map(&Shape::Any)),
    field("requestBody", Shape::Any),
    field("description", Shape::Str),
    field("server", Shape::Obj(Object::Server)),
];

const TAG: &[Field] =
    &[required("name", Shape::Str), field("description", Shape::Str), field("externalDocs", Shape::Obj(Object::ExternalDocs))];

const SECURITY_SCHEME: &[Field] = &[
    required("type", Shape::OneOf(&["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"])),
    field("description", Shape::Str),
    field("name", Shape::Str),
    field("in", Shape::OneOf(&["query", "header", "cookie"])),
    field("scheme", Shape::Str),
    field("bearerFormat", Shape::Str),
    field("flows", Shape::Obj(Object::OAuthFlows)),
    field("openIdConnectUrl", Shape::Str),
];

const FLOW: Shape = Shape::Obj(Object::OAuthFlow);
const OAUTH_FLOWS: &[Field] =
    &[field("implicit", FLOW), field("password", FLOW), field("clientCredentials", FLOW), field("authorizationCode", FLOW)];

const OAUTH_FLOW: &[Field] = &[
    field("authorizationUrl", Shape::Str),
    field("tokenUrl", Shape::Str),
    field("refreshUrl", Shape::Str),
    required("scopes", Shape::Map(&Shape::Str)),
];

const DISCRIMINATOR: &[Field] = &[required("propertyName", Shape::Str), field("mapping", Shape::Map(&Shape::Str))];

const XML: &[Field] = &[
    field("name", Shape::Str),
    field("namespace", Shape::Str),
    field("prefix", Shape::Str),
    field("attribute", Shape::Bool),
    field("wrapped", Shape::Bool),
];

/// The keywords of a schema whose type archlens checks. Schemas are open (JSON Schema has
/// many more keywords, and vocabularies add their own), so other keys are accepted.
const SCHEMA: &[Field] = &[
    field("title", Shape::Str),
    field("description", Shape::Str),
    field("type", Shape::SchemaType),
    field("format", Shape::Str),
    field("pattern", Shape::Str),
    field("properties", SCHEMAS),
    only(Since::V30, field("items", Shape::RefOr(Object::Schema))),
    only(Since::V31, field("items", Shape::SchemaOrBool)),
    only(Since::V31, field("prefixItems", SCHEMA_LIST)),
    field("additionalProperties", Shape::SchemaOrBool),
    field("allOf", SCHEMA_LIST),
    field("oneOf", SCHEMA_LIST),
    field("anyOf", SCHEMA_LIST),
    field("not", Shape::RefOr(Object::Schema)),
    field("required", STR_LIST),
    field("enum", Shape::Seq(&Shape::Any)),
    field("multipleOf", Shape::Number),
    field("minimum", Shape::Number),
    field("maximum", Shape::Number),
    field("exclusiveMinimum", Shape::Exclusive),
    field("exclusiveMaximum", Shape::Exclusive),
    field("minLength", Shape::Count),
    field("maxLength", Shape::Count),
    field("minItems", Shape::Count),
    field("maxItems", Shape::Count),
    field("uniqueItems", Shape::Bool),
    field("minProperties", Shape::Count),
    field("maxProperties", Shape::Count),
    only(Since::V30, field("nullable", Shape::Bool)),
    field("readOnly", Shape::Bool),
    field("writeOnly", Shape::Bool),
    field("deprecated", Shape::Bool),
    field("discriminator", Shape::Obj(Object::Discriminator)),
    field("xml", Shape::Obj(Object::Xml)),
    field("externalDocs", Shape::Obj(Object::ExternalDocs)),
];

fn fields(object: Object) -> &'static [Field] {
    match object {
        Object::Document => DOCUMENT,
        Object::Info => INFO,
        Object::Contact => CONTACT,
        Object::License => LICENSE,
        Object::Server => SERVER,
        Object::ServerVariable => SERVER_VARIABLE,
        Object::Components => COMPONENTS,
        Object::PathItem => PATH_ITEM,
        Object::Operation => OPERATION,
        Object::ExternalDocs => EXTERNAL_DOCS,
        Object::Parameter => PARAMETER,
        Object::Header => HEADER,
        Object::RequestBody => REQUEST_BODY,
        Object::MediaType => MEDIA_TYPE,
        Object::Encoding => ENCODING,
        Object::Response => RESPONSE,
        Object::Example => EXAMPLE,
        Object::Link => LINK,
        Object::Tag => TAG,
        Object::SecurityScheme => SECURITY_SCHEME,
        Object::OAuthFlows => OAUTH_FLOWS,
        Object::OAuthFlow => OAUTH_FLOW,
        Object::Discriminator => DISCRIMINATOR,
        Object::Xml => XML,
        Object::Schema => SCHEMA,
    }
}

/// Where the walk is: the file, the pointer it started from, and the steps below it.
struct Place<'a> {
    file: FileId,
    base: JsonPointer,
    steps: Path<'a>,
}

impl Place<'_> {
    fn pointer(&self) -> JsonPointer {
        self.steps.pointer(&self.base)
    }
}

struct Walker<'p> {
    project: &'p Project,
    version: SpecVersion,
    problems: Vec<Problem>,
    /// Targets of references already checked, with the shape they were checked as.
    followed: HashSet<(FileId, JsonPointer, Shape)>,
}

/// Validates the project's root document; every problem, up to [`MAX_PROBLEMS`].
pub fn validate(project: &Project, version: SpecVersion) -> Vec<Problem> {
    let Some(root) = project.root_node() else { return Vec::new() };
    let mut walker = Walker { project, version, problems: Vec::new(), followed: HashSet::new() };
    let mut place = Place { file: project.root, base: JsonPointer::root(), steps: Path::default() };
    walker.check(root, None, &mut place, Shape::Obj(Object::Document));
    walker.problems.truncate(MAX_PROBLEMS);
    walker.problems
}

impl<'p> Walker<'p> {
    fn full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    fn report(&mut self, place: &Place<'_>, span: Span, message: String) {
        if !self.full() {
            self.problems.push(Problem { file: place.file, span, pointer: place.pointer(), message });
        }
    }

    fn check(&mut self, node: &'p Node, key_span: Option<&Span>, place: &mut Place<'p>, shape: Shape) {
        if self.full() {
            return;
        }
        if let Some(reference) = node.reference() {
            // In place of a component, a reference object: its target is checked where it
            // lives, walked from the document or followed once into another file. Anywhere
            // else tools resolve it, and the target stands for this node.
            let walked_anyway = place.file == self.project.root && reference.starts_with('#');
            match shape {
                Shape::Any => return,
                Shape::RefOr(_) | Shape::SchemaOrBool => {
                    if !walked_anyway {
                        self.follow(node, place, shape);
                    }
                    return;
                }
                // A path item may have fields beside its `$ref`; they are checked below.
                Shape::Obj(Object::PathItem) => self.follow(node, place, shape),
                _ => {
                    self.follow(node, place, shape);
                    return;
                }
            }
        }
        // A missing field is reported on the key of the object, or on the first key of the
        // document.
        let span = || {
            key_span.cloned().or_else(|| node.as_map()?.first().map(|entry| entry.key_span.clone())).unwrap_or_else(|| node.span.clone())
        };
        match shape {
            Shape::Any => {}
            Shape::Str => {
                if !matches!(node.value, Value::String(_)) {
                    let message = format!("expected a string, found {}", describe(node));
                    self.report(place, underline(node, key_span), message);
                }
            }
            Shape::Bool => {
                if !matches!(node.value, Value::Bool(_)) {
                    let message = format!("expected `true` or `false`, found {}", describe(node));
                    self.report(place, underline(node, key_span), message);
                }
            }
            Shape::Number => {
                if !matches!(node.value, Value::Number(_)) {
                    let message = format!("expected a number, found {}", describe(node));
                    self.report(place, underline(node, key_span), message);
                }
            }
            Shape::Count => {
                let valid = matches!(&node.value, Value::Number(text) if text.parse::<u64>().is_ok());
                if !valid {
                    let message = format!("expected a non-negative integer, found {}", describe(node));
                    self.report(place, underline(node, key_span), message);
                }
            }
            Shape::Exclusive => {
                let valid = match self.version {
                    SpecVersion::V30 => matches!(node.value, Value::Bool(_)),
                    SpecVersion::V31 => matches!(node.value, Value::Number(_)),
                };
                if !valid {
                    let expected =
                        if self.version == SpecVersion::V30 { "`true` or `false` in OpenAPI 3.0" } else { "a number in OpenAPI 3.1" };
                    let message = format!("expected {expected}, found {}", describe(node));
                    self.report(place, underline(node, key_span), message);
                }
            }
            Shape::OneOf(allowed) => {
                if !node.as_str().is_some_and(|text| allowed.contains(&text)) {
                    let message = format!("expected one of {}, found {}", allowed.join(", "), describe(node));
                    self.report(place, underline(node, key_span), message);
                }
            }
            Shape::SchemaType => self.check_schema_type(node, place),
            Shape::SchemaOrBool => {
                if !matches!(node.value, Value::Bool(_)) {
                    self.check(node, key_span, place, Shape::RefOr(Object::Schema));
                }
            }
            Shape::Obj(object) | Shape::RefOr(object) => self.check_object(node, span(), place, object),
            Shape::Map(inner) => self.each_entry(node, key_span, place, "a mapping", |_, _| Ok(*inner)),
            Shape::Seq(inner) => {
                let Some(items) = node.as_seq() else {
                    let message = format!("expected a list, found {}", describe(node));
                    self.report(place, underline(node, key_span), message);
                    return;
                };
                for (index, item) in items.iter().enumerate() {
                    place.steps.push(Step::Index(index));
                    self.check(item, None, place, *inner);
                    place.steps.pop();
                }
            }
            Shape::Paths => self.each_entry(node, key_span, place, "a mapping of paths", |key, _| {
                if key.starts_with('/') { Ok(Shape::Obj(Object::PathItem)) } else { Err(format!("a path must start with `/`: `{key}`")) }
            }),
            Shape::Responses => {
                if node.as_map().is_some_and(<[_]>::is_empty) && self.version == SpecVersion::V30 {
                    self.report(place, span(), "`responses` must list at least one response".to_owned());
                }
                self.each_entry(node, key_span, place, "a mapping of status codes", |key, _| {
                    if is_status_key(key) {
                        Ok(Shape::RefOr(Object::Response))
                    } else {
                        Err(format!("`{key}` is not a status code: expected a code like `200`, a range like `4XX`, or `default`"))
                    }
                })
            }
            Shape::SecurityRequirement => self.each_entry(node, key_span, place, "a mapping of security schemes", |_, _| Ok(STR_LIST)),
            Shape::Callback => {
                self.each_entry(node, key_span, place, "a mapping of expressions", |_, _| Ok(Shape::RefOr(Object::PathItem)))
            }
        }
    }

    /// Checks each entry of a mapping (extensions aside) with the shape `shape_of` gives its key.
    fn each_entry(
        &mut self,
        node: &'p Node,
        key_span: Option<&Span>,
        place: &mut Place<'p>,
        expected: &str,
        shape_of: impl Fn(&str, &Node) -> Result<Shape, String>,
    ) {
        let Some(entries) = node.as_map() else {
            let message = format!("expected {expected}, found {}", describe(node));
            self.report(place, underline(node, key_span), message);
            return;
        };
        for entry in entries {
            if entry.key.starts_with("x-") {
                continue;
            }
            place.steps.push(Step::Key(&entry.key));
            match shape_of(&entry.key, &entry.value) {
                Ok(shape) => self.check(&entry.value, Some(&entry.key_span), place, shape),
                Err(message) => self.report(place, entry.key_span.clone(), message),
            }
            place.steps.pop();
        }
    }

    fn check_object(&mut self, node: &'p Node, span: Span, place: &mut Place<'p>, object: Object) {
        let Some(entries) = node.as_map() else {
            // A schema may be a boolean in 3.1.
            if object == Object::Schema && self.version == SpecVersion::V31 && matches!(node.value, Value::Bool(_)) {
                return;
            }
            let message = format!("expected {}, found {}", object.title().trim_start_matches("the "), describe(node));
            self.report(place, underline(node, Some(&span)), message);
            return;
        };
        let known = fields(object);
        let version = self.version;
        let applies = move |field: &&Field| match field.version {
            Since::Both => true,
            Since::V30 => version == SpecVersion::V30,
            Since::V31 => version == SpecVersion::V31,
        };
        for field in known.iter().filter(applies).filter(|field| field.required) {
            if !entries.iter().any(|entry| entry.key == field.name) {
                let message = format!("{} requires `{}`", object.title(), field.name);
                self.report(place, span.clone(), message);
            }
        }
        for entry in entries {
            if entry.key.starts_with("x-") {
                continue;
            }
            place.steps.push(Step::Key(&entry.key));
            let mut named = known.iter().filter(|field| field.name == entry.key).peekable();
            let other_version = named.peek().is_some();
            match named.find(applies) {
                Some(field) => self.check(&entry.value, Some(&entry.key_span), place, field.shape),
                // 3.1 schemas are JSON Schema 2020-12, where unknown keywords are allowed: a
                // 3.0 keyword there (`nullable`) is valid, and API027 says it has no effect.
                None if other_version && object == Object::Schema && self.version == SpecVersion::V31 => {}
                None if other_version => {
                    let other = if self.version == SpecVersion::V30 { "3.1" } else { "3.0" };
                    let message = format!("`{}` belongs to OpenAPI {other}, not to this document's version", entry.key);
                    self.report(place, entry.key_span.clone(), message);
                }
                // Schemas are open; everything else has only the fields the specification lists.
                None if object == Object::Schema || (object == Object::Document && entry.key == "swagger") => {}
                None => {
                    let mut message = format!("{} has no field `{}`", object.title(), entry.key);
                    if let Some(near) = known.iter().filter(applies).map(|field| field.name).find(|name| is_near(name, &entry.key)) {
                        message.push_str(&format!(" (did you mean `{near}`?)"));
                    } else {
                        message.push_str("; custom fields start with `x-`");
                    }
                    self.report(place, entry.key_span.clone(), message);
                }
            }
            place.steps.pop();
        }
        self.check_object_rules(node, span, place, object);
    }

    /// Requirements that depend on other fields of the same object.
    fn check_object_rules(&mut self, node: &'p Node, span: Span, place: &mut Place<'p>, object: Object) {
        let has = |key: &str| node.get(key).is_some();
        if object == Object::Schema
            && let Some(required) = node.get("required").and_then(Node::as_seq)
        {
            // JSON Schema: the items of `required` must be unique.
            let mut seen = HashSet::new();
            for item in required {
                if let Some(name) = item.as_str()
                    && !seen.insert(name)
                {
                    self.report(place, item.span.clone(), format!("`{name}` is listed twice in `required`; its items must be unique"));
                }
            }
        }
        match object {
            Object::Parameter if !has("schema") && !has("content") => {
                self.report(place, span, "a parameter needs `schema` or `content`".to_owned());
            }
            Object::Parameter
                if node.get("in").and_then(Node::as_str) == Some("path") && node.get("required").and_then(Node::as_bool) != Some(true) =>
            {
                self.report(place, span, "a path parameter must have `required: true`".to_owned());
            }
            Object::SecurityScheme => {
                let needs: &[&str] = match node.get("type").and_then(Node::as_str) {
                    Some("apiKey") => &["name", "in"],
                    Some("http") => &["scheme"],
                    Some("oauth2") => &["flows"],
                    Some("openIdConnect") => &["openIdConnectUrl"],
                    _ => &[],
                };
                for key in needs.iter().filter(|key| !has(key)) {
                    let kind = node.get("type").and_then(Node::as_str).unwrap_or_default();
                    self.report(place, span.clone(), format!("a security scheme of type `{kind}` requires `{key}`"));
                }
            }
            Object::OAuthFlows => {
                for (flow, needs) in [
                    ("implicit", &["authorizationUrl"][..]),
                    ("password", &["tokenUrl"][..]),
                    ("clientCredentials", &["tokenUrl"][..]),
                    ("authorizationCode", &["authorizationUrl", "tokenUrl"][..]),
                ] {
                    let Some(entry) = node.entry(flow) else { continue };
                    for key in needs.iter().filter(|key| entry.value.get(key).is_none() && entry.value.reference().is_none()) {
                        place.steps.push(Step::Key(flow));
                        self.report(place, entry.key_span.clone(), format!("the `{flow}` flow requires `{key}`"));
                        place.steps.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn check_schema_type(&mut self, node: &'p Node, place: &mut Place<'p>) {
        const TYPES_30: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
        const TYPES_31: &[&str] = &["string", "number", "integer", "boolean", "array", "object", "null"];
        let allowed = if self.version == SpecVersion::V30 { TYPES_30 } else { TYPES_31 };
        let check_one = |walker: &mut Self, item: &'p Node| {
            if !item.as_str().is_some_and(|text| allowed.contains(&text)) {
                let mut message = format!("expected a type ({}), found {}", allowed.join(", "), describe(item));
                if walker.version == SpecVersion::V30 && item.as_str() == Some("null") {
                    message = "`null` is not a type in OpenAPI 3.0; use `nullable: true`".to_owned();
                }
                walker.report(place, item.span.clone(), message);
            }
        };
        match (&node.value, self.version) {
            (Value::Seq(items), SpecVersion::V31) => {
                for item in items {
                    check_one(self, item);
                }
            }
            (Value::Seq(_), SpecVersion::V30) => {
                let message = "a list of types is OpenAPI 3.1; in 3.0 `type` is one type (use `nullable: true` or `oneOf`)".to_owned();
                self.report(place, node.span.clone(), message);
            }
            _ => check_one(self, node),
        }
    }

    /// Checks the target of a `$ref`, once per target and shape.
    fn follow(&mut self, node: &'p Node, place: &mut Place<'p>, shape: Shape) {
        let pointer = place.pointer();
        let Ok(resolved) = self.project.resolve(place.file, node, &pointer) else { return };
        let (file, target) = self.project.resolved_pointer(place.file, node, &pointer);
        let shape = match shape {
            Shape::RefOr(object) => Shape::Obj(object),
            Shape::SchemaOrBool => Shape::Obj(Object::Schema),
            other => other,
        };
        if !self.followed.insert((file, target.clone(), shape)) {
            return;
        }
        let mut inner = Place { file, base: target, steps: Path::default() };
        self.check(resolved.node, None, &mut inner, shape);
    }
}

fn is_status_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    key == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit()) || (bytes[1..] == *b"XX" || bytes[1..] == *b"xx")))
}

/// Where a wrong value is underlined: a scalar itself, a mapping or list by its key.
fn underline(node: &Node, key_span: Option<&Span>) -> Span {
    match (&node.value, key_span) {
        (Value::Map(_) | Value::Seq(_), Some(key_span)) => key_span.clone(),
        _ => node.span.clone(),
    }
}

/// A short description of a value for messages.
fn describe(node: &Node) -> String {
    match &node.value {
        Value::Null => "nothing (null)".to_owned(),
        Value::Bool(flag) => format!("`{flag}`"),
        Value::Number(text) => format!("the number `{text}`"),
        Value::String(text) if text.chars().count() > 40 => "a string".to_owned(),
        Value::String(text) => format!("the string `{text}`"),
        Value::Seq(_) => "a list".to_owned(),
        Value::Map(_) => "a mapping".to_owned(),
    }
}

/// True for a likely typo: the same letters in another case, or one edit apart.
fn is_near(known: &str, typed: &str) -> bool {
    if known.eq_ignore_ascii_case(typed) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (known.chars().collect(), typed.chars().collect());
    if a.len().abs_diff(b.len()) > 1 || a.len() < 4 {
        return false;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, left) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, right) in b.iter().enumerate() {
            let cost = usize::from(left != right);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()] <= 1 + usize::from(a.len() >= 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::project::FileSource;
    use std::path::Path;
    use std::sync::Arc;

    struct One(&'static str);

    impl FileSource for One {
        fn read(&self, _: &Path) -> Result<Arc<str>, String> {
            Ok(self.0.into())
        }
    }

    fn problems(text: &'static str, version: SpecVersion) -> Vec<(String, String)> {
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &One(text)).unwrap();
        validate(&project, version).into_iter().map(|problem| (problem.pointer.to_string(), problem.message)).collect()
    }

    #[test]
    fn accepts_valid_documents_of_both_versions() {
        let v30 =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(problems(v30, SpecVersion::V30), []);
        let v31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: [string, 'null']}\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(problems(v31, SpecVersion::V31), []);
    }

    #[test]
    fn reports_every_problem_where_it_is() {
        let text = "openapi: 3.0.3\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      responses: nope\n      summmary: x\n    post:\n      parameters:\n        - {name: id, in: body, schema: {type: [string, 'null']}}\n      responses: {'200': {description: ok}, 'ok': {}}\n";
        let found = problems(text, SpecVersion::V30);
        let pointers: Vec<&str> = found.iter().map(|(pointer, _)| pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/info",
                "/paths/~1a/get/responses",
                "/paths/~1a/get/summmary",
                "/paths/~1a/post/parameters/0/in",
                "/paths/~1a/post/parameters/0/schema/type",
                "/paths/~1a/post/responses/ok"
            ],
            "{found:#?}"
        );
        assert!(found[2].1.contains("did you mean `summary`"), "{found:#?}");
    }

    #[test]
    fn judges_3_1_schemas_as_json_schema_2020_12() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      nullable: true\n      required: [id, name, id]\n      properties:\n        n: {type: integer, exclusiveMinimum: true}\n";
        let found = problems(text, SpecVersion::V31);
        let pointers: Vec<&str> = found.iter().map(|(pointer, _)| pointer.as_str()).collect();
        // `nullable` is an unknown keyword, which 2020-12 allows (API027 says it does nothing).
        assert_eq!(pointers, ["/components/schemas/A/properties/n/exclusiveMinimum", "/components/schemas/A"], "{found:#?}");
        assert!(found[1].1.contains("`id` is listed twice"), "{found:#?}");
    }

    #[test]
    fn near_names() {
        assert!(is_near("description", "desciption"));
        assert!(is_near("operationId", "operationID"));
        assert!(!is_near("get", "got"));
    }
}
