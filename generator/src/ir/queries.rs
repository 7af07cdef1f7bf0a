//! Questions about types, answered one way for the stage that builds the IR (its registry,
//! types still being added) and for every emitter (the finished, sorted `Api::types`).

use super::model::{Struct, TypeDef, TypeKind, TypeRef};

/// Type queries over a set of named types; implementors say how a name is found.
pub trait TypeQueries {
    /// The type called `name`.
    fn type_named(&self, name: &str) -> Option<&TypeDef>;

    /// How many types there are: the longest alias chain there can be.
    fn type_count(&self) -> usize;

    /// Follows named aliases to the type they stand for; bounded, as aliases may form a cycle.
    fn resolve_alias<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut current = ty;
        for _ in 0..=self.type_count() {
            let TypeRef::Named(name) = current else {
                return current;
            };
            match self.type_named(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => current = inner,
                _ => return current,
            }
        }
        current
    }

    /// The kind of the type `ty` stands for, through aliases, when it is a named one.
    fn kind_of<'t>(&'t self, ty: &'t TypeRef) -> Option<&'t TypeKind> {
        let TypeRef::Named(name) = self.resolve_alias(ty) else {
            return None;
        };
        self.type_named(name).map(|def| &def.kind)
    }

    /// True for enums and aliases of them.
    fn is_enum(&self, ty: &TypeRef) -> bool {
        matches!(self.kind_of(ty), Some(TypeKind::Enum(_)))
    }

    /// True for types sent as one query or path value: strings, numbers, booleans, enums, and
    /// aliases of them.
    fn is_scalar(&self, ty: &TypeRef) -> bool {
        match self.resolve_alias(ty) {
            TypeRef::String | TypeRef::Boolean | TypeRef::Integer(_) | TypeRef::Number(_) => true,
            _ => self.is_enum(ty),
        }
    }

    /// True for objects: structs, maps, free-form objects, and aliases of them.
    fn is_object(&self, ty: &TypeRef) -> bool {
        match self.resolve_alias(ty) {
            TypeRef::Map(_) | TypeRef::JsonObject => true,
            _ => matches!(self.kind_of(ty), Some(TypeKind::Struct(_))),
        }
    }

    /// Whether a builder's argument of this type takes `impl Into<T>`: strings and files (and
    /// aliases of them), enums, boxes (which take what they hold), and unions that values
    /// convert into. A list's items are asked the same.
    fn argument_converts(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Boxed(_))
            || matches!(self.resolve_alias(ty), TypeRef::String | TypeRef::File)
            || self.is_enum(ty)
            || self.is_converting_union(ty)
    }

    /// Whether a constructor's argument of this type takes what converts into it: a union
    /// that values convert into, or a list of one. Others take their type exactly, so that a
    /// caller's `"text".into()` still knows its target.
    fn member_argument_converts(&self, ty: &TypeRef) -> bool {
        let element = match ty {
            TypeRef::Array(item) => item,
            other => other,
        };
        self.is_converting_union(element)
    }

    /// True for a union (or an alias of one) that some value converts `From`.
    fn is_converting_union(&self, ty: &TypeRef) -> bool {
        matches!(self.kind_of(ty), Some(TypeKind::Union(union)) if union.converts())
    }

    /// The struct a type names (not through aliases), if it names one.
    fn struct_of(&self, ty: &TypeRef) -> Option<&Struct> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match &self.type_named(name)?.kind {
            TypeKind::Struct(fields) => Some(fields),
            _ => None,
        }
    }
}

/// The finished IR's types, sorted by name (`Api::types` is): found by binary search.
impl TypeQueries for [TypeDef] {
    fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.binary_search_by(|def| def.name.as_str().cmp(name))
            .ok()
            .map(|index| &self[index])
    }

    fn type_count(&self) -> usize {
        self.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::model::EnumVariant;

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            docs: None,
            field_of: None,
            origin: format!("#/components/schemas/{name}"),
            kind,
            gate: Default::default(),
        }
    }

    #[test]
    fn aliases_resolve_to_what_they_stand_for_and_cycles_end() {
        let types = [
            def("A", TypeKind::Alias(TypeRef::Named("B".to_owned()))),
            def("B", TypeKind::Alias(TypeRef::Named("Colour".to_owned()))),
            def(
                "Colour",
                TypeKind::Enum(vec![EnumVariant {
                    rust_name: "Red".to_owned(),
                    wire_value: "red".to_owned(),
                }]),
            ),
            def("X", TypeKind::Alias(TypeRef::Named("Y".to_owned()))),
            def("Y", TypeKind::Alias(TypeRef::Named("X".to_owned()))),
        ];
        let types = &types[..];
        let a = TypeRef::Named("A".to_owned());
        assert_eq!(
            types.resolve_alias(&a),
            &TypeRef::Named("Colour".to_owned())
        );
        assert!(types.is_enum(&a) && types.is_scalar(&a) && !types.is_object(&a));
        let x = TypeRef::Named("X".to_owned());
        assert!(matches!(types.resolve_alias(&x), TypeRef::Named(_)));
        assert!(!types.is_enum(&x));
        assert!(types.type_named("Missing").is_none());
    }
}
