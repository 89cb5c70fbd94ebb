//! The manager page (`/manager/`): setup, PIN pad and manager view. A
//! separate build so the customer kiosk never loads the manager's code.
fn main() {
    leptos::mount::mount_to_body(feedback_kiosk::ManagerApp);
}
