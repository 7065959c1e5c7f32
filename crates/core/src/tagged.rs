//! Reading internally tagged enums (`#[serde(tag = "…")]`) without serde's derive.
//!
//! For such an enum, serde's derived `Deserialize` first buffers the whole object in a generic
//! tree, then deserialises the variant its tag names from that tree: a second deserialiser for
//! every variant, which makes these enums the largest part of the client's JSON code.
//! [`deserialize_tagged!`] reads the same JSON in one pass instead, into one struct holding
//! every variant's fields as options, then builds the variant the tag names. It accepts what
//! the derive accepts; serialising stays derived, so the wire format and the documented
//! schema are unchanged.

/// Implements `Deserialize` for an internally tagged enum whose variants are units or have
/// named fields.
///
/// ```text
/// deserialize_tagged! {
///     Outcome, tag = "outcome";
///     fields { version: Version, conflict: ConflictId }
///     variants {
///         "applied" => Applied { version },
///         "conflicted" => Conflicted { version, conflict },
///         "skipped" => Skipped,
///     }
/// }
/// ```
///
/// `fields` lists every variant field once, with one type. A variant's field of another type
/// converts from it with `TryFrom` (a `usize` limit from an `i64` field, say). Written after
/// the tag, `deny_unknown_fields` refuses any field the tagged variant lacks, as the attribute
/// does on a derived enum; without it such fields are ignored, as the derive ignores them.
macro_rules! deserialize_tagged {
    (
        $enum:ident, tag = $tag:literal, deny_unknown_fields;
        fields { $($field:ident: $ty:ty),* $(,)? }
        variants { $($name:literal => $variant:ident $({ $($own:ident),* })?),* $(,)? }
    ) => {
        deserialize_tagged!(@impl $enum, $tag, true, #[serde(deny_unknown_fields)];
            fields { $($field: $ty),* }
            variants { $($name => $variant $({ $($own),* })?),* });
    };
    (
        $enum:ident, tag = $tag:literal;
        fields { $($field:ident: $ty:ty),* $(,)? }
        variants { $($name:literal => $variant:ident $({ $($own:ident),* })?),* $(,)? }
    ) => {
        deserialize_tagged!(@impl $enum, $tag, false, ;
            fields { $($field: $ty),* }
            variants { $($name => $variant $({ $($own),* })?),* });
    };
    (
        @impl $enum:ident, $tag:literal, $deny:literal, $(#[$attr:meta])*;
        fields { $($field:ident: $ty:ty),* }
        variants { $($name:literal => $variant:ident $({ $($own:ident),* })?),* }
    ) => {
        // Every variant must be listed: a variant added to the enum but not here fails to
        // compile instead of failing to read.
        const _: () = {
            #[allow(dead_code)]
            fn every_variant_is_read(value: &$enum) {
                match value {
                    $($enum::$variant { .. } => {})*
                }
            }
        };

        impl<'de> serde::Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error;

                #[derive(serde::Deserialize)]
                $(#[$attr])*
                struct Fields {
                    #[serde(rename = $tag)]
                    tag: String,
                    $($field: Option<$ty>,)*
                }

                let fields = Fields::deserialize(deserializer)?;
                if $deny {
                    let own: Option<&'static [&'static str]> = match fields.tag.as_str() {
                        $($name => Some(&[$($(stringify!($own)),*)?]),)*
                        _ => None,
                    };
                    let present = [$((stringify!($field), fields.$field.is_some())),*];
                    let stray = own.and_then(|own| {
                        present
                            .iter()
                            .find(|(name, set)| *set && !own.contains(name))
                            .map(|(name, _)| D::Error::unknown_field(name, own))
                    });
                    if let Some(error) = stray {
                        return Err(error);
                    }
                }
                match fields.tag.as_str() {
                    $($name => Ok($enum::$variant $({ $($own: fields
                        .$own
                        .ok_or_else(|| D::Error::missing_field(stringify!($own)))?
                        .try_into()
                        .map_err(D::Error::custom)?),* })?),)*
                    other => Err(D::Error::unknown_variant(other, &[$($name),*])),
                }
            }
        }
    };
}
