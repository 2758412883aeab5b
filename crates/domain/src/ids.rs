//! The ids that link records to each other, one type for each kind of record, so that a KPI's
//! id is never passed where a unit's is meant. They are database keys, written in JSON as their
//! plain text: nothing printed to users, hashed or signed names a record by its id (codes and
//! years do).

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        /// Read as text where text is asked for (an SQL bind, a map keyed by text); text is never
        /// taken for an id without saying which (`KpiId::from`).
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        /// Maps keyed by the id are looked up with a `&str` too.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// An ente: the scope every query takes.
    EnteId
);
id_type!(
    /// A cycle: what every query of a cycle's data takes; users name a cycle by its year.
    CycleId
);
id_type!(
    /// An org unit in one cycle.
    UnitId
);
id_type!(
    /// A person of the ente (the same in every cycle).
    PersonId
);
id_type!(
    /// An objective of one cycle.
    ObjectiveId
);
id_type!(
    /// A KPI of one cycle.
    KpiId
);
id_type!(
    /// One version of a KPI's value for a period.
    MeasurementId
);
