//! The Physio server: JSON API, server-rendered pages, authentication, authorization and audit,
//! over the `physio-store` storage.

pub mod api;
pub mod app;
mod audit_batch;
pub mod auth;
pub mod care;
pub mod clock;
pub mod config;
pub mod error;
pub mod http;
pub mod live;
pub mod metrics;
mod nul;
pub mod pages;
pub mod proxy;
pub mod refusals;
pub mod reminders;
pub mod state;
mod web_assets;
pub mod zone;

pub use app::{openapi, router, routes, serve};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, LoginPolicy, SessionPolicy};
pub use state::AppState;
