//! Secure messages between a patient and their care team (docs/messages.md): one thread per
//! patient, read and written by the patient and by every clinician on their care team, never
//! by an admin. Opening the thread marks what the other side wrote as read, in the same audited
//! action. Writing a message tells the other side by an e-mail without its content, once the
//! message is stored, when the server has a mail server. Also the unread counts for the
//! navigation and a clinician's list of threads.

use physio_clinic::message::{Author, MessageText};
use physio_store::{Message, Role, ThreadSummary, User};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::Act,
    error::ApiError,
    reminders::{Email, Mailer},
    state::AppState,
};

const NOT_FOR_ADMINS: &str = "messages are between a patient and their care team; an admin \
                              account does not read or write them";

/// Which side of a thread the caller writes on: a patient on their own, a clinician on their
/// care team's. Admins have no side.
fn side_of(p: &Principal) -> Result<Author, ApiError> {
    match p.role() {
        Role::Patient => Ok(Author::Patient),
        Role::Clinician => Ok(Author::Clinician),
        Role::Admin => Err(ApiError::Forbidden(NOT_FOR_ADMINS.into())),
    }
}

/// One message as a thread shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MessageView {
    pub id: Uuid,
    /// `patient` or `clinician`.
    #[schema(value_type = String, example = "patient")]
    pub author: Author,
    pub author_name: String,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// The text, with line breaks as `\n`.
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub created_at: OffsetDateTime,
    /// When the other side first opened the thread after it was written; `null` while unread.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub read_at: Option<OffsetDateTime>,
    /// Who first read it: the patient, or the first clinician of the care team to open it.
    pub read_by_name: Option<String>,
}

impl MessageView {
    fn of(m: Message, me: Uuid) -> MessageView {
        MessageView {
            id: m.id,
            author: m.author,
            author_name: m.author_name,
            mine: m.author_id == me,
            body: m.body,
            created_at: m.created_at,
            read_at: m.read_at,
            read_by_name: m.read_by_name,
        }
    }
}

/// A patient's thread, oldest message first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Thread {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub messages: Vec<MessageView>,
    /// How many of the other side's messages this opening marked as read.
    pub marked_read: u64,
}

/// The patient's thread, read by the patient or a clinician on their care team. Everything the
/// other side wrote that was still unread is marked read by the caller, in the same action as
/// its audit record ("read", "message_thread").
pub async fn thread(state: &AppState, p: &Principal, patient_id: Uuid) -> Result<Thread, ApiError> {
    let mut act = Act::new(state, p, "read", "message_thread");
    let r = async {
        act.about(patient_id);
        let me = side_of(p)?;
        let patient = act.patient(patient_id).await?;
        let clinic = patient.clinic_id;
        let waiting = act.store().unread_messages(clinic, patient.id, me.other()).await?;
        // A thread with nothing new is a read only; its audit record joins the group commit.
        let (marked_read, messages) = if waiting > 0 {
            let now = act.now();
            let tx = act.tx().await?;
            let n = tx.mark_messages_read(clinic, patient.id, me.other(), p.user.id, now).await?;
            (n, tx.message_thread(clinic, patient.id).await?)
        } else {
            (0, act.store().message_thread(clinic, patient.id).await?)
        };
        Ok(Thread {
            patient_id: patient.id,
            patient_name: patient.name,
            messages: messages.into_iter().map(|m| MessageView::of(m, p.user.id)).collect(),
            marked_read,
        })
    }
    .await;
    act.finish(r).await
}

/// The patient or a clinician on their care team writes a message in the patient's thread.
/// Text only; blank or longer than `physio_clinic::message::MAX_CHARS` characters is refused,
/// naming `body`. Once stored, the other side is told by e-mail (see [`notify`]).
pub async fn write(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    body: &str,
) -> Result<MessageView, ApiError> {
    let mut act = Act::new(state, p, "write", "message");
    let r = async {
        act.about(patient_id);
        let me = side_of(p)?;
        let patient = act.patient(patient_id).await?;
        let text =
            MessageText::parse(body).map_err(|e| ApiError::invalid("body", e.to_string()))?;
        let now = act.now();
        let tx = act.tx().await?;
        // The other side is e-mailed once per unread stretch: not again while an earlier
        // message of this side waits unread (they have been told, and will see both).
        let told_already = tx.unread_messages(patient.clinic_id, patient.id, me).await? > 0;
        let m = tx.add_message(patient.clinic_id, patient.id, p.user.id, me, &text, now).await?;
        // A clinician's message is a contact with the patient (docs/contacts.md): one a day per
        // patient, so that a quick back-and-forth is one contact, not several toward the target.
        if me == Author::Clinician {
            let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
            let today = zone.local(now).date();
            let tx = act.tx().await?;
            let logged_today = tx.contacts(patient.clinic_id, patient.id).await?.iter().any(|c| {
                c.kind == physio_clinic::contact::ContactKind::Message
                    && zone.local(c.occurred_at).date() == today
            });
            if !logged_today {
                let contact = physio_store::NewContact {
                    clinic_id: patient.clinic_id,
                    patient_id: patient.id,
                    kind: physio_clinic::contact::ContactKind::Message,
                    occurred_at: now,
                    duration_minutes: None,
                    note: None,
                    logged_by: p.user.id,
                };
                tx.add_contact(&contact, now).await?;
            }
        }
        Ok((m, patient, told_already))
    }
    .await;
    let (m, patient, told_already) = act.finish(r).await?;
    if !told_already {
        notify(state, &patient, m.author);
    }
    Ok(MessageView::of(m, p.user.id))
}

/// What is waiting for the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Unread {
    /// Messages waiting: for a patient, their care team's messages they have not opened; for a
    /// clinician, messages from patients on their caseload that no clinician has opened.
    pub messages: i64,
    /// The threads they are in (a patient has one).
    pub threads: i64,
}

/// The caller's unread counts, for the navigation and the API. Counts only: no patient is
/// named and nothing is read, so no audit record is written (docs/messages.md).
pub async fn unread(state: &AppState, p: &Principal) -> Result<Unread, ApiError> {
    let store = state.store();
    let clinic = p.user.clinic_id;
    match side_of(p)? {
        Author::Patient => {
            let messages = store.unread_messages(clinic, p.user.id, Author::Clinician).await?;
            Ok(Unread { messages, threads: messages.min(1) })
        }
        Author::Clinician => {
            let threads = store.caseload_threads(clinic, p.user.id).await?;
            let waiting = threads.iter().filter(|t| t.unread > 0);
            Ok(Unread {
                messages: waiting.clone().map(|t| t.unread).sum(),
                threads: waiting.count() as i64,
            })
        }
    }
}

/// The number the navigation shows beside "Messages": a patient's unread messages, or the
/// threads of a clinician's caseload with unread patient messages. `None` for an admin.
pub async fn nav_count(state: &AppState, p: &Principal) -> Result<Option<i64>, ApiError> {
    let store = state.store();
    let clinic = p.user.clinic_id;
    Ok(match p.role() {
        Role::Patient => Some(store.unread_messages(clinic, p.user.id, Author::Clinician).await?),
        // One counting query rather than the whole list: this runs on every page.
        Role::Clinician => Some(store.unread_threads(clinic, p.user.id).await?),
        Role::Admin => None,
    })
}

/// A clinician's threads: every patient of their caseload who has messages, those with unread
/// patient messages first (longest waiting first). Names patients, so it is audited
/// ("list", "message_threads").
pub async fn threads(state: &AppState, p: &Principal) -> Result<Vec<ThreadSummary>, ApiError> {
    let act = Act::new(state, p, "list", "message_threads");
    let r = async {
        act.require_role(Role::Clinician, "only clinicians have a list of patients' messages")?;
        Ok(act.store().caseload_threads(p.user.clinic_id, p.user.id).await?)
    }
    .await;
    act.finish(r).await
}

/// Tells the other side of the thread that `author`'s side wrote, by e-mail, when the server
/// has a mail server and a public URL for the link: the care team's active clinicians for a
/// patient's message, the patient for a clinician's. The e-mail says only that there is a new
/// message and where to sign in. It is sent in the background after the message is stored, so a
/// slow or failing mail server never delays or loses a message; a failure is logged without
/// any address or patient data.
fn notify(state: &AppState, patient: &User, author: Author) {
    let Some(smtp) = state.config().smtp.clone() else { return };
    let Some(public_url) = state.config().public_url.clone() else {
        tracing::warn!(
            "messages: an SMTP server is set but no public URL for the link; not e-mailing"
        );
        return;
    };
    let mailer = match Mailer::new(&smtp, &public_url) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "messages: cannot e-mail");
            return;
        }
    };
    let state = state.clone();
    let (clinic_id, patient_id) = (patient.clinic_id, patient.id);
    tokio::spawn(async move {
        if let Err(e) = send_notices(&state, &mailer, clinic_id, patient_id, author).await {
            tracing::warn!(error = ?e, "messages: e-mail not sent");
        }
    });
}

async fn send_notices(
    state: &AppState,
    mailer: &Mailer,
    clinic_id: Uuid,
    patient_id: Uuid,
    author: Author,
) -> Result<(), ApiError> {
    let store = state.store();
    let clinic = store.clinic(clinic_id).await?;
    let link = mailer.link("/messages");
    let (to, email): (Vec<User>, Email) = match author {
        Author::Patient => {
            let mut clinicians = vec![];
            for m in store.care_teams(clinic_id, Some(patient_id)).await? {
                clinicians.push(store.user(m.clinician_id).await?);
            }
            (clinicians, to_clinician(&clinic.name, &link))
        }
        Author::Clinician => (vec![store.user(patient_id).await?], to_patient(&clinic.name, &link)),
    };
    for user in to.iter().filter(|u| u.active) {
        if let Err(e) = mailer.send(&user.email, &email, state.now()).await {
            tracing::warn!(error = %e, "messages: e-mail not sent");
        }
    }
    Ok(())
}

/// The e-mail to a patient: there is a message from their care team, and where to read it.
pub fn to_patient(clinic: &str, link: &str) -> Email {
    Email {
        subject: format!("You have a new message from {clinic}"),
        body: format!(
            "Hello,\n\
             \n\
             You have a new message from your care team at {clinic}.\n\
             \n\
             Sign in to read it:\n\
             {link}\n\
             \n\
             To keep your care private, this e-mail does not include the message.\n"
        ),
    }
}

/// The e-mail to a clinician: a patient of theirs wrote, without saying who or what.
pub fn to_clinician(clinic: &str, link: &str) -> Email {
    Email {
        subject: format!("You have a new message from a patient at {clinic}"),
        body: format!(
            "Hello,\n\
             \n\
             A patient on your caseload at {clinic} has sent a new message.\n\
             \n\
             Sign in to read it:\n\
             {link}\n\
             \n\
             To keep patients' care private, this e-mail does not say who wrote\n\
             or what.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_name_the_clinic_and_link_and_nothing_else() {
        for e in [
            to_patient("North Clinic", "https://physio.example/messages"),
            to_clinician("North Clinic", "https://physio.example/messages"),
        ] {
            assert!(e.subject.contains("North Clinic"), "{e:?}");
            assert!(e.body.contains("\nhttps://physio.example/messages\n"), "{e:?}");
            assert!(e.body.lines().all(|l| l.len() <= 76), "{e:?}");
        }
    }
}
