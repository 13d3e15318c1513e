//! API tests: the real router on a socket, real HTTP, a fresh database per test, every test
//! on SQLite and on PostgreSQL (`db_tests!` makes a `sqlite` and a `postgres` variant).

mod harness;

mod accounts;
mod auth;
mod calendar;
mod campaigns;
mod compression;
mod content;
mod custom_fields;
mod errors;
mod exports;
mod hardening;
mod imports;
mod members;
mod metrics;
mod notifications;
mod openapi;
mod workspaces;
