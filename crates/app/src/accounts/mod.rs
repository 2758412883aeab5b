//! Accounts and access: who acts and what they may do (access, scope), accounts and
//! sessions, the audit trail, e-mail, and each person's to-do list.

pub mod access;
pub mod audit;
pub mod mail;
pub mod notifications;
pub mod scope;
pub mod todo;
pub mod users;
