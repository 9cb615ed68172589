//! The JSON shapes of the C interface: every record a function hands out, spelled as C, C# and
//! PowerShell read it (camelCase), is a `…Json` shape beside the entry points that hand it out,
//! made from the core's record by `From`. The core's records know nothing of them; a field added
//! to one is a change of the interface, documented in the header.

use serde::Serialize;

/// A core record with a JSON shape of the C interface.
pub(crate) trait ToJson {
    type Json<'a>: Serialize
    where
        Self: 'a;

    fn to_json(&self) -> Self::Json<'_>;
}

/// Makes each core record `ToJson` through the shape named beside it.
macro_rules! json_shape {
    ($($record:ty => $shape:ident),* $(,)?) => {$(
        impl ToJson for $record {
            type Json<'a> = $shape<'a>;

            fn to_json(&self) -> $shape<'_> {
                self.into()
            }
        }
    )*};
}

pub(crate) use json_shape;
