//! Schemas → Rust types: names inline schemas from where they stand, resolves `$ref`s to
//! component types, and decides each field's presence.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Discriminator, IntegerFormat, NumberFormat, ReferenceOr, Schema,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::model::{
    Access, EnumVariant, Field, IntegerKind, NumberKind, Presence, Struct, TypeDef, TypeKind,
    TypeRef, Union, UnionVariant,
};
use super::naming::{pascal, snake_ident, type_name, Namespace};
use super::queries::TypeQueries;
use crate::diagnostics::Diagnostics;
use crate::error::SpecError;
use crate::pointer::Pointer;

/// The name of the member that keeps unknown fields, unless a property takes it.
const EXTRA_FIELD: &str = "extra";

/// A resolved schema: its Rust type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub ty: TypeRef,
    pub nullable: bool,
    pub description: Option<String>,
    pub default: Option<serde_json::Value>,
    /// The schema's `example` when it is one string, number or boolean: what the docs'
    /// example calls show.
    pub example: Option<serde_json::Value>,
}

impl Resolved {
    /// The type where nothing but the type says whether `null` is allowed (an array item, a
    /// map value, a union member, a body): `Option<T>` when it is (`serde_json::Value`
    /// holds `null` already).
    pub fn nullable_ty(self) -> TypeRef {
        if self.nullable && self.ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }

    /// Any JSON value, nothing known about it.
    pub fn any() -> Self {
        Resolved {
            ty: TypeRef::Json,
            nullable: false,
            description: None,
            default: None,
            example: None,
        }
    }
}

/// Builds the named types of an API, in the order they are asked for.
pub struct TypeRegistry<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    /// Each component key's schema once component-to-component aliases are followed
    /// (`None`: the chain ends nowhere or loops), found once for all: following a chain at
    /// every reference would cost its length each time.
    targets: HashMap<&'a str, Option<&'a Schema>>,
    /// Component key → Rust type name.
    component_names: BTreeMap<String, String>,
    names: Namespace,
    defs: Vec<TypeDef>,
    /// Type name → index in `defs`, so that `type_named` does not scan.
    by_name: BTreeMap<String, usize>,
    /// Schemas typed with a fallback, reported as warnings.
    pub diagnostics: Diagnostics,
    /// Unions that may be tagged, decided once every type is defined (a member may be
    /// defined after the union that names it).
    maybe_tagged: Vec<MaybeTagged>,
    /// Required members whose schema says they are constants (struct name, wire name):
    /// fixed once every type is defined, if their type turns out to have one value.
    constant_members: Vec<(String, String)>,
}

/// The types defined so far, found through the index of names.
impl TypeQueries for TypeRegistry<'_> {
    fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.by_name.get(name).map(|&index| &self.defs[index])
    }

    fn type_count(&self) -> usize {
        self.defs.len()
    }
}

/// What deciding whether a union is tagged needs besides its variants.
struct MaybeTagged {
    type_name: String,
    /// Each member's `$ref`, or `None` for an inline member.
    references: Vec<Option<String>>,
    discriminator: Option<Discriminator>,
}

impl<'a> TypeRegistry<'a> {
    /// Names every component schema first, so references resolve whatever the order.
    pub fn new(
        components: &'a IndexMap<String, ReferenceOr<Schema>>,
        diagnostics: Diagnostics,
    ) -> Self {
        let mut names = Namespace::default();
        let component_names = components
            .keys()
            .map(|key| (key.clone(), names.claim(&type_name(key))))
            .collect();
        Self {
            components,
            targets: alias_targets(components),
            component_names,
            names,
            defs: Vec::new(),
            by_name: BTreeMap::new(),
            diagnostics,
            maybe_tagged: Vec::new(),
            constant_members: Vec::new(),
        }
    }

    /// Defines a type for each component schema; one that cannot be typed becomes an alias
    /// of `serde_json::Value`, with a warning.
    pub fn define_components(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        let components = self.components;
        for (key, schema) in components {
            let name = self.component_names[key].clone();
            let pointer = schemas.join(key);
            let kind = match schema {
                ReferenceOr::Reference { reference } => {
                    let resolved = self.reference(reference, &pointer);
                    TypeKind::Alias(self.or_json(resolved).ty)
                }
                ReferenceOr::Item(schema) => self.kind_or_json(&name, schema, &pointer),
            };
            let docs = match schema {
                ReferenceOr::Item(schema) => describe(schema),
                ReferenceOr::Reference { .. } => None,
            };
            self.push(TypeDef {
                name,
                docs,
                field_of: None,
                origin: pointer.into(),
                kind,
                gate: Vec::new(),
            });
        }
    }

    /// The Rust type of a schema that stands at `pointer`; inline objects and enums become
    /// named types called `hint` (or `hint2`, ... when taken). A schema that cannot be typed
    /// is `serde_json::Value`, with a warning.
    ///
    /// Takes schemas as the document holds them, inline (`Schema`) or boxed (`Box<Schema>`).
    pub fn resolve<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &Pointer,
    ) -> Resolved {
        let resolved = match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), hint, pointer),
        };
        self.or_json(resolved)
    }

    /// A union of types the description does not gather into one schema itself (the
    /// payloads of its webhooks), named `hint` or the next free name. Each member is a
    /// variant named by its label; once every type is defined it is tagged, as a `oneOf`
    /// would be, when the members' objects tell themselves apart by a property (and then
    /// named by their tag values).
    pub fn define_union(
        &mut self,
        hint: &str,
        docs: Option<String>,
        members: Vec<(TypeRef, String)>,
        pointer: &Pointer,
    ) -> String {
        let name = self.names.claim(&type_name(hint));
        let referenced = vec![false; members.len()];
        let mut union = Union {
            tag: None,
            variants: members
                .into_iter()
                .map(|(ty, label)| UnionVariant {
                    rust_name: label,
                    ty,
                    tags: Vec::new(),
                    from: false,
                })
                .collect(),
            from_str: None,
            default: None,
        };
        name_variants(
            &name,
            &mut union,
            &referenced,
            Namespace::with_reserved(["Self"]),
        );
        self.maybe_tagged.push(MaybeTagged {
            type_name: name.clone(),
            references: vec![None; union.variants.len()],
            discriminator: None,
        });
        self.push(TypeDef {
            name: name.clone(),
            docs,
            field_of: None,
            origin: pointer.to_string(),
            kind: TypeKind::Union(union),
            gate: Vec::new(),
        });
        name
    }

    /// The fallback for a schema that cannot be typed: any JSON value, and a warning that
    /// says where and why.
    fn or_json(&mut self, resolved: Result<Resolved, SpecError>) -> Resolved {
        resolved.unwrap_or_else(|error| {
            self.fall_back(error);
            Resolved::any()
        })
    }

    fn fall_back(&mut self, error: SpecError) {
        self.diagnostics.warn(
            error.pointer,
            format!("{}; typed as `serde_json::Value`", error.reason),
        );
    }

    fn kind_or_json(&mut self, name: &str, schema: &Schema, pointer: &Pointer) -> TypeKind {
        self.kind_of(name, schema, pointer).unwrap_or_else(|error| {
            self.fall_back(error);
            TypeKind::Alias(TypeRef::Json)
        })
    }

    /// The component schema a reference points to, with its Rust name.
    pub fn component(&self, reference: &str) -> Option<(&'a Schema, &str)> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        let key = key.replace("~1", "/").replace("~0", "~");
        let name = self.component_names.get(&key)?;
        let schema = (*self.targets.get(key.as_str())?)?;
        Some((schema, name))
    }

    /// Whether `null` is a value of the schema: it says `nullable`, or it is an `allOf` whose
    /// members all allow `null` (a member that only annotates allows any value), or one of
    /// whose annotating members says `nullable: true` (`allOf: [$ref, {nullable: true}]`, the
    /// usual way to make a reference nullable in 3.0).
    fn allows_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
            return false;
        };
        if depth > MAX_ALL_OF_DEPTH {
            return false;
        }
        let annotated_nullable = all_of.iter().any(|member| {
            matches!(member, ReferenceOr::Item(item) if is_annotation(item) && item.schema_data.nullable)
        });
        annotated_nullable
            || all_of.iter().all(|member| match member {
                ReferenceOr::Item(item) if is_annotation(item) => true,
                member => self
                    .schema_of(member)
                    .is_some_and(|target| self.allows_null(target, depth + 1)),
            })
    }

    /// The schema a schema or reference stands for (a reference followed to its component).
    pub fn schema_of<'s, S: Borrow<Schema>>(
        &'s self,
        schema: &'s ReferenceOr<S>,
    ) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema.borrow()),
            ReferenceOr::Reference { reference } => self.component(reference).map(|(s, _)| s),
        }
    }

    fn reference(&self, reference: &str, pointer: &Pointer) -> Result<Resolved, SpecError> {
        let Some((schema, name)) = self.component(reference) else {
            let reason = if reference.starts_with("#/components/schemas/") {
                format!("`$ref: {reference}` points to no schema (or to a cycle of references)")
            } else if !reference.starts_with('#') {
                format!("`$ref: {reference}` could not be resolved")
            } else {
                format!("`$ref: {reference}`: only references to `#/components/schemas/...` are supported for schemas")
            };
            return Err(SpecError::new(pointer.clone(), reason));
        };
        Ok(Resolved {
            ty: TypeRef::Named(name.to_owned()),
            nullable: self.allows_null(schema, 0),
            description: None,
            default: schema.schema_data.default.clone(),
            example: scalar_example(schema.schema_data.example.as_ref()),
        })
    }

    fn inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<Resolved, SpecError> {
        let data = &schema.schema_data;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if string.enumeration.iter().any(Option::is_some) {
                    self.define(hint, schema, pointer)?
                } else if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) {
                    TypeRef::File
                } else {
                    TypeRef::String
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                TypeRef::Integer(integer_kind(&integer.format))
            }
            SchemaKind::Type(Type::Number(number)) => TypeRef::Number(number_kind(&number.format)),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    self.map_type(object.additional_properties.as_ref(), hint, pointer)?
                } else {
                    self.define(hint, schema, pointer)?
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                self.array_type(array.items.as_ref(), hint, pointer)?
            }
            SchemaKind::AllOf { all_of } => match effective_members(all_of).as_slice() {
                // `allOf: [$ref]` (often with a description or `nullable` beside it).
                [(index, ReferenceOr::Reference { reference })] => {
                    self.reference(reference, &pointer.join("allOf").join(index))?
                        .ty
                }
                _ => self.define(hint, schema, pointer)?,
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.define(hint, schema, pointer)?
            }
            SchemaKind::Not { .. } => {
                return Err(SpecError::new(
                    pointer.clone(),
                    "`not` schemas are not supported",
                ))
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || is_string_enum(&any.enumeration) {
                    self.define(hint, schema, pointer)?
                } else if any.typ.as_deref() == Some("array")
                    || (any.items.is_some() && any.typ.is_none())
                {
                    self.array_type(any.items.as_ref(), hint, pointer)?
                } else if any.typ.as_deref() == Some("object")
                    || any.additional_properties.is_some()
                {
                    self.map_type(any.additional_properties.as_ref(), hint, pointer)?
                } else if let Some(typ) = any.typ.as_deref() {
                    // A primitive with keywords of another type beside it (`type: string`
                    // with `minItems`, say): the `type` decides.
                    match typ {
                        "string" if any.format.as_deref() == Some("binary") => TypeRef::File,
                        "string" => TypeRef::String,
                        "boolean" => TypeRef::Boolean,
                        "integer" => TypeRef::Integer(integer_kind(&unparsed_format(&any.format))),
                        "number" => TypeRef::Number(number_kind(&unparsed_format(&any.format))),
                        _ => {
                            self.diagnostics.warn(
                                pointer.join("type"),
                                format!("schema type `{typ}` is not one of OpenAPI's types (is a keyword misspelt or misplaced?); typed as `serde_json::Value`"),
                            );
                            TypeRef::Json
                        }
                    }
                } else {
                    TypeRef::Json
                }
            }
        };
        Ok(Resolved {
            ty,
            nullable: self.allows_null(schema, 0),
            description: with_values(data.description.clone(), schema),
            default: data.default.clone(),
            example: scalar_example(data.example.as_ref()),
        })
    }

    fn array_type(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, SpecError> {
        let item = match items {
            Some(items) => self
                .resolve(items, hint, &pointer.join("items"))
                .nullable_ty(),
            None => TypeRef::Json,
        };
        Ok(TypeRef::Array(Box::new(item)))
    }

    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, SpecError> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.resolve(
                    schema,
                    &format!("{hint}Value"),
                    &pointer.join("additionalProperties"),
                );
                TypeRef::Map(Box::new(value.nullable_ty()))
            }
            _ => TypeRef::JsonObject,
        })
    }

    /// Defines a named type for an inline schema and returns a reference to it.
    fn define(
        &mut self,
        hint: &str,
        schema: &Schema,
        pointer: &Pointer,
    ) -> Result<TypeRef, SpecError> {
        let hinted = schema.schema_data.extensions.get(NAME_HINT);
        let wanted = hinted.and_then(serde_json::Value::as_str).unwrap_or(hint);
        let name = self.names.claim(&type_name(wanted));
        let kind = self.kind_or_json(&name, schema, pointer);
        self.push(TypeDef {
            name: name.clone(),
            docs: describe(schema),
            field_of: None,
            origin: pointer.to_string(),
            kind,
            gate: Vec::new(),
        });
        Ok(TypeRef::Named(name))
    }

    /// What a named type is: struct, open enum, union or alias.
    fn kind_of(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &Pointer,
    ) -> Result<TypeKind, SpecError> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string))
                if string.enumeration.iter().any(Option::is_some) =>
            {
                Ok(TypeKind::Enum(enum_variants(
                    string.enumeration.iter().flatten().map(String::as_str),
                )))
            }
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                let members = Members::of(&object.properties, &object.required, pointer);
                self.struct_kind(name, members)
            }
            SchemaKind::Any(any)
                if any.properties.is_empty() && is_string_enum(&any.enumeration) =>
            {
                Ok(TypeKind::Enum(enum_variants(
                    any.enumeration.iter().filter_map(|v| v.as_str()),
                )))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let members = Members::of(&any.properties, &any.required, pointer);
                self.struct_kind(name, members)
            }
            SchemaKind::AllOf { all_of } => self.all_of_kind(name, all_of, pointer),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let discriminator = schema.schema_data.discriminator.as_ref();
                self.union_kind(name, members, discriminator, &pointer.join(keyword))
            }
            _ => {
                // Anything else named as a component: an alias of its inline type.
                let resolved = self.inline_anonymous(name, schema, pointer)?;
                Ok(TypeKind::Alias(resolved))
            }
        }
    }

    /// The type of a component that is not itself a struct/enum/union (e.g. `type: string`).
    fn inline_anonymous(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &Pointer,
    ) -> Result<TypeRef, SpecError> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Array(array)) => {
                self.array_type(array.items.as_ref(), &format!("{name}Item"), pointer)?
            }
            SchemaKind::Type(Type::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), name, pointer)?
            }
            _ => self.inline(schema, &format!("{name}Value"), pointer)?.ty,
        })
    }

    /// `allOf`: members that only annotate (`description`, `nullable`) are skipped; a single
    /// remaining member is the type itself; object members are merged into one struct. A
    /// member that is not an object (a union, a primitive) cannot be merged into a struct: when
    /// objects are present it is left out, with a warning (its members still round-trip
    /// through the struct's unknown-field map); when none are, the first such member is the type.
    fn all_of_kind(
        &mut self,
        name: &str,
        all_of: &[ReferenceOr<Schema>],
        pointer: &Pointer,
    ) -> Result<TypeKind, SpecError> {
        let members_at = pointer.join("allOf");
        let effective = effective_members(all_of);
        if let [(index, single)] = effective.as_slice() {
            return self.member_kind(name, single, &members_at.join(index));
        }
        let mut members = Members::default();
        let mut not_objects = Vec::new();
        for (index, part) in &effective {
            let at = members_at.join(index);
            if !self.collect_members(part, &at, &mut members, 0)? {
                not_objects.push((at, *part));
            }
        }
        if members.properties.is_empty() {
            let Some((at, first)) = not_objects.first() else {
                return Ok(TypeKind::Alias(TypeRef::JsonObject));
            };
            for (ignored, _) in &not_objects[1..] {
                self.diagnostics.warn(
                    ignored,
                    "this `allOf` member is not an object and cannot be combined with the first; only the first is typed",
                );
            }
            return self.member_kind(name, first, at);
        }
        for (ignored, _) in &not_objects {
            self.diagnostics.warn(
                ignored,
                "this `allOf` member is not an object, so its fields are not typed on the merged struct (they are kept in its unknown-field map)",
            );
        }
        self.struct_kind(name, members)
    }

    /// The kind of a type that is one `allOf` member: an alias of a referenced schema, or the
    /// inline member's own kind under the type's name.
    fn member_kind(
        &mut self,
        name: &str,
        member: &ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<TypeKind, SpecError> {
        match member {
            ReferenceOr::Reference { reference } => {
                Ok(TypeKind::Alias(self.reference(reference, at)?.ty))
            }
            ReferenceOr::Item(schema) => self.kind_of(name, schema, at),
        }
    }

    /// Adds the properties of an object member (following references and nested `allOf`s);
    /// false when the member is not an object.
    fn collect_members(
        &self,
        part: &ReferenceOr<Schema>,
        pointer: &Pointer,
        members: &mut Members,
        depth: usize,
    ) -> Result<bool, SpecError> {
        if depth > 32 {
            return Err(SpecError::new(
                pointer.clone(),
                "`allOf` nests too deeply (a reference cycle?)",
            ));
        }
        let (schema, pointer) = match part {
            ReferenceOr::Reference { reference } => {
                let (schema, _) = self.component(reference).ok_or_else(|| {
                    SpecError::new(
                        pointer.clone(),
                        format!("`$ref: {reference}` points to no component schema"),
                    )
                })?;
                (
                    schema,
                    Pointer::from_ref(reference).unwrap_or_else(|| pointer.clone()),
                )
            }
            ReferenceOr::Item(schema) => (schema, pointer.clone()),
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (&object.properties, &object.required),
            SchemaKind::Any(any) => (&any.properties, &any.required),
            SchemaKind::AllOf { all_of } => {
                let mut any_object = false;
                for (index, inner) in effective_members(all_of) {
                    any_object |= self.collect_members(
                        inner,
                        &pointer.join("allOf").join(index),
                        members,
                        depth + 1,
                    )?;
                }
                return Ok(any_object);
            }
            _ => return Ok(false),
        };
        for (key, property) in properties {
            let at = pointer.join("properties").join(key);
            match members
                .properties
                .iter_mut()
                .find(|(existing, _, _)| existing == key)
            {
                // A later member restates a property: the later (more specific) schema wins.
                Some(slot) => *slot = (key.clone(), property.clone(), at),
                None => members.properties.push((key.clone(), property.clone(), at)),
            }
        }
        members.required.extend(required_at(required, &pointer));
        Ok(true)
    }

    fn struct_kind(&mut self, name: &str, members: Members) -> Result<TypeKind, SpecError> {
        let mut field_names = Namespace::default();
        let mut fields = Vec::with_capacity(members.properties.len());
        for (wire_name, property, pointer) in &members.properties {
            let hint = format!("{name}{}", pascal(wire_name));
            let resolved = self.resolve(property, &hint, pointer);
            let data = match property {
                ReferenceOr::Item(schema) => Some(&schema.schema_data),
                ReferenceOr::Reference { reference } => self
                    .component(reference)
                    .map(|(schema, _)| &schema.schema_data),
            };
            let access = match data {
                Some(data) if data.read_only => Access::ReadOnly,
                Some(data) if data.write_only => Access::WriteOnly,
                _ => Access::ReadWrite,
            };
            let deprecated = data.is_some_and(|data| data.deprecated);
            let required = members.required.contains_key(wire_name) && access == Access::ReadWrite;
            let presence = match (required, resolved.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            if presence == Presence::Required
                && data.is_some_and(|data| is_marked_constant(&data.extensions))
            {
                self.constant_members
                    .push((name.to_owned(), wire_name.clone()));
            }
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(&snake_ident(wire_name)),
                docs: with_default(resolved.description, resolved.default.as_ref()),
                origin: pointer.to_string(),
                ty: resolved.ty,
                presence,
                access,
                deprecated,
                fixed: None,
                example: resolved.example,
            });
        }
        // A required name the schema does not declare: the value must be there, any value.
        for (wire_name, at) in &members.required {
            if members
                .properties
                .iter()
                .any(|(name, ..)| name == wire_name)
            {
                continue;
            }
            self.diagnostics.warn(
                at,
                format!("`{wire_name}` is required but not declared as a property; typed as a required `serde_json::Value`"),
            );
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(&snake_ident(wire_name)),
                docs: None,
                origin: at.to_string(),
                ty: TypeRef::Json,
                presence: Presence::Required,
                access: Access::ReadWrite,
                deprecated: false,
                fixed: None,
                example: None,
            });
        }
        let extra_field = field_names.claim(EXTRA_FIELD);
        Ok(TypeKind::Struct(Struct {
            fields,
            extra_field,
        }))
    }

    /// `oneOf`/`anyOf`: strings and string enums become one open enum; anything else a
    /// union, untagged until [`TypeRegistry::finish`] finds its tag (see
    /// [`TypeRegistry::tagged`]).
    fn union_kind(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&Discriminator>,
        pointer: &Pointer,
    ) -> Result<TypeKind, SpecError> {
        // Strings and string enums only: one open enum with every listed value.
        let mut values = Vec::new();
        let all_strings = members.iter().all(|member| match member {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(string)),
                ..
            }) => {
                values.extend(string.enumeration.iter().flatten().cloned());
                true
            }
            _ => false,
        });
        if all_strings && !values.is_empty() {
            return Ok(TypeKind::Enum(enum_variants(
                values.iter().map(String::as_str),
            )));
        }
        let labels = self.member_labels(members, discriminator);
        let mut resolved = Vec::with_capacity(members.len());
        for ((index, member), label) in members.iter().enumerate().zip(&labels) {
            let at = pointer.join(index);
            resolved.push(
                self.resolve(member, &format!("{name}{label}"), &at)
                    .nullable_ty(),
            );
        }
        if resolved.is_empty() {
            return Err(SpecError::new(
                pointer.clone(),
                "a union needs at least one member",
            ));
        }
        self.maybe_tagged.push(MaybeTagged {
            type_name: name.to_owned(),
            references: members
                .iter()
                .map(|member| match member {
                    ReferenceOr::Reference { reference } => Some(reference.clone()),
                    ReferenceOr::Item(_) => None,
                })
                .collect(),
            discriminator: discriminator.cloned(),
        });
        let variant_names = Namespace::with_reserved(["Self"]);
        let variants = resolved
            .into_iter()
            .zip(members.iter().zip(labels))
            .map(|(ty, (member, label))| {
                // An inline member is named by what identifies it, not by its type's name; a
                // referenced one by its type's name without the union's own words.
                let wanted = match (member, &ty) {
                    (ReferenceOr::Item(_), TypeRef::Named(_)) => label,
                    (_, TypeRef::Named(named)) => named.clone(),
                    (_, other) => primitive_label(other).to_owned(),
                };
                UnionVariant {
                    rust_name: wanted,
                    ty,
                    tags: Vec::new(),
                    from: false,
                }
            })
            .collect();
        let mut union = Union {
            tag: None,
            variants,
            from_str: None,
            default: None,
        };
        let referenced: Vec<bool> = members
            .iter()
            .map(|member| matches!(member, ReferenceOr::Reference { .. }))
            .collect();
        name_variants(name, &mut union, &referenced, variant_names);
        Ok(TypeKind::Union(union))
    }

    /// What names each member of a union, from what identifies it, never from its place
    /// when anything does: its `x-sdk-name` hint, its `title`, the value it fixes a tag
    /// property to (the discriminator's, else the first property whose fixed values tell
    /// the members apart: `type: {const: response.failed}` → `ResponseFailed`), the one
    /// value it is (`enum: [auto]` → `Auto`), the schema it wraps (`allOf: [$ref]`), or its
    /// kind (`String`, `Array`, ...). Only a member that
    /// none of these names, or that shares its name with another, is named by its position
    /// (`Variant3`). A member given by `$ref` keeps its component's name.
    fn member_labels(
        &self,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&Discriminator>,
    ) -> Vec<String> {
        let fixed: Vec<Vec<(String, String)>> = members
            .iter()
            .map(|member| match member {
                ReferenceOr::Item(schema) => self.fixed_properties(schema, 0),
                ReferenceOr::Reference { .. } => Vec::new(),
            })
            .collect();
        let tag = self.telling_property(&fixed, discriminator);
        let labels: Vec<Option<String>> = members
            .iter()
            .zip(&fixed)
            .map(|(member, fixed)| {
                let ReferenceOr::Item(schema) = member else {
                    return None;
                };
                let hinted = schema
                    .schema_data
                    .extensions
                    .get(NAME_HINT)
                    .and_then(serde_json::Value::as_str);
                let tagged = tag.as_deref().and_then(|tag| {
                    fixed
                        .iter()
                        .find(|(property, _)| property == tag)
                        .map(|(_, value)| value.as_str())
                });
                let constant = match &schema.schema_kind {
                    SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
                        [Some(value)] => Some(value.as_str()),
                        _ => None,
                    },
                    _ => None,
                };
                hinted
                    .or(schema.schema_data.title.as_deref())
                    .or(tagged)
                    .or(constant)
                    .map(pascal)
                    .or_else(|| self.wrapped_reference(schema))
                    .or_else(|| kind_label(schema).map(str::to_owned))
            })
            .collect();
        labels
            .iter()
            .enumerate()
            .map(|(index, label)| match label {
                Some(label) if labels.iter().flatten().filter(|l| *l == label).count() == 1 => {
                    label.clone()
                }
                _ => format!("Variant{index}"),
            })
            .collect()
    }

    /// The property whose fixed values tell apart the members that fix it: the
    /// discriminator's, else the first (in the members' order) whose values are distinct.
    fn telling_property(
        &self,
        fixed: &[Vec<(String, String)>],
        discriminator: Option<&Discriminator>,
    ) -> Option<String> {
        let candidates = discriminator
            .map(|d| d.property_name.clone())
            .into_iter()
            .chain(fixed.iter().flatten().map(|(property, _)| property.clone()));
        for property in candidates {
            let values: Vec<&String> = fixed
                .iter()
                .filter_map(|member| member.iter().find(|(p, _)| *p == property))
                .map(|(_, value)| value)
                .collect();
            let distinct: BTreeSet<&String> = values.iter().copied().collect();
            if !values.is_empty() && distinct.len() == values.len() {
                return Some(property);
            }
        }
        None
    }

    /// The properties an object schema fixes to one string value (`const`, a one-value
    /// `enum`, or a reference to one), through `allOf` members and references.
    fn fixed_properties(&self, schema: &Schema, depth: usize) -> Vec<(String, String)> {
        if depth > MAX_ALL_OF_DEPTH {
            return Vec::new();
        }
        let properties = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => &object.properties,
            SchemaKind::Any(any) => &any.properties,
            SchemaKind::AllOf { all_of } => {
                return all_of
                    .iter()
                    .filter_map(|member| self.schema_of(member))
                    .flat_map(|member| self.fixed_properties(member, depth + 1))
                    .collect();
            }
            _ => return Vec::new(),
        };
        properties
            .iter()
            .filter_map(|(name, property)| {
                let property = self.schema_of(property)?;
                let values = match &property.schema_kind {
                    SchemaKind::Type(Type::String(string)) => {
                        string.enumeration.iter().flatten().cloned().collect()
                    }
                    SchemaKind::Any(any) => any
                        .enumeration
                        .iter()
                        .filter_map(|value| value.as_str().map(str::to_owned))
                        .collect(),
                    _ => Vec::new(),
                };
                match values.as_slice() {
                    [value] => Some((name.clone(), value.clone())),
                    _ => None,
                }
            })
            .collect()
    }

    /// The Rust name of the one component an `allOf` wraps (`allOf: [$ref: X, {...}]`).
    fn wrapped_reference(&self, schema: &Schema) -> Option<String> {
        let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
            return None;
        };
        let references: Vec<&String> = all_of
            .iter()
            .filter_map(|member| match member {
                ReferenceOr::Reference { reference } => Some(reference),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        match references.as_slice() {
            [reference] => self.component(reference).map(|(_, name)| name.to_owned()),
            _ => None,
        }
    }

    /// A tagged union, when every member is an object with its own values of one property:
    /// the `discriminator`'s (its `mapping`, else the member's fixed value of the property,
    /// else the name of the member's schema), or without one, the first property that every
    /// member fixes to a single value (`const`, or a one-value `enum`). `None` when a member
    /// is not an object, has no value, or shares one with another member.
    fn tagged(&self, candidate: &MaybeTagged, untagged: &Union) -> Option<Union> {
        let discriminator = candidate.discriminator.as_ref();
        let structs: Vec<&Struct> = untagged
            .variants
            .iter()
            .map(|variant| self.struct_of(&variant.ty))
            .collect::<Option<_>>()?;
        let properties: Vec<&str> = match discriminator {
            Some(discriminator) => vec![discriminator.property_name.as_str()],
            None => structs[0]
                .fields
                .iter()
                .map(|field| field.wire_name.as_str())
                .collect(),
        };
        'properties: for property in properties {
            let mut seen = BTreeSet::new();
            let mut tags = Vec::with_capacity(structs.len());
            for (reference, fields) in candidate.references.iter().zip(&structs) {
                let reference = reference.as_deref();
                let mut values = match (discriminator, reference) {
                    (Some(discriminator), Some(reference)) => {
                        mapped_values(discriminator, reference)
                    }
                    _ => Vec::new(),
                };
                if values.is_empty() {
                    values.extend(self.fixed_value(fields, property));
                }
                if values.is_empty() && discriminator.is_some() {
                    values.extend(reference.and_then(component_key).map(str::to_owned));
                }
                if values.is_empty() || !values.iter().all(|value| seen.insert(value.clone())) {
                    continue 'properties;
                }
                tags.push(values);
            }
            let names = Namespace::with_reserved(["Self", "Unknown"]);
            let variants = untagged
                .variants
                .iter()
                .zip(&candidate.references)
                .zip(tags)
                .map(|((variant, reference), tags)| {
                    // An inline member is named by its tag, not by its made-up type name.
                    let wanted = match (reference, &variant.ty) {
                        (Some(_), TypeRef::Named(named)) => named.clone(),
                        _ => pascal(&tags[0]),
                    };
                    UnionVariant {
                        rust_name: wanted,
                        ty: variant.ty.clone(),
                        tags,
                        from: false,
                    }
                })
                .collect();
            let mut union = Union {
                tag: Some(property.to_owned()),
                variants,
                from_str: None,
                default: None,
            };
            let referenced: Vec<bool> = candidate.references.iter().map(Option::is_some).collect();
            name_variants(&candidate.type_name, &mut union, &referenced, names);
            union.default = default_member(discriminator, &candidate.references)
                .and_then(|index| union.variants.get(index))
                .map(|variant| variant.rust_name.clone());
            return Some(union);
        }
        None
    }

    /// The one value a struct's field `property` can take: a one-value enum.
    fn fixed_value(&self, fields: &Struct, property: &str) -> Option<String> {
        let field = fields.fields.iter().find(|f| f.wire_name == property)?;
        self.single_variant(&field.ty)
            .map(|variant| variant.wire_value.clone())
    }

    /// The one variant of a one-value enum, or of an alias of one.
    fn single_variant<'t>(&'t self, ty: &'t TypeRef) -> Option<&'t EnumVariant> {
        match self.kind_of(ty)? {
            TypeKind::Enum(variants) if variants.len() == 1 => variants.first(),
            _ => None,
        }
    }

    /// Marks the required members whose value the schema fixes: those marked constants
    /// (`const`, `x-stainless-const`) and the tag of each tagged union's variants, when their
    /// type has one value.
    fn fix_members(&mut self) {
        let mut candidates = std::mem::take(&mut self.constant_members);
        for def in &self.defs {
            let TypeKind::Union(Union {
                tag: Some(tag),
                variants,
                ..
            }) = &def.kind
            else {
                continue;
            };
            candidates.extend(variants.iter().filter_map(|variant| match &variant.ty {
                TypeRef::Named(name) => Some((name.clone(), tag.clone())),
                _ => None,
            }));
        }
        let mut fixed = Vec::new();
        for (type_name, wire_name) in candidates {
            let Some(&index) = self.by_name.get(&type_name) else {
                continue;
            };
            let TypeKind::Struct(fields) = &self.defs[index].kind else {
                continue;
            };
            for (position, field) in fields.fields.iter().enumerate() {
                if field.wire_name != wire_name || field.presence != Presence::Required {
                    continue;
                }
                if let Some(variant) = self.single_variant(&field.ty) {
                    fixed.push((index, position, variant.rust_name.clone()));
                }
            }
        }
        for (index, position, variant) in fixed {
            if let TypeKind::Struct(fields) = &mut self.defs[index].kind {
                fields.fields[position].fixed = Some(variant);
            }
        }
    }

    fn push(&mut self, def: TypeDef) {
        self.by_name
            .entry(def.name.clone())
            .or_insert(self.defs.len());
        self.defs.push(def);
    }

    /// Every type defined, sorted by name, with self-containing fields boxed, and the
    /// problems found on the way.
    pub fn finish(mut self) -> (Vec<TypeDef>, Diagnostics) {
        let tagged: Vec<(usize, Union)> = self
            .maybe_tagged
            .iter()
            .filter_map(|candidate| {
                let index = *self.by_name.get(&candidate.type_name)?;
                let TypeKind::Union(untagged) = &self.defs[index].kind else {
                    return None;
                };
                Some((index, self.tagged(candidate, untagged)?))
            })
            .collect();
        for (index, union) in tagged {
            self.defs[index].kind = TypeKind::Union(union);
        }
        self.fix_members();
        break_alias_cycles(&mut self.defs, &mut self.diagnostics);
        box_recursive_fields(&mut self.defs);
        point_member_types_to_their_fields(&mut self.defs);
        self.defs.sort_by(|a, b| a.name.cmp(&b.name));
        convert_into_unions(&mut self.defs);
        (self.defs, self.diagnostics)
    }
}

/// Decides which values convert `From` into each union: a variant's type when no other
/// variant has the same Rust type (aliases read as what they stand for, a box as what it
/// holds) and it is not the union itself; and `&str` where such a variant is a string.
/// `defs` is sorted by name.
fn convert_into_unions(defs: &mut [TypeDef]) {
    let decided: Vec<(usize, Vec<bool>, Option<String>)> = defs
        .iter()
        .enumerate()
        .filter_map(|(index, def)| {
            let TypeKind::Union(union) = &def.kind else {
                return None;
            };
            let types = &*defs;
            let keys: Vec<TypeRef> = union
                .variants
                .iter()
                .map(|variant| match &variant.ty {
                    TypeRef::Boxed(inner) => canonical(types, inner),
                    other => canonical(types, other),
                })
                .collect();
            let itself = TypeRef::Named(def.name.clone());
            let from: Vec<bool> = keys
                .iter()
                .map(|key| *key != itself && keys.iter().filter(|k| *k == key).count() == 1)
                .collect();
            let from_str = union
                .variants
                .iter()
                .zip(&keys)
                .zip(&from)
                .find(|((_, key), from)| **from && **key == TypeRef::String)
                .map(|((variant, _), _)| variant.rust_name.clone());
            Some((index, from, from_str))
        })
        .collect();
    for (index, from, from_str) in decided {
        if let TypeKind::Union(union) = &mut defs[index].kind {
            for (variant, from) in union.variants.iter_mut().zip(from) {
                variant.from = from;
            }
            union.from_str = from_str;
        }
    }
}

/// The Rust type `ty` is, with every alias inside it read as what it stands for.
fn canonical(types: &[TypeDef], ty: &TypeRef) -> TypeRef {
    let inner = |ty: &TypeRef| Box::new(canonical(types, ty));
    match types.resolve_alias(ty) {
        TypeRef::Array(item) => TypeRef::Array(inner(item)),
        TypeRef::Map(value) => TypeRef::Map(inner(value)),
        TypeRef::Nullable(value) => TypeRef::Nullable(inner(value)),
        TypeRef::Boxed(value) => TypeRef::Boxed(inner(value)),
        other => other.clone(),
    }
}

/// Names a union's variants. An inline member keeps the name that identifies it (see
/// [`TypeRegistry::member_labels`]). A referenced member is named by the one tag value that
/// selects it (`role: user` → `User`), else by its type's name without the words it shares
/// with the union's at either end (`ChatCompletionRequestUserMessage` in
/// `ChatCompletionRequestMessage` → `User`); where that leaves nothing, is not a name, or is
/// another variant's too, by its type's whole name. Clashes left get a numeric suffix.
fn name_variants(union_name: &str, union: &mut Union, referenced: &[bool], mut names: Namespace) {
    let tagged = union.tag.is_some();
    let wanted: Vec<String> = union
        .variants
        .iter()
        .zip(referenced)
        .map(|(variant, &referenced)| {
            let TypeRef::Named(type_name) = &variant.ty else {
                return pascal(&variant.rust_name);
            };
            if !referenced {
                return pascal(&variant.rust_name);
            }
            let by_tag = match variant.tags.as_slice() {
                [tag] if tagged && tag.chars().any(|c| c.is_ascii_alphabetic()) => {
                    Some(pascal(tag))
                }
                _ => None,
            };
            by_tag
                .or_else(|| without_shared_words(union_name, type_name))
                .filter(|name| !names.contains(name))
                .unwrap_or_else(|| type_name.clone())
        })
        .collect();
    let names_of = |index: usize, variant: &UnionVariant| match (&variant.ty, referenced[index]) {
        (TypeRef::Named(type_name), true) => type_name.clone(),
        _ => pascal(&variant.rust_name),
    };
    let full: Vec<String> = union
        .variants
        .iter()
        .enumerate()
        .map(|(index, variant)| names_of(index, variant))
        .collect();
    for (index, variant) in union.variants.iter_mut().enumerate() {
        let shared = wanted.iter().filter(|name| **name == wanted[index]).count() > 1;
        let chosen = if shared { &full[index] } else { &wanted[index] };
        variant.rust_name = names.claim(chosen);
    }
}

/// `member` without the words at its start and end that it shares with `union`
/// (`ChatCompletionRequestUserMessage`, `ChatCompletionRequestMessage` → `User`); `None`
/// when nothing is shared, when nothing is left, or when what is left starts with a digit.
fn without_shared_words(union: &str, member: &str) -> Option<String> {
    use heck::ToSnakeCase;
    let union_words: Vec<String> = union
        .to_snake_case()
        .split('_')
        .map(str::to_owned)
        .collect();
    let member_words: Vec<String> = member
        .to_snake_case()
        .split('_')
        .map(str::to_owned)
        .collect();
    let prefix = union_words
        .iter()
        .zip(&member_words)
        .take_while(|(a, b)| a == b)
        .count();
    let rest = &member_words[prefix..];
    let suffix = union_words[prefix.min(union_words.len())..]
        .iter()
        .rev()
        .zip(rest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let rest = &rest[..rest.len() - suffix];
    if (prefix == 0 && suffix == 0)
        || rest.is_empty()
        || rest[0].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some(pascal(&rest.join("_")))
}

/// A type defined for a property's own schema says so and links to the field, instead of
/// repeating the description the field already carries (and its default, which is the
/// field's): the prose lives in one place, so a reworded description changes one line.
fn point_member_types_to_their_fields(defs: &mut [TypeDef]) {
    let by_origin: HashMap<&str, usize> = defs
        .iter()
        .enumerate()
        .filter(|(_, def)| !matches!(def.kind, TypeKind::Alias(_)))
        .map(|(index, def)| (def.origin.as_str(), index))
        .collect();
    let links: Vec<(usize, (String, String))> = defs
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(s) => Some((def, s)),
            _ => None,
        })
        .flat_map(|(def, s)| {
            s.fields.iter().filter_map(|field| {
                let ty = match &field.ty {
                    TypeRef::Boxed(inner) => inner,
                    ty => ty,
                };
                let TypeRef::Named(name) = ty else {
                    return None;
                };
                let index = *by_origin.get(field.origin.as_str())?;
                (defs[index].name == *name)
                    .then(|| (index, (def.name.clone(), field.rust_name.clone())))
            })
        })
        .collect();
    for (index, field) in links {
        defs[index].docs = None;
        defs[index].field_of = Some(field);
    }
}

/// [`TypeRegistry::targets`]: each chain of aliases is walked once, and every key on it
/// takes its end.
fn alias_targets(
    components: &IndexMap<String, ReferenceOr<Schema>>,
) -> HashMap<&str, Option<&Schema>> {
    let mut targets: HashMap<&str, Option<&Schema>> = HashMap::with_capacity(components.len());
    for start in components.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: BTreeSet<&str> = BTreeSet::new();
        let mut key: &str = start;
        let end = loop {
            if let Some(&known) = targets.get(key) {
                break known;
            }
            if !on_path.insert(key) {
                break None; // a cycle of aliases
            }
            path.push(key);
            match components.get(key) {
                Some(ReferenceOr::Item(schema)) => break Some(schema),
                Some(ReferenceOr::Reference { reference }) => {
                    match reference.strip_prefix("#/components/schemas/") {
                        Some(next) => key = next,
                        None => break None,
                    }
                }
                None => break None,
            }
        };
        for key in path {
            targets.insert(key, end);
        }
    }
    targets
}

#[derive(Default)]
struct Members {
    properties: Vec<(String, ReferenceOr<Box<Schema>>, Pointer)>,
    /// Each required name, with the pointer of the `required` list that names it.
    required: BTreeMap<String, Pointer>,
}

/// The `required` names of the schema at `pointer`, each with where it is listed.
fn required_at<'r>(
    required: &'r [String],
    pointer: &Pointer,
) -> impl Iterator<Item = (String, Pointer)> + 'r {
    let at = pointer.join("required");
    required
        .iter()
        .enumerate()
        .map(move |(index, name)| (name.clone(), at.join(index)))
}

impl Members {
    /// The members of one object schema at `pointer`.
    fn of(
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &Pointer,
    ) -> Self {
        Members {
            properties: properties
                .iter()
                .map(|(k, v)| (k.clone(), v.clone(), pointer.join("properties").join(k)))
                .collect(),
            required: required_at(required, pointer).collect(),
        }
    }
}

/// How deep nested `allOf`s are followed (for nullability, fixed tags) before the search
/// stops (references can cycle).
const MAX_ALL_OF_DEPTH: usize = 16;

/// The `allOf` members that give the value its shape: not those that only annotate, nor,
/// beside another member, a plain primitive (`{type: string, nullable: true}` next to a
/// `$ref` to a string enum only restates its type).
fn effective_members(all_of: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    let shaping: Vec<(usize, &ReferenceOr<Schema>)> = all_of
        .iter()
        .enumerate()
        .filter(|(_, member)| match member {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(schema) => !is_annotation(schema),
        })
        .collect();
    let is_plain = |member: &ReferenceOr<Schema>| matches!(member, ReferenceOr::Item(schema) if is_plain_primitive(schema));
    if shaping.iter().all(|(_, member)| is_plain(member)) {
        return shaping;
    }
    shaping
        .into_iter()
        .filter(|(_, member)| !is_plain(member))
        .collect()
}

/// A string, number, integer or boolean schema without an `enum`.
fn is_plain_primitive(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(number)) => number.enumeration.is_empty(),
        SchemaKind::Type(Type::Boolean(boolean)) => boolean.enumeration.is_empty(),
        _ => false,
    }
}

/// True for a schema that constrains nothing about the shape of a value.
fn is_annotation(schema: &Schema) -> bool {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    any.typ.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
}

/// The `mapping` keys of a discriminator that name the schema `reference` points to (written
/// `#/components/schemas/X` or just `X`).
fn mapped_values(discriminator: &Discriminator, reference: &str) -> Vec<String> {
    let key = component_key(reference);
    discriminator
        .mapping
        .iter()
        .filter(|(_, target)| *target == reference || Some(target.as_str()) == key)
        .map(|(value, _)| value.clone())
        .collect()
}

/// The key of the component schema a reference points to.
/// An example value the docs can show: a string, number or boolean.
pub fn scalar_example(example: Option<&serde_json::Value>) -> Option<serde_json::Value> {
    example
        .filter(|value| value.is_string() || value.is_number() || value.is_boolean())
        .cloned()
}

/// Whether a schema's extensions say it is a constant: `x-sdk-const: true` (the loader
/// writes it where a `const` becomes a one-value `enum`) or Stainless's `x-stainless-const`.
fn is_marked_constant(extensions: &IndexMap<String, serde_json::Value>) -> bool {
    ["x-sdk-const", "x-stainless-const"]
        .iter()
        .any(|key| extensions.get(*key) == Some(&serde_json::Value::Bool(true)))
}

/// The member a discriminator's `defaultMapping` (a schema name or a reference) names, by its
/// index among `references`.
fn default_member(
    discriminator: Option<&Discriminator>,
    references: &[Option<String>],
) -> Option<usize> {
    let default = discriminator?
        .extensions
        .get(crate::load::openapi_3_2::DEFAULT_MAPPING)?
        .as_str()?;
    references.iter().position(|reference| {
        reference.as_deref().is_some_and(|reference| {
            reference == default || component_key(reference) == Some(default)
        })
    })
}

fn component_key(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// An `enum` without a `type` whose values are strings (and perhaps `null`); common in
/// hand-written specs. `enum: [null]` alone is not one.
fn is_string_enum(values: &[serde_json::Value]) -> bool {
    values.iter().any(|v| v.is_string()) && values.iter().all(|v| v.is_string() || v.is_null())
}

fn enum_variants<'v>(values: impl Iterator<Item = &'v str>) -> Vec<EnumVariant> {
    let mut names = Namespace::with_reserved(["Unknown", "Self"]);
    let mut seen = BTreeSet::new();
    values
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            rust_name: names.claim(&pascal(value)),
            wire_value: value.to_owned(),
        })
        .collect()
}

/// The hint that names an inline schema (a type, or a union's member).
const NAME_HINT: &str = "x-sdk-name";

/// The label of a schema by its kind, for a union member with nothing else to name it: a
/// primitive, an array or a map (an object with properties has none).
fn kind_label(schema: &Schema) -> Option<&'static str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("String"),
        SchemaKind::Type(Type::Integer(_)) => Some("Integer"),
        SchemaKind::Type(Type::Number(_)) => Some("Number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("Boolean"),
        SchemaKind::Type(Type::Array(_)) => Some("Array"),
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => Some("Map"),
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("array") => Some("Array"),
            Some("string") => Some("String"),
            _ => None,
        },
        _ => None,
    }
}

fn primitive_label(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Boolean => "Boolean",
        TypeRef::Integer(_) => "Integer",
        TypeRef::Number(_) => "Number",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) | TypeRef::JsonObject => "Object",
        TypeRef::File => "File",
        TypeRef::Json | TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::Nullable(_) => "Value",
    }
}

/// A `format` that openapiv3 kept as text (in a schema it could not give a type).
fn unparsed_format<T>(format: &Option<String>) -> VariantOrUnknownOrEmpty<T> {
    match format {
        Some(format) => VariantOrUnknownOrEmpty::Unknown(format.clone()),
        None => VariantOrUnknownOrEmpty::Empty,
    }
}

fn integer_kind(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> IntegerKind {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerKind::I32,
        VariantOrUnknownOrEmpty::Unknown(other) if other == "int32" => IntegerKind::I32,
        // int64, unixtime, no format: i64 holds every JSON integer an API sends.
        _ => IntegerKind::I64,
    }
}

fn number_kind(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> NumberKind {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => NumberKind::F32,
        VariantOrUnknownOrEmpty::Unknown(other) if other == "float" => NumberKind::F32,
        _ => NumberKind::F64,
    }
}

/// The schema's description, or its title when it has no description.
fn describe(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let described = data.description.clone().or_else(|| data.title.clone());
    with_default(with_values(described, schema), data.default.as_ref())
}

/// Adds "One of `1`, `2`." to a number enum's description: the type is the number itself, so
/// that a value the description does not list still decodes.
fn with_values(docs: Option<String>, schema: &Schema) -> Option<String> {
    let values: Vec<String> = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => integer
            .enumeration
            .iter()
            .flatten()
            .map(|v| format!("`{v}`"))
            .collect(),
        SchemaKind::Type(Type::Number(number)) => number
            .enumeration
            .iter()
            .flatten()
            .map(|v| format!("`{v}`"))
            .collect(),
        _ => return docs,
    };
    if values.is_empty() {
        return docs;
    }
    let line = format!("One of {}.", values.join(", "));
    Some(match docs {
        Some(docs) => format!("{}\n\n{line}", docs.trim_end()),
        None => line,
    })
}

/// Adds "Defaults to `x`." to a description: the server applies defaults, the client does not.
pub fn with_default(docs: Option<String>, default: Option<&serde_json::Value>) -> Option<String> {
    let Some(default) = default else {
        return docs;
    };
    let note = format!("Defaults to `{default}` on the server when not sent.");
    Some(match docs {
        Some(docs) => format!("{}\n\n{note}", docs.trim_end()),
        None => note,
    })
}

/// Each type's place in `defs`, by its name.
fn index_by_name(defs: &[TypeDef]) -> HashMap<&str, usize> {
    defs.iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect()
}

/// Boxes the fields through which a struct or union contains itself without indirection.
fn box_recursive_fields(defs: &mut [TypeDef]) {
    let index = index_by_name(defs);
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| {
            direct_children(&def.kind)
                .iter()
                .filter_map(|child| index.get(child.as_str()).copied())
                .collect()
        })
        .collect();
    // A member holds its parent again (directly or through others) exactly when the two
    // are in one strongly connected component of the by-value graph.
    let component = strongly_connected(&edges);
    let cycles_back = |from: usize, child: &str| {
        index
            .get(child)
            .is_some_and(|&child| component[child] == component[from])
    };
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    for (at, def) in defs.iter().enumerate() {
        match &def.kind {
            TypeKind::Struct(s) => {
                for (index, field) in s.fields.iter().enumerate() {
                    if let TypeRef::Named(child) = &field.ty {
                        if cycles_back(at, child) {
                            to_box.push((at, index));
                        }
                    }
                }
            }
            TypeKind::Union(union) => {
                for (index, variant) in union.variants.iter().enumerate() {
                    if held_by_value(&variant.ty).is_some_and(|child| cycles_back(at, child)) {
                        to_box.push((at, index));
                    }
                }
            }
            _ => {}
        }
    }
    for (at, index) in to_box {
        let slot = match &mut defs[at].kind {
            TypeKind::Struct(s) => &mut s.fields[index].ty,
            TypeKind::Union(union) => &mut union.variants[index].ty,
            _ => continue,
        };
        let inner = std::mem::replace(slot, TypeRef::Json);
        *slot = TypeRef::Boxed(Box::new(inner));
    }
}

/// An alias that holds itself (`allOf: [$ref: itself]`, or `type: array` of itself) would be
/// a Rust type alias that expands forever, which does not compile. Each alias on such a cycle
/// (a strongly connected component of the graph of aliases and the names they mention)
/// becomes any JSON value, with a warning at its schema.
fn break_alias_cycles(defs: &mut [TypeDef], diagnostics: &mut Diagnostics) {
    let index = index_by_name(defs);
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut names = Vec::new();
                let mut stack = vec![ty];
                while let Some(ty) = stack.pop() {
                    match ty {
                        TypeRef::Named(name) => names.extend(index.get(name.as_str()).copied()),
                        TypeRef::Array(inner)
                        | TypeRef::Map(inner)
                        | TypeRef::Boxed(inner)
                        | TypeRef::Nullable(inner) => stack.push(inner),
                        _ => {}
                    }
                }
                names
            }
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    let on_cycle: Vec<usize> = (0..defs.len())
        .filter(|&at| {
            matches!(defs[at].kind, TypeKind::Alias(_))
                && edges[at]
                    .iter()
                    .any(|&to| to == at || component[to] == component[at])
        })
        .collect();
    for at in on_cycle {
        defs[at].kind = TypeKind::Alias(TypeRef::Json);
        diagnostics.warn(
            &defs[at].origin,
            "a schema that is only itself (through `$ref`, `allOf` or a list of itself) has no \
             type of its own; read as any JSON value",
        );
    }
}

/// The strongly connected component of each node of a graph (Tarjan's algorithm, without
/// recursion: a chain of thousands of types is as deep): linear in nodes and edges.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let mut order = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut component = vec![UNSEEN; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..count {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        // Each node being visited, with the index of its next edge.
        let mut visiting: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = visiting.last_mut() {
            let node = top.0;
            if let Some(&child) = edges[node].get(top.1) {
                top.1 += 1;
                if order[child] == UNSEEN {
                    order[child] = next_order;
                    low[child] = next_order;
                    next_order += 1;
                    stack.push(child);
                    on_stack[child] = true;
                    visiting.push((child, 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(order[child]);
                }
                continue;
            }
            visiting.pop();
            if let Some(&(parent, _)) = visiting.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The named type a member holds by value: itself, or in an `Option` (a nullable union
/// member).
fn held_by_value(ty: &TypeRef) -> Option<&String> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) => match &**inner {
            TypeRef::Named(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// Named types a type holds by value (not behind a `Vec` or map, which already allocate).
fn direct_children(kind: &TypeKind) -> Vec<String> {
    let named = |ty: &TypeRef| held_by_value(ty).cloned();
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union(union) => union.variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn strongly_connected_components_join_exactly_the_nodes_on_a_cycle() {
        // 0 → 1 → 2 → 0 is a cycle; 3 holds itself; 4 → 0 and 5 lead into it but not back.
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![0], vec![4]];
        let component = strongly_connected(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        for lone in [3, 4, 5] {
            let others = (0..edges.len()).filter(|&other| other != lone);
            assert!(others
                .map(|other| component[other])
                .all(|c| c != component[lone]));
        }
        // A chain as long as a hostile description's, without overflowing the stack.
        let chain: Vec<Vec<usize>> = (0..200_000).map(|i| vec![i + 1]).chain([vec![]]).collect();
        let component = strongly_connected(&chain);
        let mut distinct = component.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), chain.len());
    }
}
