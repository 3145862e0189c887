//! Single sign-on in the store: a clinic's provider is set, replaced and turned off, and stays
//! with its clinic; a pending sign-in is taken once, not after it expires, and expired ones are
//! swept when the next begins.

use physio_store::{SsoConfig, SsoLogin, Store, db_time, whole_seconds};
use time::Duration;

use super::{NOW, fixture, write};

contract!(a_clinics_provider_is_set_replaced_and_removed, a_pending_sign_in_is_taken_once);

async fn a_clinics_provider_is_set_replaced_and_removed(store: &Store) {
    let f = fixture(store).await;
    assert_eq!(store.sso_config(f.clinic).await.unwrap(), None);
    let config = SsoConfig {
        clinic_id: f.clinic,
        issuer: "https://login.example.org".into(),
        client_id: "physio".into(),
        client_secret: "secret".into(),
        allowed_domains: "example.org,staff.example.org".into(),
        updated_at: db_time(NOW),
    };
    write(store, async |tx| tx.set_sso_config(&config).await).await.unwrap();
    assert_eq!(store.sso_config(f.clinic).await.unwrap().as_ref(), Some(&config));
    let read = store.sso_config(f.clinic).await.unwrap().unwrap();
    assert_eq!(read.domains().collect::<Vec<_>>(), ["example.org", "staff.example.org"]);
    let replaced = SsoConfig {
        client_id: "physio-2".into(),
        updated_at: db_time(NOW + Duration::hours(1)),
        ..config
    };
    write(store, async |tx| tx.set_sso_config(&replaced).await).await.unwrap();
    assert_eq!(store.sso_configs().await.unwrap(), vec![replaced.clone()]);
    assert!(write(store, async |tx| tx.delete_sso_config(f.clinic).await).await.unwrap());
    assert!(!write(store, async |tx| tx.delete_sso_config(f.clinic).await).await.unwrap());
    assert_eq!(store.sso_config(f.clinic).await.unwrap(), None);
}

async fn a_pending_sign_in_is_taken_once(store: &Store) {
    let f = fixture(store).await;
    let login = |state: &str, expires| SsoLogin {
        state_hash: state.into(),
        clinic_id: f.clinic,
        nonce: "nonce".into(),
        pkce_verifier: "verifier".into(),
        expires_at: expires,
    };
    // Expiry times are kept to the whole second.
    let a = login("a", whole_seconds(NOW) + Duration::minutes(10));
    write(store, async |tx| tx.begin_sso_login(&a, NOW).await).await.unwrap();
    assert_eq!(write(store, async |tx| tx.take_sso_login("a", NOW).await).await.unwrap(), Some(a));
    assert_eq!(write(store, async |tx| tx.take_sso_login("a", NOW).await).await.unwrap(), None);
    // One taken after its expiry is gone all the same.
    let b = login("b", NOW + Duration::minutes(10));
    write(store, async |tx| tx.begin_sso_login(&b, NOW).await).await.unwrap();
    let late = NOW + Duration::minutes(11);
    assert_eq!(write(store, async |tx| tx.take_sso_login("b", late).await).await.unwrap(), None);
    // Beginning a sign-in sweeps those that expired before it.
    let c = login("c", NOW + Duration::minutes(10));
    let d = login("d", NOW + Duration::minutes(30));
    write(store, async |tx| tx.begin_sso_login(&c, NOW).await).await.unwrap();
    write(store, async |tx| tx.begin_sso_login(&d, late).await).await.unwrap();
    assert_eq!(write(store, async |tx| tx.take_sso_login("c", NOW).await).await.unwrap(), None);
    assert!(write(store, async |tx| tx.take_sso_login("d", late).await).await.unwrap().is_some());
}
