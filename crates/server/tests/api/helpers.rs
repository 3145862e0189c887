//! Starts the real server on an ephemeral port over a fresh database, and seeds two clinics.

use std::sync::Arc;

use physio_server::{AppState, Config, ManualClock, auth};
use physio_store::{Licence, NewUser, Role, Store, testing::TestDb};
use reqwest::{Client, Method, RequestBuilder, StatusCode, redirect::Policy};
use time::{OffsetDateTime, macros::datetime};
use tokio::sync::oneshot;
use uuid::Uuid;

pub(crate) const PASSWORD: &str = "correct horse battery";
pub(crate) const START: OffsetDateTime = datetime!(2026-11-25 09:00 UTC);

/// Generates one SQLite and one PostgreSQL test per async test function.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await.unwrap();
                super::$name(&app).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                    super::$name(&app).await;
                }
            })*
        }
    };
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// The people of the two seeded clinics. Clinic A: admin, clinicians C1 and C2, patients P1
/// (care team C1), P2 (care team C2). Clinic B: admin XA, clinician XC, patient XP.
#[derive(Debug, Clone)]
pub(crate) struct People {
    pub(crate) clinic_a: Uuid,
    pub(crate) admin: Uuid,
    pub(crate) c1: Uuid,
    pub(crate) c2: Uuid,
    pub(crate) p1: Uuid,
    pub(crate) p2: Uuid,
    pub(crate) xa: Uuid,
    pub(crate) xc: Uuid,
    pub(crate) xp: Uuid,
}

pub(crate) struct TestApp {
    pub(crate) base: String,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) people: People,
    pub(crate) store: Store,
    _db: TestDb,
    _web: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

impl TestApp {
    pub(crate) async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub(crate) async fn spawn_with(
        backend: Backend,
        tweak: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        let db = match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await?,
        };
        let store = db.store.clone();
        let people = seed(&store).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = Config::new(addr, db.url.clone());
        let web = tempfile::tempdir().unwrap();
        std::fs::write(web.path().join("hello.txt"), "hello").unwrap();
        config.web_dir = web.path().to_owned();
        tweak(&mut config);
        let clock = Arc::new(ManualClock::new(START));
        let state = AppState::new(store.clone(), clock.clone(), config);
        let (stop, rx) = oneshot::channel::<()>();
        tokio::spawn(physio_server::serve(listener, state, async {
            let _ = rx.await;
        }));
        Some(TestApp {
            base: format!("http://{addr}"),
            clock,
            people,
            store,
            _db: db,
            _web: web,
            _stop: stop,
        })
    }

    /// The database's URL, for a second server over the same database.
    pub(crate) fn database_url(&self) -> &str {
        &self._db.url
    }

    /// A client that keeps cookies and does not follow redirects.
    pub(crate) fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The directory the server serves `/web/` from (empty but for `hello.txt`).
    /// What `web/build.mjs` leaves for the camera page: the bundle and MediaPipe's manifest of
    /// hashed names (the test server's web directory is empty).
    pub(crate) fn write_built_client(&self) {
        std::fs::write(self.web_dir().join("live.js"), "").unwrap();
        std::fs::create_dir_all(self.web_dir().join("mediapipe")).unwrap();
        std::fs::write(
            self.web_dir().join("mediapipe/manifest.json"),
            r#"{"pose.js":"pose.fcb703af.js","pose_web.binarypb":"pose_web.dc8efd1c.binarypb"}"#,
        )
        .unwrap();
    }

    pub(crate) fn web_dir(&self) -> &std::path::Path {
        self._web.path()
    }

    pub(crate) fn req(&self, client: &Client, method: Method, path: &str) -> RequestBuilder {
        client.request(method, self.url(path))
    }

    /// Signs in through the API; returns the client (holding the cookie) and the CSRF token.
    pub(crate) async fn login(&self, email: &str) -> (Client, String) {
        let c = self.client();
        let res = c
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "login {email}");
        let body: serde_json::Value = res.json().await.unwrap();
        (c, body["csrf_token"].as_str().unwrap().to_owned())
    }

    /// Prescribes `exercises` (each at the library's default dose, from today, added to what the
    /// patient already has) the way a clinician does: `clinician`, on the patient's care team,
    /// saves a new version of the programme through the API. The live socket and the camera
    /// page open only exercises of the patient's programme.
    pub(crate) async fn prescribe(&self, patient: Uuid, clinician: Uuid, exercises: &[&str]) {
        let token = self.token_for(clinician).await;
        let c = self.client();
        let path = format!("/api/v1/patients/{patient}/programme");
        let res = self.req(&c, Method::GET, &path).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        let view: serde_json::Value = res.json().await.unwrap();
        let based_on = view["current"]["version"].as_i64().unwrap_or(0);
        let mut items = view["current"]["items"].as_array().cloned().unwrap_or_default();
        for id in exercises {
            if items.iter().any(|i| i["exercise"] == *id) {
                continue;
            }
            let exercise = physio_clinic::exercise::library::find(id)
                .unwrap_or_else(|| panic!("no built-in exercise {id:?}"));
            // Camera counting offered wherever the camera follows the exercise, as a clinician
            // may choose for counting not yet validated, so that what a test streams does not
            // depend on the validation figures; `live::camera_counting_not_yet_validated_is_
            // opened_only_when_the_clinician_chose_it` tests the choice itself.
            items.push(serde_json::json!({
                "exercise": id,
                "dose": exercise.dose,
                "start": view["today"],
                "camera": exercise.tracking.is_some(),
            }));
        }
        let body = serde_json::json!({
            "based_on": based_on,
            "items": items,
            "reason": format!("Prescribed for the test: {}", exercises.join(", ")),
        });
        let res = self.req(&c, Method::PUT, &path).bearer_auth(&token).json(&body).send().await;
        let res = res.unwrap();
        let status = res.status();
        assert_eq!(status, StatusCode::OK, "PUT {path}: {}", res.text().await.unwrap());
    }

    /// A bearer token acting as `user`, made directly in the store.
    pub(crate) async fn token_for(&self, user: Uuid) -> String {
        let u = self.store.user(user).await.unwrap();
        let secret = format!("phy_{}", auth::new_secret());
        let mut tx = self.store.begin().await.unwrap();
        // Made now on the test's clock: tokens expire (90 days), and a test may have moved on.
        let now = physio_server::Clock::now(&*self.clock);
        tx.create_api_token(&u, "test", &auth::sha256_hex(&secret), now).await.unwrap();
        tx.commit().await.unwrap();
        secret
    }
}

pub(crate) fn email_of(name: &str) -> String {
    format!("{name}@test.physio")
}

async fn seed(store: &Store) -> People {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = HASH.get_or_init(|| auth::hash_password(PASSWORD).unwrap()).clone();
    let mut tx = store.begin().await.unwrap();
    let a = tx.create_clinic("Clinic A", START).await.unwrap().id;
    let b = tx.create_clinic("Clinic B", START).await.unwrap().id;
    tx.commit().await.unwrap();
    let add = |clinic: Uuid, name: &'static str, role: Role| {
        let hash = hash.clone();
        async move {
            let u = NewUser {
                clinic_id: clinic,
                email: email_of(name),
                name: format!("{name} Person"),
                role,
                password_hash: hash,
                licence: (role == Role::Clinician)
                    .then(|| Licence { number: "PT-1".into(), jurisdiction: "Ontario".into() }),
                date_of_birth: (role == Role::Patient)
                    .then_some(time::macros::date!(1961 - 04 - 02)),
                summary: (role == Role::Patient).then(|| format!("{name} has low back pain")),
            };
            let mut tx = store.begin().await.unwrap();
            let id = tx.create_user(&u, START).await.unwrap().id;
            tx.commit().await.unwrap();
            id
        }
    };
    let p = People {
        clinic_a: a,
        admin: add(a, "admin", Role::Admin).await,
        c1: add(a, "c1", Role::Clinician).await,
        c2: add(a, "c2", Role::Clinician).await,
        p1: add(a, "p1", Role::Patient).await,
        p2: add(a, "p2", Role::Patient).await,
        xa: add(b, "xa", Role::Admin).await,
        xc: add(b, "xc", Role::Clinician).await,
        xp: add(b, "xp", Role::Patient).await,
    };
    let mut tx = store.begin().await.unwrap();
    tx.set_care_team(a, p.p1, &[p.c1], START).await.unwrap();
    tx.set_care_team(a, p.p2, &[p.c2], START).await.unwrap();
    tx.set_care_team(b, p.xp, &[p.xc], START).await.unwrap();
    tx.commit().await.unwrap();
    p
}
