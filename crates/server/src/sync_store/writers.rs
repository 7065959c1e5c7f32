//! The `writers` column: who wrote each field of a record.
//!
//! Nearly every field of a record has the same writer, so the column stores each distinct
//! writer once and every field as an index into them:
//! `[[["<user>","<client>"], …], {"<field>": 0, …}]` (a writer with no client, the server
//! itself, is `["<user>", null]`). Spelling the writer out for every field, as the first
//! version of the column did, made it twice the size of the record it describes, and its
//! bytes were the largest part of what a push wrote. Rows in that first form, a JSON object
//! from field to `{"client":…,"user":…}`, still read.

use std::collections::BTreeMap;

use organise_core::id::UserId;
use organise_core::record::FieldName;
use organise_core::sync::server::Writer;
use organise_core::sync::wire::ClientId;
use serde::Deserialize;

use super::{StoreError, from_json};

/// The column for `writers`.
pub(super) fn encode(writers: &BTreeMap<FieldName, Writer>) -> String {
    let mut distinct: Vec<Writer> = Vec::new();
    let mut fields = Vec::with_capacity(writers.len());
    for (field, writer) in writers {
        let index = match distinct.iter().position(|held| held == writer) {
            Some(index) => index,
            None => {
                distinct.push(*writer);
                distinct.len() - 1
            }
        };
        fields.push((field, index));
    }
    let mut out = Vec::with_capacity(64 + 16 * fields.len() + 80 * distinct.len());
    out.extend_from_slice(b"[[");
    for (n, writer) in distinct.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        let pair = (writer.user, writer.client);
        serde_json::to_writer(&mut out, &pair).expect("a writer serialises to JSON");
    }
    out.extend_from_slice(b"],{");
    for (n, (field, index)) in fields.into_iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, field).expect("a field name serialises to JSON");
        out.push(b':');
        out.extend_from_slice(index.to_string().as_bytes());
    }
    out.extend_from_slice(b"}]");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The writers a column holds, in either form.
pub(super) fn decode(json: &str) -> Result<BTreeMap<FieldName, Writer>, StoreError> {
    if !json.trim_start().starts_with('[') {
        return from_json("writers", json);
    }
    #[derive(Deserialize)]
    struct Compact(Vec<(UserId, Option<ClientId>)>, BTreeMap<FieldName, usize>);
    let Compact(distinct, fields) = from_json("writers", json)?;
    fields
        .into_iter()
        .map(|(field, index)| {
            let (user, client) = *distinct.get(index).ok_or_else(|| StoreError::Corrupt {
                what: "writers",
                detail: format!("field {field:?} names writer {index} of {}", distinct.len()),
            })?;
            Ok((field, Writer { client, user }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use organise_core::id::RecordId;

    use super::*;

    fn writer(user: u128, client: Option<u128>) -> Writer {
        Writer {
            client: client.map(|c| ClientId(RecordId::from_u128(c))),
            user: UserId(RecordId::from_u128(user)),
        }
    }

    fn examples() -> Vec<BTreeMap<FieldName, Writer>> {
        let one = writer(2, Some(1));
        let server = writer(3, None);
        vec![
            BTreeMap::new(),
            BTreeMap::from([(FieldName::fixed("name"), one)]),
            BTreeMap::from([
                (FieldName::fixed("area"), one),
                (FieldName::fixed("name \"quoted\""), server),
                (FieldName::fixed("phone"), one),
                (FieldName::fixed("tags"), server),
                (FieldName::fixed("notes"), writer(2, Some(4))),
            ]),
        ]
    }

    #[test]
    fn every_field_reads_back_with_its_writer() {
        for writers in examples() {
            assert_eq!(decode(&encode(&writers)).unwrap(), writers);
        }
    }

    #[test]
    fn each_writer_is_spelled_out_once_however_many_fields_it_wrote() {
        let one = writer(2, Some(1));
        let writers: BTreeMap<FieldName, Writer> = (0..20)
            .map(|n| (FieldName(format!("field_{n}").into()), one))
            .collect();
        let column = encode(&writers);
        let user = one.user.0.to_string();
        assert_eq!(column.matches(&user).count(), 1, "{column}");
        let first_form = serde_json::to_string(&writers).unwrap();
        assert!(
            column.len() * 3 < first_form.len(),
            "{} bytes, against {} in the first form",
            column.len(),
            first_form.len()
        );
    }

    #[test]
    fn rows_in_the_first_form_still_read() {
        for writers in examples() {
            let first_form = serde_json::to_string(&writers).unwrap();
            assert_eq!(decode(&first_form).unwrap(), writers);
        }
    }

    #[test]
    fn a_field_naming_a_writer_that_is_not_there_is_corrupt() {
        let user = RecordId::from_u128(2);
        let column = format!(r#"[[["{user}",null]],{{"name":1}}]"#);
        assert!(matches!(
            decode(&column),
            Err(StoreError::Corrupt {
                what: "writers",
                ..
            })
        ));
    }
}
